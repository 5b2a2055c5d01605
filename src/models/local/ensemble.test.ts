import { describe, expect, it } from 'vitest';
import { argmax, chooseBayesWeight, combineHeads } from './ensemble.js';

describe('combineHeads', () => {
  it('is the regression alone at weight 0', () => {
    const regression = Float64Array.of(2, 1, 0);
    const combined = combineHeads({ regression, bayes: Float64Array.of(0, 9, 0) }, 0);
    expect(Array.from(combined)).toEqual([2, 1, 0]);
  });

  it('adds the weighted naive Bayes scores', () => {
    const scores = { regression: Float64Array.of(2, 1), bayes: Float64Array.of(-10, -4) };
    expect(Array.from(combineHeads(scores, 0.5))).toEqual([-3, -1]);
  });

  it('lets a confident naive Bayes head overturn a close regression call', () => {
    const scores = { regression: Float64Array.of(1, 0.9), bayes: Float64Array.of(0, 20) };
    expect(argmax(combineHeads(scores, 0))).toBe(0);
    expect(argmax(combineHeads(scores, 0.1))).toBe(1);
  });
});

describe('chooseBayesWeight', () => {
  it('keeps the regression alone when the naive Bayes head only adds mistakes', () => {
    const heldOut = [0, 1, 0, 1].map((target) => ({
      regression: target === 0 ? Float64Array.of(1, 0.8) : Float64Array.of(0.8, 1),
      bayes: target === 0 ? Float64Array.of(0, 30) : Float64Array.of(30, 0),
    }));
    expect(chooseBayesWeight(heldOut, Int32Array.of(0, 1, 0, 1))).toBe(0);
  });

  it('picks a positive weight when naive Bayes fixes close calls', () => {
    const heldOut = [0, 1, 0, 1].map((target) => ({
      regression: Float64Array.of(1, 0.95),
      bayes: target === 0 ? Float64Array.of(10, 0) : Float64Array.of(0, 10),
    }));
    expect(chooseBayesWeight(heldOut, Int32Array.of(0, 1, 0, 1))).toBeGreaterThan(0);
  });
});
