/**
 * Calibration of classifier scores: temperature scaling (one parameter, fitted by minimising
 * the negative log-likelihood of held-out logits; Guo et al. 2017) and the expected
 * calibration error we report to show it worked.
 */

export interface HeldOutLogits {
  logits: Float64Array[];
  targets: Int32Array;
}

/** Mean negative log-likelihood of the targets under softmax(logits / temperature). */
export function negativeLogLikelihood({ logits, targets }: HeldOutLogits, temperature: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const row = logits[i]!;
    let max = -Infinity;
    for (const value of row) if (value > max) max = value;
    let sum = 0;
    for (const value of row) sum += Math.exp((value - max) / temperature);
    total += Math.log(sum) - (row[targets[i]!]! - max) / temperature;
  }
  return total / Math.max(1, logits.length);
}

/**
 * The temperature that minimises held-out NLL, by golden-section search on log T over
 * [1/50, 50]. NLL is unimodal in T for fixed logits, so this finds the optimum.
 */
export function fitTemperature(heldOut: HeldOutLogits): number {
  if (heldOut.logits.length === 0) return 1;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let low = Math.log(1 / 50);
  let high = Math.log(50);
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let fa = negativeLogLikelihood(heldOut, Math.exp(a));
  let fb = negativeLogLikelihood(heldOut, Math.exp(b));
  for (let iteration = 0; iteration < 60 && high - low > 1e-4; iteration++) {
    if (fa < fb) {
      high = b;
      b = a;
      fb = fa;
      a = high - ratio * (high - low);
      fa = negativeLogLikelihood(heldOut, Math.exp(a));
    } else {
      low = a;
      a = b;
      fa = fb;
      b = low + ratio * (high - low);
      fb = negativeLogLikelihood(heldOut, Math.exp(b));
    }
  }
  return Math.exp((low + high) / 2);
}

export interface ConfidenceOutcome {
  /** Probability the model gave its top label. */
  confidence: number;
  correct: boolean;
}

/**
 * Expected calibration error: the gap between confidence and accuracy, averaged over
 * equal-width confidence bins weighted by how many predictions fall in each.
 */
export function expectedCalibrationError(outcomes: ConfidenceOutcome[], bins = 15): number {
  const count = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  const correct = new Float64Array(bins);
  for (const outcome of outcomes) {
    const bin = Math.min(bins - 1, Math.floor(outcome.confidence * bins));
    count[bin] = count[bin]! + 1;
    confidence[bin] = confidence[bin]! + outcome.confidence;
    if (outcome.correct) correct[bin] = correct[bin]! + 1;
  }
  let error = 0;
  for (let bin = 0; bin < bins; bin++) {
    if (count[bin] === 0) continue;
    error += Math.abs(correct[bin]! - confidence[bin]!);
  }
  return error / Math.max(1, outcomes.length);
}
