/**
 * Choosing the confidence threshold below which a message is handed off as out of scope.
 * The threshold is picked on out-of-fold predictions of the training data, so it reflects
 * how the model behaves on text it has not seen.
 */

export interface HeldOutPrediction {
  /** Calibrated probability of the predicted label. */
  confidence: number;
  /** The model's best label is the out-of-scope label itself. */
  predictedOutOfScope: boolean;
  /** The predicted label is the true one. */
  correct: boolean;
  /** The true label is the out-of-scope label. */
  outOfScope: boolean;
}

export interface ThresholdChoice {
  threshold: number;
  /** Share of in-scope examples accepted with the right label at this threshold. */
  inScopeAccuracy: number;
  /**
   * Share of the examples that should be handed off that are: out-of-scope examples when
   * the training data has them, otherwise the in-scope examples the model got wrong.
   */
  handOffRecall: number;
}

/**
 * Maximises (1 - prior) * inScopeAccuracy + prior * handOffRecall over all thresholds,
 * where `prior` is the share of traffic assumed to be out of scope. Without out-of-scope
 * examples, the misclassified in-scope examples stand in for them: handing those off is
 * the other useful thing a threshold can do.
 */
export function chooseThreshold(predictions: HeldOutPrediction[], prior: number): ThresholdChoice {
  const hasOutOfScope = predictions.some((prediction) => prediction.outOfScope);
  const inScope = predictions.filter((prediction) => !prediction.outOfScope);
  const shouldHandOff = hasOutOfScope
    ? predictions.filter((prediction) => prediction.outOfScope)
    : inScope.filter((prediction) => !prediction.correct);
  if (inScope.length === 0 || shouldHandOff.length === 0) {
    return { threshold: 0, inScopeAccuracy: inScope.length ? 1 : 0, handOffRecall: 0 };
  }
  // Sweep thresholds upward through the distinct confidences: at threshold t, a prediction
  // is handed off when its confidence is below t (or its label is out of scope).
  type Event = { confidence: number; accepted: number; handedOff: number };
  const events: Event[] = [];
  let accepted = 0;
  let handedOff = 0;
  for (const prediction of inScope) {
    if (prediction.correct && !prediction.predictedOutOfScope) {
      accepted++;
      events.push({ confidence: prediction.confidence, accepted: -1, handedOff: 0 });
    }
  }
  for (const prediction of shouldHandOff) {
    if (prediction.predictedOutOfScope) handedOff++;
    else events.push({ confidence: prediction.confidence, accepted: 0, handedOff: 1 });
  }
  events.sort((a, b) => a.confidence - b.confidence);
  const score = () =>
    (1 - prior) * (accepted / inScope.length) + prior * (handedOff / shouldHandOff.length);
  let best = { threshold: 0, value: score(), accepted, handedOff };
  for (let i = 0; i < events.length;) {
    const confidence = events[i]!.confidence;
    // Raising the threshold just above this confidence hands off everything at it.
    while (i < events.length && events[i]!.confidence === confidence) {
      accepted += events[i]!.accepted;
      handedOff += events[i]!.handedOff;
      i++;
    }
    const value = score();
    if (value > best.value) {
      const upper = i < events.length ? events[i]!.confidence : Math.min(1, confidence + 1e-6);
      best = { threshold: (confidence + upper) / 2, value, accepted, handedOff };
    }
  }
  return {
    threshold: best.threshold,
    inScopeAccuracy: best.accepted / inScope.length,
    handOffRecall: best.handedOff / shouldHandOff.length,
  };
}
