import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, fitTemperature, negativeLogLikelihood } from './calibration.js';
import { createRandom } from './random.js';

/** Logits whose labels are drawn from softmax(logits / trueTemperature). */
function sampledLogits(trueTemperature: number, count: number) {
  const random = createRandom(42);
  const logits: Float64Array[] = [];
  const targets = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = Float64Array.from({ length: 4 }, () => (random() - 0.5) * 8);
    const weights = Array.from(row, (value) => Math.exp(value / trueTemperature));
    const total = weights.reduce((sum, value) => sum + value, 0);
    let draw = random() * total;
    let label = 0;
    while (label < 3 && draw > weights[label]!) draw -= weights[label++]!;
    logits.push(row);
    targets[i] = label;
  }
  return { logits, targets };
}

describe('fitTemperature', () => {
  it('recovers the temperature that generated the labels', () => {
    expect(fitTemperature(sampledLogits(2, 4000))).toBeCloseTo(2, 0);
    expect(fitTemperature(sampledLogits(0.5, 4000))).toBeCloseTo(0.5, 1);
  });

  it('lowers the negative log-likelihood compared with temperature 1', () => {
    const heldOut = sampledLogits(3, 2000);
    const fitted = fitTemperature(heldOut);
    expect(negativeLogLikelihood(heldOut, fitted)).toBeLessThan(negativeLogLikelihood(heldOut, 1));
  });

  it('returns 1 when there is nothing to fit', () => {
    expect(fitTemperature({ logits: [], targets: new Int32Array(0) })).toBe(1);
  });
});

describe('expectedCalibrationError', () => {
  it('is zero when confidence matches accuracy in every bin', () => {
    const outcomes = [
      { confidence: 0.5, correct: true },
      { confidence: 0.5, correct: false },
      { confidence: 1, correct: true },
    ];
    expect(expectedCalibrationError(outcomes)).toBeCloseTo(0, 12);
  });

  it('measures overconfidence as the weighted gap', () => {
    // Four predictions at 0.9 confidence, half right: gap 0.4 over all of them.
    const outcomes = [true, false, true, false].map((correct) => ({ confidence: 0.9, correct }));
    expect(expectedCalibrationError(outcomes)).toBeCloseTo(0.4, 12);
  });
});
