import { describe, expect, it } from 'vitest';
import { linearScores } from './linear-model.js';
import { trainLinearSvm } from './linear-svm.js';
import { createRandom } from './random.js';
import type { SparseVector } from './sparse-vector.js';

function vector(entries: Record<number, number>): SparseVector {
  const indices = Object.keys(entries)
    .map(Number)
    .sort((a, b) => a - b);
  return {
    indices: Int32Array.from(indices),
    values: Float32Array.from(indices, (index) => entries[index]!),
  };
}

/** Random sparse data in 3 classes, each class leaning on its own features. */
function randomProblem(count: number, seed: number) {
  const random = createRandom(seed);
  const vectors: SparseVector[] = [];
  const targets = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    targets[i] = label;
    const entries: Record<number, number> = {};
    entries[label * 2 + Math.floor(random() * 2)] = 0.5 + random();
    for (let k = 0; k < 3; k++) entries[6 + Math.floor(random() * 6)] = random();
    vectors.push(vector(entries));
  }
  return { vectors, targets, classes: 3, dimension: 12 };
}

/**
 * Gradient of one class's primal objective 1/2 |w|^2 + sum_i C_i max(0, 1 - y_i w.x_i)^2,
 * with the bias as the weight of a constant feature: zero at the optimum.
 */
function primalGradientNorm(
  problem: ReturnType<typeof randomProblem>,
  model: ReturnType<typeof trainLinearSvm>,
  c: number,
  cost: number,
): number {
  const { vectors, targets, classes, dimension } = problem;
  const gradient = new Float64Array(dimension + 1);
  for (let f = 0; f < dimension; f++) gradient[f] = model.weights[f * classes + c]!;
  gradient[dimension] = model.bias[c]!;
  vectors.forEach((x, i) => {
    const y = targets[i] === c ? 1 : -1;
    const slack = 1 - y * linearScores(model, x)[c]!;
    if (slack <= 0) return;
    const factor = -2 * cost * slack * y;
    for (let j = 0; j < x.indices.length; j++) {
      gradient[x.indices[j]!] = gradient[x.indices[j]!]! + factor * x.values[j]!;
    }
    gradient[dimension] = gradient[dimension]! + factor;
  });
  return Math.hypot(...gradient);
}

describe('trainLinearSvm', () => {
  it('separates separable classes with margins of at least about 1', () => {
    const vectors = [
      vector({ 0: 1 }),
      vector({ 0: 1, 3: 0.2 }),
      vector({ 1: 1 }),
      vector({ 1: 1, 3: 0.2 }),
      vector({ 2: 1 }),
      vector({ 2: 0.9, 3: 0.2 }),
    ];
    const targets = Int32Array.of(0, 0, 1, 1, 2, 2);
    const model = trainLinearSvm(vectors, targets, 3, 4, { cost: 100, passes: 200 });
    vectors.forEach((x, i) => {
      const scores = linearScores(model, x);
      for (let c = 0; c < 3; c++) {
        const margin = c === targets[i] ? scores[c]! : -scores[c]!;
        expect(margin).toBeGreaterThan(0.9);
      }
    });
  });

  it('reaches the optimum of each class problem (primal gradient near zero)', () => {
    const problem = randomProblem(60, 5);
    const cost = 0.7;
    const model = trainLinearSvm(
      problem.vectors,
      problem.targets,
      problem.classes,
      problem.dimension,
      { cost, passes: 500, tolerance: 1e-7 },
    );
    for (let c = 0; c < problem.classes; c++) {
      expect(primalGradientNorm(problem, model, c, cost)).toBeLessThan(1e-3);
    }
  });

  it('finds the same solution whatever the visiting order (the problem is convex)', () => {
    const problem = randomProblem(45, 9);
    const train = (seed: number) =>
      trainLinearSvm(problem.vectors, problem.targets, 3, problem.dimension, {
        seed,
        passes: 500,
        tolerance: 1e-7,
      });
    const a = train(1);
    const b = train(2);
    for (let i = 0; i < a.weights.length; i++) expect(a.weights[i]).toBeCloseTo(b.weights[i]!, 3);
  });

  it('lets a heavier class win the examples both classes claim', () => {
    // The same features, labelled 0 twice and 1 twice: only the class weights decide.
    const vectors = [vector({ 0: 1 }), vector({ 0: 1 }), vector({ 0: 1 }), vector({ 0: 1 })];
    const targets = Int32Array.of(0, 0, 1, 1);
    const favour = (weights: Float64Array) =>
      linearScores(
        trainLinearSvm(vectors, targets, 2, 1, { classWeights: weights, passes: 100 }),
        vectors[0]!,
      );
    const towardsZero = favour(Float64Array.of(3, 1));
    expect(towardsZero[0]!).toBeGreaterThan(towardsZero[1]!);
    const towardsOne = favour(Float64Array.of(1, 3));
    expect(towardsOne[1]!).toBeGreaterThan(towardsOne[0]!);
  });

  it('is deterministic for a seed', () => {
    const problem = randomProblem(30, 2);
    const train = () =>
      trainLinearSvm(problem.vectors, problem.targets, 3, problem.dimension, { seed: 4 });
    expect(Array.from(train().weights)).toEqual(Array.from(train().weights));
  });
});
