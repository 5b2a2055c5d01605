import { describe, expect, it } from 'vitest';
import { linearScores } from './linear-model.js';
import { trainNaiveBayes } from './naive-bayes.js';
import type { SparseVector } from './sparse-vector.js';

const vector = (...pairs: Array<[number, number]>): SparseVector => ({
  indices: Int32Array.from(pairs, ([index]) => index),
  values: Float32Array.from(pairs, ([, value]) => value),
});
const argmax = (values: Float64Array) => values.indexOf(Math.max(...values));

describe('trainNaiveBayes', () => {
  // Class 0 uses features 0 and 2, class 1 uses 1 and 2; class 0 has three examples.
  const vectors = [
    vector([0, 1], [2, 0.5]),
    vector([0, 0.8]),
    vector([0, 1]),
    vector([1, 1], [2, 0.5]),
  ];
  const targets = Int32Array.of(0, 0, 0, 1);
  const bayes = trainNaiveBayes(vectors, targets, 2, 3);
  const model = { logits: (input: SparseVector) => linearScores(bayes, input) };

  it('prefers the class whose features the text shares', () => {
    expect(argmax(model.logits(vector([1, 1])))).toBe(1);
    expect(argmax(model.logits(vector([0, 1])))).toBe(0);
  });

  it('falls back on the class prior for a text with no features', () => {
    const logits = model.logits(vector());
    expect(argmax(logits)).toBe(0);
    expect(logits[0]! - logits[1]!).toBeCloseTo(Math.log(4 / 2), 10);
  });
});
