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
  /** In-scope accuracy and out-of-scope recall had the threshold been each of `thresholds`. */
  sweep: { threshold: number; inScopeAccuracy: number; outOfScopeRecall: number }[];
}

const SWEEP = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];

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
  const rows: { confidence: number; top: string; label: string }[] = [];
  const started = performance.now();
  for (const example of examples) {
    const result = await classifier.classify(example.text);
    const top = result.ranking[0]!;
    const right = top.label === example.label;
    if (right) correct++;
    outcomes.push({ confidence: top.probability, correct: right });
    rows.push({ confidence: top.probability, top: top.label, label: example.label });
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
    sweep: SWEEP.map((threshold) => {
      const handedOff = (row: (typeof rows)[number]) =>
        row.top === outOfScopeLabel || row.confidence < threshold;
      const inScopeRows = rows.filter((row) => row.label !== outOfScopeLabel);
      const outOfScopeRows = rows.filter((row) => row.label === outOfScopeLabel);
      return {
        threshold,
        inScopeAccuracy:
          inScopeRows.filter((row) => !handedOff(row) && row.top === row.label).length /
          Math.max(1, inScopeRows.length),
        outOfScopeRecall:
          outOfScopeRows.filter(handedOff).length / Math.max(1, outOfScopeRows.length),
      };
    }),
  };
}
