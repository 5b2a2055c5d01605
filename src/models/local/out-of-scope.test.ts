import { describe, expect, it } from 'vitest';
import { chooseThreshold, type HeldOutPrediction } from './out-of-scope.js';

const inScope = (confidence: number, correct = true): HeldOutPrediction => ({
  confidence,
  correct,
  predictedOutOfScope: false,
  outOfScope: false,
});
const outOfScope = (confidence: number, predictedOutOfScope = false): HeldOutPrediction => ({
  confidence,
  correct: predictedOutOfScope,
  predictedOutOfScope,
  outOfScope: true,
});

describe('chooseThreshold', () => {
  it('separates out-of-scope examples from confident in-scope ones', () => {
    const predictions = [
      ...[0.9, 0.8, 0.85, 0.7, 0.95].map((confidence) => inScope(confidence)),
      ...[0.2, 0.3, 0.25].map((confidence) => outOfScope(confidence)),
      outOfScope(0.6, true),
    ];
    const choice = chooseThreshold(predictions, 0.5);
    expect(choice.threshold).toBeGreaterThan(0.3);
    expect(choice.threshold).toBeLessThanOrEqual(0.7);
    expect(choice.inScopeAccuracy).toBe(1);
    expect(choice.handOffRecall).toBe(1);
  });

  it('weighs in-scope accuracy more when out-of-scope traffic is assumed rare', () => {
    // Two out-of-scope examples sit above two correct in-scope ones.
    const predictions = [
      ...[0.4, 0.45, 0.9, 0.95].map((confidence) => inScope(confidence)),
      ...[0.5, 0.55, 0.1].map((confidence) => outOfScope(confidence)),
    ];
    expect(chooseThreshold(predictions, 0.5).threshold).toBeGreaterThan(0.55);
    const rare = chooseThreshold(predictions, 0.05);
    expect(rare.threshold).toBeLessThan(0.4);
    expect(rare.inScopeAccuracy).toBe(1);
  });

  it('without out-of-scope examples, hands off the misclassified ones', () => {
    const predictions = [
      ...[0.8, 0.9, 0.95, 0.85].map((confidence) => inScope(confidence)),
      inScope(0.3, false),
      inScope(0.35, false),
    ];
    const choice = chooseThreshold(predictions, 0.5);
    expect(choice.threshold).toBeGreaterThan(0.35);
    expect(choice.threshold).toBeLessThanOrEqual(0.8);
    expect(choice.handOffRecall).toBe(1);
  });

  it('keeps threshold 0 when every prediction is right', () => {
    expect(chooseThreshold([inScope(0.6), inScope(0.9)], 0.1).threshold).toBe(0);
  });
});
