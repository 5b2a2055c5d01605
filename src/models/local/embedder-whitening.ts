/**
 * Within-group whitening (WCCN, as in speaker verification): when the corpus says which
 * texts are paraphrases of one another (a knowledge-base entry's questions), directions
 * along which paraphrases differ are shrunk, so cosine follows meaning rather than wording.
 */
import { symmetricEigen } from './embedder-svd.js';

/**
 * A `dimension x dimension` transform W (row-major; apply as z W) from embedded texts
 * (`rows x dimension`, row-major) and a group per text (null: in no group). Each row is
 * L2-normalised first, as cosine sees it. `shrinkage` in [0, 1] mixes the within-group
 * covariance with its mean variance times the identity, so rare directions are not blown up.
 */
export function withinGroupWhitening(
  embedded: Float64Array,
  dimension: number,
  groups: ReadonlyArray<string | null | undefined>,
  shrinkage: number,
): Float64Array | null {
  const members = new Map<string, number[]>();
  groups.forEach((group, row) => {
    if (group === null || group === undefined) return;
    let list = members.get(group);
    if (!list) members.set(group, (list = []));
    list.push(row);
  });
  const covariance = new Float64Array(dimension * dimension);
  const centred = new Float64Array(dimension);
  const groupMean = new Float64Array(dimension);
  let count = 0;
  for (const rows of members.values()) {
    if (rows.length < 2) continue;
    groupMean.fill(0);
    for (const row of rows) addNormalised(embedded, row, dimension, groupMean, 1 / rows.length);
    for (const row of rows) {
      centred.fill(0);
      addNormalised(embedded, row, dimension, centred, 1);
      for (let a = 0; a < dimension; a++) {
        const value = centred[a]! - groupMean[a]!;
        if (value === 0) continue;
        for (let b = 0; b < dimension; b++) {
          covariance[a * dimension + b] =
            covariance[a * dimension + b]! + value * (centred[b]! - groupMean[b]!);
        }
      }
      count++;
    }
  }
  if (count <= members.size) return null;
  let trace = 0;
  for (let a = 0; a < dimension; a++) trace += covariance[a * dimension + a]!;
  const floor = (shrinkage * trace) / dimension;
  for (let i = 0; i < covariance.length; i++) covariance[i] = covariance[i]! * (1 - shrinkage);
  for (let a = 0; a < dimension; a++)
    covariance[a * dimension + a] = covariance[a * dimension + a]! + floor;

  // W = E Lambda^-1/2 E^T, scaled so that its mean eigenvalue is 1.
  const { values, vectors } = symmetricEigen(covariance, dimension);
  const inverseRoot = Float64Array.from(values, (value) =>
    value > 1e-12 * trace ? 1 / Math.sqrt(value) : 0,
  );
  const meanRoot = inverseRoot.reduce((sum, value) => sum + value, 0) / dimension;
  const transform = new Float64Array(dimension * dimension);
  for (let a = 0; a < dimension; a++) {
    for (let b = 0; b < dimension; b++) {
      let sum = 0;
      for (let e = 0; e < dimension; e++) {
        sum += vectors[a * dimension + e]! * inverseRoot[e]! * vectors[b * dimension + e]!;
      }
      transform[a * dimension + b] = sum / meanRoot;
    }
  }
  return transform;
}

function addNormalised(
  matrix: Float64Array,
  row: number,
  dimension: number,
  out: Float64Array,
  weight: number,
): void {
  let norm = 0;
  for (let j = 0; j < dimension; j++) norm += matrix[row * dimension + j]! ** 2;
  if (norm === 0) return;
  const scale = weight / Math.sqrt(norm);
  for (let j = 0; j < dimension; j++) out[j] = out[j]! + matrix[row * dimension + j]! * scale;
}

/** M W for M (rows x dimension) and W (dimension x dimension). */
export function applyTransform(
  matrix: Float64Array,
  rows: number,
  dimension: number,
  transform: Float64Array,
): Float64Array {
  const out = new Float64Array(rows * dimension);
  for (let row = 0; row < rows; row++) {
    for (let a = 0; a < dimension; a++) {
      const value = matrix[row * dimension + a]!;
      if (value === 0) continue;
      for (let b = 0; b < dimension; b++) {
        out[row * dimension + b] =
          out[row * dimension + b]! + value * transform[a * dimension + b]!;
      }
    }
  }
  return out;
}
