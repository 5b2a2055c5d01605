/**
 * The lexical side of the local embedder: sublinear TF x IDF over hashed buckets, one L2
 * norm per feature group, and the CSR matrix of a corpus for the SVD.
 */
import { FEATURE_GROUPS, type HashedFeatures } from './embedder-features.js';
import type { CsrMatrix } from './embedder-svd.js';
import type { SparseVector } from './sparse-vector.js';

export interface TfidfSpace {
  wordWeight: number;
  charWeight: number;
  /** Bucket -> IDF. */
  idf: ReadonlyMap<number, number>;
  /** IDF of a bucket never seen in the corpus; it counts in the norm only. */
  unseenIdf: number;
}

/**
 * `smooth` is scikit-learn's ln((1+N)/(1+df)) + 1; `probabilistic` is BM25's
 * ln(1 + (N-df+0.5)/(df+0.5)), which gives words in most texts almost no weight.
 */
export type IdfFormula = 'smooth' | 'probabilistic';

export function inverseDocumentFrequency(
  formula: IdfFormula,
  documents: number,
  documentFrequency: number,
): number {
  return formula === 'smooth'
    ? Math.log((1 + documents) / (1 + documentFrequency)) + 1
    : Math.log(1 + (documents - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * Each group L2-normalised and weighted, then the whole vector scaled to unit norm.
 * Unseen buckets count in the norm: a message made mostly of words the knowledge base
 * never uses gets a shorter lexical vector (norm below 1).
 */
export function tfidfVector(features: HashedFeatures, space: TfidfSpace): SparseVector {
  const entries: Array<[number, number]> = [];
  let total = 0;
  for (const group of FEATURE_GROUPS) {
    const weight = group === 'word' ? space.wordWeight : space.charWeight;
    const start = entries.length;
    let squaredNorm = 0;
    for (const [bucket, count] of features[group]) {
      const idf = space.idf.get(bucket);
      const value = (1 + Math.log(count)) * (idf ?? space.unseenIdf);
      squaredNorm += value * value;
      if (idf !== undefined && value > 0) entries.push([bucket, value]);
    }
    if (squaredNorm === 0 || weight === 0) {
      entries.length = start;
      continue;
    }
    const scale = weight / Math.sqrt(squaredNorm);
    for (let i = start; i < entries.length; i++) entries[i]![1] *= scale;
    total += weight * weight;
  }
  entries.sort((a, b) => a[0] - b[0]);
  const scale = total > 0 ? 1 / Math.sqrt(total) : 0;
  return {
    indices: Int32Array.from(entries, ([bucket]) => bucket),
    values: Float32Array.from(entries, ([, value]) => value * scale),
  };
}

/** Rows restricted to the buckets that have a column. */
export function toCsr(
  rows: readonly SparseVector[],
  column: ReadonlyMap<number, number>,
  columns: number,
): CsrMatrix {
  const rowPointers = new Int32Array(rows.length + 1);
  const columnIndices: number[] = [];
  const values: number[] = [];
  rows.forEach((row, r) => {
    const picked: Array<[number, number]> = [];
    for (let k = 0; k < row.indices.length; k++) {
      const c = column.get(row.indices[k]!);
      if (c !== undefined) picked.push([c, row.values[k]!]);
    }
    picked.sort((a, b) => a[0] - b[0]);
    for (const [c, value] of picked) {
      columnIndices.push(c);
      values.push(value);
    }
    rowPointers[r + 1] = columnIndices.length;
  });
  return {
    rows: rows.length,
    columns,
    rowPointers,
    columnIndices: Int32Array.from(columnIndices),
    values: Float64Array.from(values),
  };
}
