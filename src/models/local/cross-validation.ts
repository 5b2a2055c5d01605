/** Stratified k-fold assignment: every label's examples are spread evenly over the folds. */
import { createRandom, shuffleInPlace } from './random.js';

/** The fold (0..folds-1) of each example. Deterministic given the seed. */
export function stratifiedFolds(targets: Int32Array, folds: number, seed: number): Int32Array {
  const random = createRandom(seed);
  const byLabel = new Map<number, number[]>();
  targets.forEach((target, index) => {
    const members = byLabel.get(target);
    if (members) members.push(index);
    else byLabel.set(target, [index]);
  });
  const assignment = new Int32Array(targets.length);
  // Carry the fold counter across labels so small labels do not all start at fold 0.
  let next = 0;
  for (const members of byLabel.values()) {
    shuffleInPlace(members, random);
    for (const index of members) {
      assignment[index] = next;
      next = (next + 1) % folds;
    }
  }
  return assignment;
}
