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
export function negativeLogLikelihood(
  { logits, targets }: HeldOutLogits,
  temperature: number,
): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const row = logits[i]!;
    let max = -Infinity;
    for (const value of row) if (value > max) max = value;
    let sum = 0;
    // Terms below e^-30 cannot change the sum in double precision: skip their exp().
    const floor = max - 30 * temperature;
    for (const value of row) if (value > floor) sum += Math.exp((value - max) / temperature);
    total += Math.log(sum) - (row[targets[i]!]! - max) / temperature;
  }
  return total / Math.max(1, logits.length);
}

/**
 * The temperature that minimises held-out NLL. Written in beta = 1/T the NLL is convex,
 * with derivative E_p[z] - z_target and second derivative Var_p[z], so a safeguarded Newton
 * search over beta in [1/50, 50] converges in a few passes over the logits.
 */
export function fitTemperature(heldOut: HeldOutLogits): number {
  if (heldOut.logits.length === 0) return 1;
  let low = 1 / 50;
  let high = 50;
  let beta = 1;
  for (let iteration = 0; iteration < 50; iteration++) {
    const { slope, curvature } = derivatives(heldOut, beta);
    if (Math.abs(slope) < 1e-9) break;
    // Convex: a positive slope puts the minimum at a smaller beta.
    if (slope > 0) high = beta;
    else low = beta;
    let next = curvature > 0 ? beta - slope / curvature : Number.NaN;
    if (!(next > low && next < high)) next = Math.sqrt(low * high);
    const done = Math.abs(next - beta) < 1e-6 * beta;
    beta = next;
    if (done || high - low < 1e-9) break;
  }
  return 1 / beta;
}

/** First and second derivative of the mean NLL with respect to beta = 1/T. */
function derivatives({ logits, targets }: HeldOutLogits, beta: number) {
  let slope = 0;
  let curvature = 0;
  for (let i = 0; i < logits.length; i++) {
    const row = logits[i]!;
    let max = -Infinity;
    for (const value of row) if (value > max) max = value;
    let sum = 0;
    let first = 0;
    let second = 0;
    // Terms below e^-30 cannot change the sums in double precision: skip their exp().
    const floor = max - 30 / beta;
    // Moments of (z - max): the same variance, without cancellation for large logits.
    for (const value of row) {
      if (value <= floor) continue;
      const shifted = value - max;
      const weight = Math.exp(beta * shifted);
      sum += weight;
      first += weight * shifted;
      second += weight * shifted * shifted;
    }
    const mean = first / sum;
    slope += max + mean - row[targets[i]!]!;
    curvature += Math.max(0, second / sum - mean * mean);
  }
  return { slope: slope / logits.length, curvature: curvature / logits.length };
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
