import { describe, expect, it } from 'vitest';
import { linearScores, type LinearModel } from './linear-model.js';
import { softmaxInPlace, trainSoftmaxRegression } from './softmax-regression.js';
import type { SparseVector } from './sparse-vector.js';

/** Three classes, each marked by its own feature plus shared noise features. */
function toyData() {
  const vectors: SparseVector[] = [];
  const targets: number[] = [];
  for (let i = 0; i < 60; i++) {
    const label = i % 3;
    const noise = 3 + (i % 5);
    vectors.push({ indices: Int32Array.of(label, noise), values: Float32Array.of(1, 0.5) });
    targets.push(label);
  }
  return { vectors, targets: Int32Array.from(targets) };
}

const argmax = (values: Float64Array) => values.indexOf(Math.max(...values));
const scorer = (model: LinearModel) => ({
  logits: (vector: SparseVector) => linearScores(model, vector),
});

describe('trainSoftmaxRegression', () => {
  it('learns a linearly separable problem', () => {
    const { vectors, targets } = toyData();
    const model = scorer(trainSoftmaxRegression(vectors, targets, 3, 8, { epochs: 30, seed: 1 }));
    for (let label = 0; label < 3; label++) {
      const logits = model.logits({ indices: Int32Array.of(label), values: Float32Array.of(1) });
      expect(argmax(logits)).toBe(label);
    }
  });

  it('is deterministic for a seed', () => {
    const { vectors, targets } = toyData();
    const probe = { indices: Int32Array.of(0, 4), values: Float32Array.of(0.3, 1) };
    const train = () => trainSoftmaxRegression(vectors, targets, 3, 8, { epochs: 5, seed: 9 });
    const a = linearScores(train(), probe);
    const b = linearScores(train(), probe);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('shrinks weights more under a stronger L2 penalty', () => {
    const { vectors, targets } = toyData();
    const probe = { indices: Int32Array.of(1), values: Float32Array.of(1) };
    const loose = scorer(trainSoftmaxRegression(vectors, targets, 3, 8, { epochs: 20, l2: 1e-6 }));
    const tight = scorer(trainSoftmaxRegression(vectors, targets, 3, 8, { epochs: 20, l2: 1e-1 }));
    const spread = (logits: Float64Array) => Math.max(...logits) - Math.min(...logits);
    expect(spread(tight.logits(probe))).toBeLessThan(spread(loose.logits(probe)));
  });
});

describe('softmaxInPlace', () => {
  it('sums to 1 and flattens at a high temperature', () => {
    const sharp = softmaxInPlace(Float64Array.of(2, 1, 0));
    const flat = softmaxInPlace(Float64Array.of(2, 1, 0), 10);
    expect(sharp.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(flat[0]! - flat[2]!).toBeLessThan(sharp[0]! - sharp[2]!);
  });

  it('stays finite for large logits', () => {
    const probabilities = softmaxInPlace(Float64Array.of(1000, 999));
    expect(probabilities[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
});
