import { describe, expect, it } from 'vitest';
import {
  classificationMetrics,
  costMetrics,
  outOfScopeMetrics,
  percentile,
  retrievalMetrics,
} from './metrics.js';

const pairs = (expected: string, predicted: string) =>
  expected
    .split(' ')
    .map((label, index) => ({ expected: label, predicted: predicted.split(' ')[index]! }));

describe('classificationMetrics', () => {
  // expected a a a b b c, predicted a a b b c c:
  // a: P 2/2, R 2/3, F1 0.8 · b: P 1/2, R 1/2, F1 0.5 · c: P 1/2, R 1, F1 2/3
  const metrics = classificationMetrics(pairs('a a a b b c', 'a a b b c c'));

  it('computes accuracy and macro F1 by hand', () => {
    expect(metrics.accuracy).toBeCloseTo(4 / 6, 10);
    expect(metrics.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 10);
  });

  it('gives precision, recall, F1 and support per label', () => {
    expect(metrics.perLabel.a).toEqual({
      precision: 1,
      recall: 2 / 3,
      f1: expect.closeTo(0.8, 10),
      support: 3,
    });
    expect(metrics.perLabel.b).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(metrics.perLabel.c!.f1).toBeCloseTo(2 / 3, 10);
    expect(metrics.perLabel.c!.support).toBe(1);
  });

  it('lays the confusion matrix out as expected (rows) by predicted (columns)', () => {
    expect(metrics.confusion).toEqual({
      labels: ['a', 'b', 'c'],
      matrix: [
        [2, 1, 0],
        [0, 1, 1],
        [0, 0, 1],
      ],
    });
  });

  it('counts a label that is only ever predicted wrongly with F1 0 in the macro average', () => {
    const result = classificationMetrics(pairs('a a', 'a z'));
    expect(result.perLabel.z).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(result.macroF1).toBeCloseTo((2 / 3 + 0) / 2, 10);
  });
});

describe('outOfScopeMetrics', () => {
  it('separates in-scope accuracy from out-of-scope recall and precision', () => {
    // in scope: x->x right, x->oos handed off wrongly; out of scope: oos->oos found, oos->y missed
    const result = outOfScopeMetrics(pairs('x x oos oos', 'x oos oos y'), 'oos');
    expect(result).toEqual({ inScopeAccuracy: 0.5, oosRecall: 0.5, oosPrecision: 0.5 });
  });

  it('leaves out a metric whose denominator is empty', () => {
    const result = outOfScopeMetrics(pairs('x y', 'x y'), 'oos');
    expect(result.oosRecall).toBeUndefined();
    expect(result.oosPrecision).toBeUndefined();
    expect(result.inScopeAccuracy).toBe(1);
  });
});

describe('retrievalMetrics', () => {
  it('computes MAP, MRR and recall at 1 and 5 by hand', () => {
    const result = retrievalMetrics([
      { ranking: ['a', 'b', 'c'], relevant: ['b'] }, // AP 1/2, RR 1/2, R@1 0, R@5 1
      { ranking: ['x', 'y', 'z', 'w'], relevant: ['x', 'w'] }, // AP (1 + 2/4)/2, RR 1, R@1 1/2, R@5 1
      { ranking: ['p'], relevant: ['q'] }, // all 0
    ]);
    expect(result.map).toBeCloseTo((0.5 + 0.75 + 0) / 3, 10);
    expect(result.mrr).toBeCloseTo(0.5, 10);
    expect(result.recallAt1).toBeCloseTo(0.5 / 3, 10);
    expect(result.recallAt5).toBeCloseTo(2 / 3, 10);
    expect(result.precisionAt1).toBeCloseTo(1 / 3, 10);
  });
});

describe('percentile and cost', () => {
  it('uses the nearest rank', () => {
    const values = [100, 90, 80, 70, 60, 50, 40, 30, 20, 10];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(100);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('reports tokens only when some case spent them, averaged over every case', () => {
    expect(costMetrics([{ latencyMs: 5 }, { latencyMs: 7 }]).tokensPerCase).toBeUndefined();
    const withTokens = costMetrics([{ latencyMs: 5, tokens: 300 }, { latencyMs: 7 }]);
    expect(withTokens.totalTokens).toBe(300);
    expect(withTokens.tokensPerCase).toBe(150);
    expect(withTokens.latencyP50Ms).toBe(5);
  });
});
