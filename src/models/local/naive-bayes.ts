/**
 * Multinomial naive Bayes over TF-IDF vectors (Rennie et al. 2003): a generative head whose
 * mistakes differ from logistic regression's, so a small share of it in the mix helps.
 * Training is one pass of counting. Its scores (log-likelihood plus log prior, up to a
 * constant per text) are linear in the vector, so it is a `LinearModel`.
 */
import type { LinearModel } from './linear-model.js';
import type { SparseVector } from './sparse-vector.js';

export function trainNaiveBayes(
  vectors: SparseVector[],
  targets: Int32Array,
  classes: number,
  dimension: number,
  smoothing = 0.1,
): LinearModel {
  // Feature-major like the regression, so scoring reads contiguous rows.
  const weights = new Float32Array(dimension * classes);
  const totals = new Float64Array(classes);
  const counts = new Float64Array(classes);
  vectors.forEach((vector, example) => {
    const c = targets[example]!;
    counts[c] = counts[c]! + 1;
    for (let j = 0; j < vector.indices.length; j++) {
      const at = vector.indices[j]! * classes + c;
      weights[at] = weights[at]! + vector.values[j]!;
      totals[c] = totals[c]! + vector.values[j]!;
    }
  });
  const logPrior = new Float64Array(classes);
  const logDenominator = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    logPrior[c] = Math.log((counts[c]! + 1) / (vectors.length + classes));
    logDenominator[c] = Math.log(totals[c]! + smoothing * dimension);
  }
  for (let f = 0; f < dimension; f++) {
    for (let c = 0; c < classes; c++) {
      const at = f * classes + c;
      weights[at] = Math.log(weights[at]! + smoothing) - logDenominator[c]!;
    }
  }
  return { classes, weights, bias: logPrior };
}
