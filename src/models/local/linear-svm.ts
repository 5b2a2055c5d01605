/**
 * One-vs-rest linear support vector machines with the squared hinge loss, trained by dual
 * coordinate descent (Hsieh et al. 2008, the LIBLINEAR solver behind scikit-learn's
 * LinearSVC). Each class is its own binary problem, so the per-class coordinate steps can
 * be interleaved: one visit to an example scores it against every class at once
 * (feature-major weights, contiguous rows, as `linearScores` does) and then takes the
 * exact dual step of each class whose margin is violated, which after the first pass is a
 * handful. A pass costs about what a pass of the logistic regression costs.
 *
 * The bias is the weight of a constant feature of value 1, regularised like the others
 * (as LIBLINEAR does).
 */
import { linearScores, type LinearModel } from './linear-model.js';
import { createRandom, shuffleInPlace } from './random.js';
import type { SparseVector } from './sparse-vector.js';

export interface LinearSvmOptions {
  /** Misclassification cost C (per example, times its class weight). Default 1. */
  cost?: number;
  /** Weight of each class's examples (for imbalanced data). Default all 1. */
  classWeights?: Float64Array;
  /** Passes over the data at most (the classifier gives as many as regression epochs). Default 10. */
  passes?: number;
  /** Stop after a pass in which no projected gradient exceeded this. Default 0.05. */
  tolerance?: number;
  seed?: number;
}

export function trainLinearSvm(
  vectors: SparseVector[],
  targets: Int32Array,
  classes: number,
  dimension: number,
  options: LinearSvmOptions = {},
): LinearModel {
  const cost = options.cost ?? 1;
  const passes = options.passes ?? 10;
  const tolerance = options.tolerance ?? 0.05;
  const random = createRandom(options.seed ?? 1);
  const n = vectors.length;
  const weights = new Float32Array(dimension * classes);
  const bias = new Float64Array(classes);
  const model: LinearModel = { classes, weights, bias };
  // Dual variables (example-major); per example the dual's ridge 1/(2 C_i) and the
  // curvature of its coordinates, |x|^2 + 1 (the constant feature) + ridge.
  const alpha = new Float64Array(n * classes);
  const ridge = new Float64Array(n);
  const curvature = new Float64Array(n);
  vectors.forEach((vector, i) => {
    let squaredNorm = 1;
    for (const value of vector.values) squaredNorm += value * value;
    const weight = options.classWeights ? options.classWeights[targets[i]!]! : 1;
    ridge[i] = weight > 0 ? 1 / (2 * cost * weight) : Infinity;
    curvature[i] = squaredNorm + ridge[i]!;
  });
  const scores = new Float64Array(classes);
  const changed = new Int32Array(classes);
  const steps = new Float64Array(classes);
  const order = Int32Array.from(vectors.keys());

  for (let pass = 0; pass < passes; pass++) {
    shuffleInPlace(order, random);
    let largest = 0;
    for (const i of order) {
      if (ridge[i] === Infinity) continue;
      const vector = vectors[i]!;
      linearScores(model, vector, scores);
      const target = targets[i]!;
      const base = i * classes;
      let count = 0;
      for (let c = 0; c < classes; c++) {
        const y = c === target ? 1 : -1;
        const previous = alpha[base + c]!;
        const gradient = y * scores[c]! - 1 + ridge[i]! * previous;
        // Projected gradient: a zero dual variable cannot go lower.
        if (previous === 0 && gradient >= 0) continue;
        const size = gradient < 0 ? -gradient : gradient;
        if (size > largest) largest = size;
        if (size < 1e-12) continue;
        const next = Math.max(previous - gradient / curvature[i]!, 0);
        alpha[base + c] = next;
        changed[count] = c;
        steps[count++] = (next - previous) * y;
      }
      if (count === 0) continue;
      const { indices, values } = vector;
      for (let j = 0; j < indices.length; j++) {
        const row = indices[j]! * classes;
        const value = values[j]!;
        for (let k = 0; k < count; k++) {
          const at = row + changed[k]!;
          weights[at] = weights[at]! + steps[k]! * value;
        }
      }
      for (let k = 0; k < count; k++) bias[changed[k]!] = bias[changed[k]!]! + steps[k]!;
    }
    if (largest <= tolerance) break;
  }
  return model;
}
