import { describe, expect, it } from 'vitest';
import {
  areaUnderRoc,
  averagePrecision,
  expectedCalibrationError,
  firstRelevantRank,
  rankByScore,
} from './metrics.js';

describe('retrieval metrics', () => {
  it('computes average precision over all relevant ids', () => {
    // Relevant at ranks 1 and 3 of 2 relevant: (1/1 + 2/3) / 2.
    expect(averagePrecision(['a', 'x', 'b'], new Set(['a', 'b']))).toBeCloseTo(5 / 6, 12);
    // A relevant id never retrieved counts as zero precision.
    expect(averagePrecision(['a'], new Set(['a', 'b']))).toBe(0.5);
    expect(firstRelevantRank(['x', 'y', 'b'], new Set(['b']))).toBe(3);
  });

  it('ranks by score with ties in input order', () => {
    expect(rankByScore(['a', 'b', 'c'], [0.1, 0.5, 0.5])).toEqual(['b', 'c', 'a']);
  });

  it('computes AUROC with ties counting half, and calibration error', () => {
    expect(areaUnderRoc([0.9, 0.8, 0.3, 0.1], [true, true, false, false])).toBe(1);
    expect(areaUnderRoc([0.5, 0.5], [true, false])).toBe(0.5);
    expect(
      expectedCalibrationError([0.95, 0.95, 0.05, 0.05], [true, true, false, false]),
    ).toBeCloseTo(0.05, 12);
    expect(expectedCalibrationError([0.9, 0.9], [false, false])).toBeCloseTo(0.9, 12);
  });
});
