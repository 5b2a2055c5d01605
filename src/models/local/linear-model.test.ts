import { describe, expect, it } from 'vitest';
import { addLinearModels, linearScores, type LinearModel } from './linear-model.js';

// 7 features x 3 classes, weight of (feature f, class c) = f - c.
const model: LinearModel = {
  classes: 3,
  weights: Float32Array.from({ length: 21 }, (_, i) => Math.floor(i / 3) - (i % 3)),
  bias: Float64Array.of(0.5, 0, -0.5),
};

describe('linearScores', () => {
  it('matches a plain dot product for any number of features (not only multiples of 4)', () => {
    for (const count of [0, 1, 3, 4, 5, 7]) {
      const indices = Int32Array.from({ length: count }, (_, k) => k);
      const values = Float32Array.from({ length: count }, (_, k) => 0.5 + k);
      const scores = linearScores(model, { indices, values });
      for (let c = 0; c < 3; c++) {
        let expected = model.bias[c]!;
        for (let k = 0; k < count; k++) expected += values[k]! * (indices[k]! - c);
        expect(scores[c]).toBeCloseTo(expected, 5);
      }
    }
  });

  it('scales the dot product but not the bias', () => {
    const vector = { indices: Int32Array.of(2), values: Float32Array.of(1) };
    expect(Array.from(linearScores(model, vector, undefined, 2))).toEqual([4.5, 2, -0.5]);
  });
});

describe('addLinearModels', () => {
  it('scores like the first model plus the weighted second', () => {
    const vector = { indices: Int32Array.of(1, 4), values: Float32Array.of(1, 2) };
    const mixed = addLinearModels(model, model, 0.5);
    const single = linearScores(model, vector);
    const both = linearScores(mixed, vector);
    for (let c = 0; c < 3; c++) expect(both[c]).toBeCloseTo(1.5 * single[c]!, 5);
  });
});
