import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/models/local/random.js';
import {
  calibrationSamples,
  fitScoreCalibrator,
  loadScoreCalibrator,
  matchFeatures,
  type CalibrationSample,
} from './score-calibrator.js';

describe('matchFeatures', () => {
  it('gives signals, margins to the best other candidate, and 1 / fused rank', () => {
    const features = matchFeatures([
      { id: 'p', signals: [0.9, 0.4] },
      { id: 'q', signals: [0.6, 0.5] },
      { id: 'r', signals: [0.1, 0.0] },
    ]);
    expect(features.map((f) => f.id)).toEqual(['p', 'q', 'r']);
    const [p, q] = features;
    expect(p!.features[0]).toBe(0.9);
    expect(p!.features[2]).toBeCloseTo(0.3, 12); // 0.9 - 0.6
    expect(p!.features[3]).toBeCloseTo(-0.1, 12); // 0.4 - 0.5
    expect(q!.features[3]).toBeCloseTo(0.1, 12);
    expect(p!.features[4]).toBe(1);
    expect(q!.features[4]).toBe(0.5);
  });
});

/** Samples from a known logistic model over two features. */
function syntheticSamples(
  count: number,
  seed: number,
  weights: [number, number],
  bias: number,
): CalibrationSample[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const features = [random() * 4 - 2, random() * 4 - 2];
    const z = weights[0] * features[0]! + weights[1] * features[1]! + bias;
    return { features, relevant: random() < 1 / (1 + Math.exp(-z)) };
  });
}

describe('fitScoreCalibrator', () => {
  it('recovers the probabilities of a known logistic model', () => {
    const calibrator = fitScoreCalibrator(syntheticSamples(20000, 1, [2, -1], 0.5), { l2: 0 });
    for (const features of [
      [0, 0],
      [1, 1],
      [-1.5, 0.5],
      [1.8, -1.8],
    ]) {
      const truth = 1 / (1 + Math.exp(-(2 * features[0]! - features[1]! + 0.5)));
      expect(Math.abs(calibrator.probability(features) - truth)).toBeLessThan(0.03);
    }
  });

  it('is monotone in a feature with positive weight and round-trips through JSON', () => {
    const calibrator = fitScoreCalibrator(syntheticSamples(2000, 2, [3, 0], 0));
    expect(calibrator.probability([1, 0])).toBeGreaterThan(calibrator.probability([0, 0]));
    const loaded = loadScoreCalibrator(JSON.parse(JSON.stringify(calibrator.toJSON())));
    expect(loaded.probability([0.3, -0.2])).toBe(calibrator.probability([0.3, -0.2]));
    expect(() => loaded.probability([1])).toThrow(/expects 2 features/);
    expect(() => loadScoreCalibrator({ ...calibrator.toJSON(), means: [0] })).toThrow(
      /one value per feature/,
    );
  });

  it('lowers probabilities when negatives weigh more (a prior for out-of-scope questions)', () => {
    const samples = syntheticSamples(4000, 3, [2, 0], 0);
    const heavy = samples.map((sample) => ({ ...sample, weight: sample.relevant ? 1 : 3 }));
    expect(fitScoreCalibrator(heavy).probability([0, 0])).toBeLessThan(
      fitScoreCalibrator(samples).probability([0, 0]) - 0.2,
    );
  });
});

describe('calibrationSamples', () => {
  it('labels the right entry and adds a held-out copy without it', () => {
    const candidates = [
      { id: 'refund', signals: [0.8, 0.6, 0.5] },
      { id: 'invoice', signals: [0.4, 0.2, 0.1] },
      { id: 'parcel', signals: [0.3, 0.1, 0.0] },
    ];
    const samples = calibrationSamples(candidates, 'refund', { top: 2, outOfScopeShare: 0.5 });
    expect(samples).toHaveLength(4);
    expect(samples.filter((sample) => sample.relevant)).toHaveLength(1);
    expect(samples[0]!.relevant).toBe(true);
    // The held-out copy: invoice becomes the winner, with a positive margin, and is wrong.
    expect(samples[2]!.features[3]).toBeCloseTo(0.1, 12);
    expect(samples[2]!.relevant).toBe(false);
    expect(samples[2]!.weight).toBe(1);
    expect(calibrationSamples(candidates, 'refund', { outOfScopeShare: 0 })).toHaveLength(3);
  });
});
