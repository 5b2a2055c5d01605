/**
 * A linear scorer over sparse vectors: one row of class weights per feature (feature-major,
 * so a sparse vector reads contiguous memory) and a bias per class. Both classifier heads,
 * logistic regression and naive Bayes, are linear models, so their mix is one too.
 */
import type { SparseVector } from './sparse-vector.js';

export interface LinearModel {
  readonly classes: number;
  /** `dimension * classes` weights, the row of feature f at f * classes. */
  readonly weights: Float32Array;
  readonly bias: Float64Array;
}

/** bias + scale * (vector . weights), for every class, written into `out`. */
export function linearScores(
  model: LinearModel,
  vector: SparseVector,
  out = new Float64Array(model.classes),
  scale = 1,
): Float64Array {
  const { classes, weights, bias } = model;
  out.fill(0);
  const { indices, values } = vector;
  // Four feature rows per sweep over the classes: V8 does not vectorise, and reading and
  // writing `out` once for four rows instead of once per row saves about a third.
  let j = 0;
  for (; j + 3 < indices.length; j += 4) {
    const row0 = indices[j]! * classes;
    const row1 = indices[j + 1]! * classes;
    const row2 = indices[j + 2]! * classes;
    const row3 = indices[j + 3]! * classes;
    const value0 = values[j]!;
    const value1 = values[j + 1]!;
    const value2 = values[j + 2]!;
    const value3 = values[j + 3]!;
    for (let c = 0; c < classes; c++) {
      out[c] =
        out[c]! +
        value0 * weights[row0 + c]! +
        value1 * weights[row1 + c]! +
        value2 * weights[row2 + c]! +
        value3 * weights[row3 + c]!;
    }
  }
  for (; j < indices.length; j++) {
    const row = indices[j]! * classes;
    const value = values[j]!;
    for (let c = 0; c < classes; c++) out[c] = out[c]! + value * weights[row + c]!;
  }
  for (let c = 0; c < classes; c++) out[c] = out[c]! * scale + bias[c]!;
  return out;
}

/** The model whose scores are a's plus `factor` times b's (same shape). */
export function addLinearModels(a: LinearModel, b: LinearModel, factor: number): LinearModel {
  const weights = new Float32Array(a.weights.length);
  for (let i = 0; i < weights.length; i++) weights[i] = a.weights[i]! + factor * b.weights[i]!;
  const bias = new Float64Array(a.bias.length);
  for (let c = 0; c < bias.length; c++) bias[c] = a.bias[c]! + factor * b.bias[c]!;
  return { classes: a.classes, weights, bias };
}

/** The model whose scores are `factor` times the given one's (itself when factor is 1). */
export function scaleLinearModel(model: LinearModel, factor: number): LinearModel {
  if (factor === 1) return model;
  const weights = new Float32Array(model.weights.length);
  for (let i = 0; i < weights.length; i++) weights[i] = model.weights[i]! * factor;
  const bias = new Float64Array(model.bias.length);
  for (let c = 0; c < bias.length; c++) bias[c] = model.bias[c]! * factor;
  return { classes: model.classes, weights, bias };
}
