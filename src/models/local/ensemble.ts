/**
 * The classifier's two heads, logistic regression and naive Bayes, mixed as
 * log p_regression + weight * log p_bayes. Both are linear scores up to a constant per text
 * (which a softmax ignores), so the mix is regression + weight * bayes, one linear model.
 * The weight is chosen on out-of-fold scores.
 */

export interface HeadScores {
  regression: Float64Array;
  /** Absent when the naive Bayes head is switched off. */
  bayes?: Float64Array;
}

/** Candidate naive Bayes weights; 0 keeps logistic regression alone. */
export const BAYES_WEIGHTS = [0, 0.05, 0.1, 0.2, 0.3];

/** Mixed logits (log-probabilities up to a constant per text). */
export function combineHeads(scores: HeadScores, bayesWeight: number): Float64Array {
  const combined = Float64Array.from(scores.regression);
  if (bayesWeight === 0 || !scores.bayes) return combined;
  for (let c = 0; c < combined.length; c++) {
    combined[c] = combined[c]! + bayesWeight * scores.bayes[c]!;
  }
  return combined;
}

/** The weight whose combination classifies the most held-out texts right (smallest on ties). */
export function chooseBayesWeight(heldOut: HeadScores[], targets: Int32Array): number {
  let best = { weight: 0, correct: -1 };
  for (const weight of BAYES_WEIGHTS) {
    let correct = 0;
    heldOut.forEach((scores, i) => {
      if (argmax(combineHeads(scores, weight)) === targets[i]) correct++;
    });
    if (correct > best.correct) best = { weight, correct };
  }
  return best.weight;
}

export function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
