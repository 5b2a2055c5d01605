/** Scores a trained text classifier on labelled examples it has not seen. */
import { expectedCalibrationError } from '../../src/models/local/calibration.js';
import type { TextClassifier, TrainingExample } from '../../src/models/local/text-classifier.js';

export interface Evaluation {
  examples: number;
  /** Top label equals the true label (out-of-scope label included, no threshold). */
  accuracy: number;
  /** In-scope examples given their right label and not handed off (CLINC's definition). */
  inScopeAccuracy: number;
  /** Out-of-scope examples handed off (top label out of scope, or below the threshold). */
  outOfScopeRecall: number;
  /** Expected calibration error of the top label's probability. */
  calibrationError: number;
  messagesPerSecond: number;
}

export async function evaluate(
  classifier: TextClassifier,
  examples: TrainingExample[],
): Promise<Evaluation> {
  const outOfScopeLabel = classifier.outOfScopeLabel;
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let outOfScope = 0;
  let handedOff = 0;
  const outcomes: { confidence: number; correct: boolean }[] = [];
  const started = performance.now();
  for (const example of examples) {
    const result = await classifier.classify(example.text);
    const top = result.ranking[0]!;
    const right = top.label === example.label;
    if (right) correct++;
    outcomes.push({ confidence: top.probability, correct: right });
    if (example.label === outOfScopeLabel) {
      outOfScope++;
      if (result.outOfScope) handedOff++;
    } else {
      inScope++;
      if (!result.outOfScope && result.label === example.label) inScopeCorrect++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    examples: examples.length,
    accuracy: correct / examples.length,
    inScopeAccuracy: inScope ? inScopeCorrect / inScope : Number.NaN,
    outOfScopeRecall: outOfScope ? handedOff / outOfScope : Number.NaN,
    calibrationError: expectedCalibrationError(outcomes),
    messagesPerSecond: examples.length / seconds,
  };
}
