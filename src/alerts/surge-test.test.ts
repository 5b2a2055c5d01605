import { describe, expect, it } from 'vitest';
import { binomialUpperTail, judgeSurge, logGamma } from './surge-test.js';

const thresholds = { pValue: 1e-5, minCount: 5, minRatio: 1.5, minBaseline: 200 };

describe('binomial tail', () => {
  it('matches exact values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    // 1 - P(0) - P(1) - P(2) for n = 10, p = 0.1
    expect(binomialUpperTail(3, 10, 0.1)).toBeCloseTo(0.0701908264, 9);
    // Exact sums with 50-digit decimals (Python's math.comb and decimal): 1.7752683394e-7
    expect(binomialUpperTail(15, 33, 0.1) / 1.7752683394e-7).toBeCloseTo(1, 8);
    // below the mean the tail is most of the mass
    expect(binomialUpperTail(2, 100, 0.3)).toBeCloseTo(1, 10);
    expect(binomialUpperTail(0, 5, 0.5)).toBe(1);
    expect(binomialUpperTail(6, 5, 0.5)).toBe(0);
    expect(binomialUpperTail(5, 5, 0.5)).toBeCloseTo(1 / 32, 12);
  });

  it('sums large n without overflow', () => {
    // Exact: 1.30373911205e-8 (as above)
    expect(binomialUpperTail(400, 10_000, 0.03) / 1.30373911205e-8).toBeCloseTo(1, 8);
  });
});

describe('judgeSurge', () => {
  const baseline = { baselineCount: 252, baselineTotal: 2016 };

  it('a steady share is no surge', () => {
    const judged = judgeSurge({ observed: 2, windowTotal: 12, ...baseline }, thresholds);
    expect(judged.significant).toBe(false);
    expect(judged.expected).toBeCloseTo(1.5, 1);
  });

  it('a key that took most of the window is a surge', () => {
    const judged = judgeSurge({ observed: 12, windowTotal: 22, ...baseline }, thresholds);
    expect(judged.significant).toBe(true);
    expect(judged.pValue).toBeLessThan(1e-5);
    expect(judged.ratio).toBeGreaterThan(4);
  });

  it('holds back tiny counts, a young baseline, and small rises at high volume', () => {
    // 4 conversations of a never-seen key: improbable, but too few to call
    expect(
      judgeSurge(
        { observed: 4, windowTotal: 12, baselineCount: 0, baselineTotal: 2016 },
        thresholds,
      ).heldBy,
    ).toBe('count');
    expect(
      judgeSurge(
        { observed: 12, windowTotal: 22, baselineCount: 5, baselineTotal: 100 },
        thresholds,
      ).heldBy,
    ).toBe('baseline');
    // 30 % -> 40 % of 2,000 conversations: overwhelming evidence, yet only 1.33x
    const busy = judgeSurge(
      { observed: 800, windowTotal: 2000, baselineCount: 30_000, baselineTotal: 100_000 },
      thresholds,
    );
    expect(busy.pValue).toBeLessThan(1e-10);
    expect(busy.heldBy).toBe('ratio');
    expect(judgeSurge({ observed: 8, windowTotal: 18, ...baseline }, thresholds).heldBy).toBe(
      'p_value',
    );
  });

  it('a key never seen before can surge (smoothed share, never zero)', () => {
    const judged = judgeSurge(
      { observed: 8, windowTotal: 20, baselineCount: 0, baselineTotal: 2016 },
      thresholds,
    );
    expect(judged.baselineShare).toBeGreaterThan(0);
    expect(judged.significant).toBe(true);
  });
});
