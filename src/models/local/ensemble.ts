/**
 * The classifier's heads: logistic regression, linear SVMs (one-vs-rest) and naive Bayes,
 * mixed as regression + svmWeight * svm + bayesWeight * bayes. The regression and naive
 * Bayes scores are log-probabilities up to a constant per text (which a softmax ignores);
 * the SVM scores are margins, which the weight puts on the scale of the regression's
 * logits. All three are linear, so the mix is one linear model. The weights are chosen on
 * out-of-fold scores.
 */

export interface HeadScores {
  /** Absent when the regression head is switched off. */
  regression?: Float64Array;
  /** Absent when the SVM head is switched off. */
  svm?: Float64Array;
  /** Absent when the naive Bayes head is switched off. */
  bayes?: Float64Array;
}

export interface HeadWeights {
  /** 1 when the regression head is on, 0 when off: the other weights are relative to it. */
  regression: number;
  svm: number;
  bayes: number;
}

/** Candidate naive Bayes weights; 0 leaves the head out. */
export const BAYES_WEIGHTS = [0, 0.05, 0.1, 0.2, 0.3];
/** Candidate SVM weights next to the regression; 0 leaves the head out. */
export const SVM_WEIGHTS = [0, 1, 2, 4, 8];
/**
 * The SVM's weight when it is the only discriminative head: margins times 4 are about
 * as spread as the regression's logits, so the naive Bayes candidates mean the same share.
 */
export const SVM_ALONE_WEIGHT = 4;

/** Mixed logits (log-probabilities up to a constant per text). */
export function combineHeads(scores: HeadScores, weights: HeadWeights): Float64Array {
  const size = (scores.regression ?? scores.svm ?? scores.bayes)!.length;
  const combined = new Float64Array(size);
  addScaled(combined, scores.regression, weights.regression);
  addScaled(combined, scores.svm, weights.svm);
  addScaled(combined, scores.bayes, weights.bayes);
  return combined;
}

function addScaled(target: Float64Array, source: Float64Array | undefined, weight: number): void {
  if (weight === 0 || !source) return;
  for (let c = 0; c < target.length; c++) target[c] = target[c]! + weight * source[c]!;
}

/**
 * The weights whose mix classifies the most held-out texts right, among the candidates
 * (a weight given in `fixed` is not searched). Ties go to the smaller SVM weight, then the
 * smaller naive Bayes weight: the simpler mix. `fixed.regression` says whether the
 * regression head is on (default: whether the held-out scores have it); without it the SVM
 * weight is SVM_ALONE_WEIGHT, even with no held-out scores at all.
 */
export function chooseHeadWeights(
  heldOut: HeadScores[],
  targets: Int32Array,
  fixed: { regression?: boolean; svm?: number; bayes?: number } = {},
): HeadWeights {
  const present = (head: keyof HeadScores) => heldOut.some((scores) => scores[head]);
  const regression = (fixed.regression ?? present('regression')) ? 1 : 0;
  const svmCandidates =
    fixed.svm !== undefined
      ? [fixed.svm]
      : !regression
        ? [SVM_ALONE_WEIGHT]
        : present('svm')
          ? SVM_WEIGHTS
          : [0];
  const bayesCandidates =
    fixed.bayes !== undefined ? [fixed.bayes] : present('bayes') ? BAYES_WEIGHTS : [0];
  let best: HeadWeights = { regression, svm: svmCandidates[0]!, bayes: bayesCandidates[0]! };
  let bestCorrect = -1;
  for (const svm of svmCandidates) {
    for (const bayes of bayesCandidates) {
      const weights = { regression, svm, bayes };
      let correct = 0;
      heldOut.forEach((scores, i) => {
        if (mixedArgmax(scores, weights) === targets[i]) correct++;
      });
      if (correct > bestCorrect) {
        best = weights;
        bestCorrect = correct;
      }
    }
  }
  return best;
}

/** argmax of combineHeads(scores, weights), without building the mixed row. */
function mixedArgmax(scores: HeadScores, weights: HeadWeights): number {
  const { regression, svm, bayes } = scores;
  const r = regression ? weights.regression : 0;
  const s = svm ? weights.svm : 0;
  const b = bayes ? weights.bayes : 0;
  const size = (regression ?? svm ?? bayes)!.length;
  let best = 0;
  let bestValue = -Infinity;
  for (let c = 0; c < size; c++) {
    let value = 0;
    if (r !== 0) value += r * regression![c]!;
    if (s !== 0) value += s * svm![c]!;
    if (b !== 0) value += b * bayes![c]!;
    if (value > bestValue) {
      bestValue = value;
      best = c;
    }
  }
  return best;
}

export function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
