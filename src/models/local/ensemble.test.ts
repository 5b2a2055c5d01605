import { describe, expect, it } from 'vitest';
import { argmax, chooseHeadWeights, combineHeads, SVM_ALONE_WEIGHT } from './ensemble.js';

describe('combineHeads', () => {
  it('is the regression alone when the other weights are 0', () => {
    const regression = Float64Array.of(2, 1, 0);
    const combined = combineHeads(
      { regression, bayes: Float64Array.of(0, 9, 0), svm: Float64Array.of(5, 0, 0) },
      { regression: 1, svm: 0, bayes: 0 },
    );
    expect(Array.from(combined)).toEqual([2, 1, 0]);
  });

  it('adds the weighted naive Bayes and SVM scores', () => {
    const scores = {
      regression: Float64Array.of(2, 1),
      bayes: Float64Array.of(-10, -4),
      svm: Float64Array.of(1, -1),
    };
    expect(Array.from(combineHeads(scores, { regression: 1, svm: 2, bayes: 0.5 }))).toEqual([
      -1, -3,
    ]);
  });

  it('works without a regression head', () => {
    const scores = { svm: Float64Array.of(1, -1), bayes: Float64Array.of(0, 4) };
    expect(Array.from(combineHeads(scores, { regression: 0, svm: 4, bayes: 0.5 }))).toEqual([
      4, -2,
    ]);
  });

  it('lets a confident naive Bayes head overturn a close regression call', () => {
    const scores = { regression: Float64Array.of(1, 0.9), bayes: Float64Array.of(0, 20) };
    expect(argmax(combineHeads(scores, { regression: 1, svm: 0, bayes: 0 }))).toBe(0);
    expect(argmax(combineHeads(scores, { regression: 1, svm: 0, bayes: 0.1 }))).toBe(1);
  });
});

describe('chooseHeadWeights', () => {
  const targets = Int32Array.of(0, 1, 0, 1);

  it('keeps the regression alone when the other heads only add mistakes', () => {
    const heldOut = [0, 1, 0, 1].map((target) => ({
      regression: target === 0 ? Float64Array.of(1, 0.8) : Float64Array.of(0.8, 1),
      bayes: target === 0 ? Float64Array.of(0, 30) : Float64Array.of(30, 0),
      svm: target === 0 ? Float64Array.of(-1, 1) : Float64Array.of(1, -1),
    }));
    expect(chooseHeadWeights(heldOut, targets)).toEqual({ regression: 1, svm: 0, bayes: 0 });
  });

  it('picks positive weights for heads that fix close calls', () => {
    const heldOut = [0, 1, 0, 1].map((target) => ({
      regression: Float64Array.of(1, 0.95),
      bayes: target === 0 ? Float64Array.of(10, 0) : Float64Array.of(0, 10),
    }));
    expect(chooseHeadWeights(heldOut, targets).bayes).toBeGreaterThan(0);
    const withSvm = [0, 1, 0, 1].map((target) => ({
      regression: Float64Array.of(1, 0.95),
      svm: target === 0 ? Float64Array.of(1, -1) : Float64Array.of(-1, 1),
    }));
    const chosen = chooseHeadWeights(withSvm, targets);
    expect(chosen.svm).toBeGreaterThan(0);
    expect(chosen.bayes).toBe(0);
  });

  it('keeps weights it is given and gives the SVM a fixed weight when it is alone', () => {
    const heldOut = [0, 1, 0, 1].map((target) => ({
      regression: Float64Array.of(1, 0.95),
      bayes: target === 0 ? Float64Array.of(10, 0) : Float64Array.of(0, 10),
      svm: Float64Array.of(0, 0),
    }));
    expect(chooseHeadWeights(heldOut, targets, { bayes: 0.1, svm: 2 })).toEqual({
      regression: 1,
      svm: 2,
      bayes: 0.1,
    });
    const svmAlone = heldOut.map(({ svm, bayes }) => ({ svm, bayes }));
    const chosen = chooseHeadWeights(svmAlone, targets);
    expect(chosen.regression).toBe(0);
    expect(chosen.svm).toBe(SVM_ALONE_WEIGHT);
  });
});
