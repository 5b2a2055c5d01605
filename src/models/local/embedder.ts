/**
 * A local text embedder with no weights to download: TF-IDF over hashed word and character
 * n-grams, projected by a truncated SVD fitted on the knowledge base itself (latent semantic
 * analysis), centred and L2-normalised. Deterministic for a given corpus, options and seed.
 */
import type { Embedder } from '../ports.js';
import { FEATURE_GROUPS, hashedFeatures } from './embedder-features.js';
import { multiplyCsr, randomizedSvd } from './embedder-svd.js';
import {
  decodeFloat32,
  decodeInt32,
  decodeInt8,
  dequantiseRows,
  encodeFloat32,
  encodeInt32,
  encodeInt8,
  quantiseRows,
  serializedLocalEmbedderSchema,
  stateFingerprint,
  type SerializedLocalEmbedder,
  type StoredLocalEmbedder,
} from './embedder-state.js';
import { applyTransform, withinGroupWhitening } from './embedder-whitening.js';
import {
  inverseDocumentFrequency,
  tfidfVector,
  toCsr,
  type IdfFormula,
  type TfidfSpace,
} from './embedder-tfidf.js';
import type { SparseVector } from './sparse-vector.js';

export type { SerializedLocalEmbedder } from './embedder-state.js';

export interface LocalEmbedderOptions {
  /** Output dimension (SVD rank). Default 256. */
  dimension?: number;
  seed?: number;
  /** Hash buckets per feature group: 2^hashBits. Default 20. */
  hashBits?: number;
  /** Weights of the word group and the character n-gram group. Defaults 1 and 1. */
  wordWeight?: number;
  charWeight?: number;
  /** Default 'smooth'. */
  idf?: IdfFormula;
  /**
   * IDF is raised to this power in each vector. A dot product multiplies two IDFs, so 0.5
   * weighs a shared feature by its IDF once, as BM25 does; 1 is the textbook TF-IDF. Default 1.
   */
  idfExponent?: number;
  /** Features must occur in this many corpus texts to get a projection row. Default 2. */
  minDocumentFrequency?: number;
  /** At most this many features (most frequent first) get a projection row. Default 16384. */
  maxProjectedFeatures?: number;
  /** Power iterations of the randomized SVD. Default 1 (2 measured no better). */
  powerIterations?: number;
  /**
   * Output dimensions are scaled by sigma^-power: 0 is classic LSA (documents as U Sigma),
   * 1 whitens. Default 0.
   */
  singularValuePower?: number;
  /** Subtract the corpus mean before normalising, so cosines spread over [-1, 1]. Default true. */
  centre?: boolean;
  /**
   * Paraphrase groups, parallel to the corpus (e.g. the knowledge-base entry of each
   * question; null for texts in no group, such as answers). When given, the embedding is
   * whitened against the variation inside groups.
   */
  groups?: ReadonlyArray<string | null | undefined>;
  /** How the projection is stored: 'int8' (a scale per row) is 4x smaller. Default 'int8'. */
  projectionEncoding?: 'float32' | 'int8';
  /** Shrinkage of the within-group covariance towards the identity, in [0, 1]. Default 0.3. */
  whiteningShrinkage?: number;
}

export interface LocalEmbedder extends Embedder {
  /** L2-normalised; all zeros for a text that shares no feature with the corpus. */
  embedSync(texts: string[]): number[][];
  embedOne(text: string): Float32Array;
  /** TF-IDF over hashed buckets (sorted indices), norm at most 1: the raw lexical side. */
  sparseVector(text: string): SparseVector;
  toJSON(): SerializedLocalEmbedder;
}

export function fitLocalEmbedder(
  corpus: string[],
  options: LocalEmbedderOptions = {},
): LocalEmbedder {
  const dimension = options.dimension ?? 256;
  const hashBits = options.hashBits ?? 20;
  const idfFormula = options.idf ?? 'smooth';
  const power = options.singularValuePower ?? 0;

  const featureSets = corpus.map((text) => hashedFeatures(text, hashBits));
  const documentFrequency = new Map<number, number>();
  for (const features of featureSets) {
    for (const group of FEATURE_GROUPS) {
      for (const bucket of features[group].keys()) {
        documentFrequency.set(bucket, (documentFrequency.get(bucket) ?? 0) + 1);
      }
    }
  }
  const buckets = Int32Array.from(documentFrequency.keys()).sort();
  const idfExponent = options.idfExponent ?? 1;
  const idfValues = Float32Array.from(
    buckets,
    (bucket) =>
      inverseDocumentFrequency(idfFormula, corpus.length, documentFrequency.get(bucket)!) **
      idfExponent,
  );
  const space: TfidfSpace = {
    wordWeight: options.wordWeight ?? 1,
    charWeight: options.charWeight ?? 1,
    idf: new Map(Array.from(buckets, (bucket, i) => [bucket, idfValues[i]!])),
    unseenIdf: inverseDocumentFrequency(idfFormula, corpus.length, 0) ** idfExponent,
  };

  // Projection rows: the most frequent features, ties broken by bucket for determinism.
  const projectionBuckets = Int32Array.from(
    [...documentFrequency]
      .filter(([, df]) => df >= (options.minDocumentFrequency ?? 2))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, options.maxProjectedFeatures ?? 16384)
      .map(([bucket]) => bucket),
  ).sort();
  const column = new Map(Array.from(projectionBuckets, (bucket, i) => [bucket, i]));
  const matrix = toCsr(
    featureSets.map((features) => tfidfVector(features, space)),
    column,
    projectionBuckets.length,
  );
  const svd = randomizedSvd(matrix, dimension, {
    seed: options.seed ?? 1,
    powerIterations: options.powerIterations ?? 1,
  });
  let projection: Float64Array = svd.right;
  const scale = Array.from(svd.singularValues, (sigma) => (sigma > 0 ? sigma ** -power : 0));
  for (let i = 0; i < projection.length; i++)
    projection[i] = projection[i]! * scale[i % dimension]!;

  const centre = options.centre ?? true;
  if (options.groups) {
    // Whitening is learnt on centred vectors; the mean is recomputed below.
    const embedded = multiplyCsr(matrix, projection, dimension);
    if (centre) subtractColumnMeans(embedded, dimension);
    const whitening = withinGroupWhitening(
      embedded,
      dimension,
      options.groups,
      options.whiteningShrinkage ?? 0.3,
    );
    if (whitening)
      projection = applyTransform(projection, projectionBuckets.length, dimension, whitening);
  }
  const stored = encodeProjection(
    Float32Array.from(projection),
    dimension,
    options.projectionEncoding ?? 'int8',
  );
  // The mean of the corpus as the stored (possibly quantised) projection embeds it.
  const mean = centre
    ? columnMeans(
        multiplyCsr(matrix, Float64Array.from(decodeProjection(stored, dimension)), dimension),
        dimension,
      )
    : new Float64Array(dimension);

  return loadLocalEmbedder({
    kind: 'local-tfidf-svd',
    version: 1,
    hashBits,
    dimension,
    wordWeight: space.wordWeight,
    charWeight: space.charWeight,
    documentCount: corpus.length,
    unseenIdf: space.unseenIdf,
    buckets: encodeInt32(buckets),
    idf: encodeFloat32(idfValues),
    projectionBuckets: encodeInt32(projectionBuckets),
    ...stored,
    mean: encodeFloat32(Float32Array.from(mean)),
    singularValues: Array.from(svd.singularValues),
  });
}

export function loadLocalEmbedder(input: StoredLocalEmbedder): LocalEmbedder {
  const state = serializedLocalEmbedderSchema.parse(input);
  const { dimension, hashBits } = state;
  const buckets = decodeInt32(state.buckets);
  const idf = decodeFloat32(state.idf);
  const projectionBuckets = decodeInt32(state.projectionBuckets);
  const projection = decodeProjection(state, dimension);
  const mean = decodeFloat32(state.mean);
  if (
    idf.length !== buckets.length ||
    projection.length !== projectionBuckets.length * dimension ||
    (state.projectionEncoding === 'int8' &&
      decodeFloat32(state.projectionScales ?? '').length !== projectionBuckets.length) ||
    mean.length !== dimension
  ) {
    throw new Error(
      'Local embedder state is inconsistent: array sizes do not match; refit the embedder.',
    );
  }
  const space: TfidfSpace = {
    wordWeight: state.wordWeight,
    charWeight: state.charWeight,
    idf: new Map(Array.from(buckets, (bucket, i) => [bucket, idf[i]!])),
    unseenIdf: state.unseenIdf,
  };
  const projectionRow = new Map(
    Array.from(projectionBuckets, (bucket, i) => [bucket, i * dimension]),
  );
  const model = `local-tfidf-svd-${dimension}@${stateFingerprint(state)}`;

  function sparseVector(text: string): SparseVector {
    return tfidfVector(hashedFeatures(text, hashBits), space);
  }

  function embedOne(text: string): Float32Array {
    const { indices, values } = sparseVector(text);
    const out = new Float64Array(dimension);
    let projected = false;
    for (let k = 0; k < indices.length; k++) {
      const row = projectionRow.get(indices[k]!);
      if (row === undefined) continue;
      projected = true;
      const value = values[k]!;
      for (let j = 0; j < dimension; j++) out[j] = out[j]! + value * projection[row + j]!;
    }
    if (!projected) return new Float32Array(dimension);
    let rawNorm = 0;
    let norm = 0;
    for (let j = 0; j < dimension; j++) {
      rawNorm += out[j]! * out[j]!;
      out[j] = out[j]! - mean[j]!;
      norm += out[j]! * out[j]!;
    }
    // A text at the corpus mean has no direction of its own: rounding noise is not one.
    const inverse = norm > 1e-8 * rawNorm ? 1 / Math.sqrt(norm) : 0;
    return Float32Array.from(out, (value) => value * inverse);
  }

  const embedSync = (texts: string[]): number[][] =>
    texts.map((text) => Array.from(embedOne(text)));

  return {
    model,
    dimension,
    embedSync,
    embedOne,
    sparseVector,
    embed: async (texts) => embedSync(texts),
    toJSON: () => state,
  };
}

function encodeProjection(
  projection: Float32Array,
  dimension: number,
  encoding: 'float32' | 'int8',
): Pick<SerializedLocalEmbedder, 'projection' | 'projectionEncoding' | 'projectionScales'> {
  if (encoding === 'float32')
    return { projection: encodeFloat32(projection), projectionEncoding: 'float32' };
  const { values, scales } = quantiseRows(projection, dimension);
  return {
    projection: encodeInt8(values),
    projectionEncoding: 'int8',
    projectionScales: encodeFloat32(scales),
  };
}

function decodeProjection(
  state: Pick<SerializedLocalEmbedder, 'projection' | 'projectionEncoding' | 'projectionScales'>,
  dimension: number,
): Float32Array {
  return state.projectionEncoding === 'int8'
    ? dequantiseRows(
        decodeInt8(state.projection),
        decodeFloat32(state.projectionScales ?? ''),
        dimension,
      )
    : decodeFloat32(state.projection);
}

function columnMeans(matrix: Float64Array, width: number): Float64Array {
  const means = new Float64Array(width);
  const rows = matrix.length / width;
  for (let i = 0; i < matrix.length; i++) {
    const j = i % width;
    means[j] = means[j]! + matrix[i]! / rows;
  }
  return means;
}

function subtractColumnMeans(matrix: Float64Array, width: number): void {
  const means = columnMeans(matrix, width);
  for (let i = 0; i < matrix.length; i++) matrix[i] = matrix[i]! - means[i % width]!;
}
