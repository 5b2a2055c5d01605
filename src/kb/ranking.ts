/**
 * Ranking maths for knowledge-base search, free of storage: BM25 over our own search
 * tokens, reciprocal rank fusion, per-match features, and a logistic calibrator that turns
 * them into "probability this entry answers the query".
 */
import { z } from 'zod';

export interface Scored {
  id: string;
  score: number;
}

export interface Bm25Parameters {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalisation. Default 0.75. */
  b?: number;
}

/** Corpus statistics BM25 needs; SQL can keep them in a small table. */
export interface TermStatistics {
  documentCount: number;
  averageLength: number;
  documentFrequency(token: string): number;
}

export interface KeywordDocument {
  /** Token -> count in the document. */
  counts: ReadonlyMap<string, number>;
  length: number;
}

export function keywordDocument(tokens: readonly string[]): KeywordDocument {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return { counts, length: tokens.length };
}

/** Robertson-Sparck Jones IDF with the +1 that keeps it positive (Lucene's form). */
export function bm25Idf(documentFrequency: number, documentCount: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** BM25 of one document; each distinct query token counts once. */
export function bm25Score(
  queryTokens: readonly string[],
  document: KeywordDocument,
  statistics: TermStatistics,
  parameters: Bm25Parameters = {},
): number {
  const k1 = parameters.k1 ?? 1.2;
  const b = parameters.b ?? 0.75;
  const lengthFactor = k1 * (1 - b + (b * document.length) / Math.max(statistics.averageLength, 1e-9));
  let score = 0;
  for (const token of new Set(queryTokens)) {
    const tf = document.counts.get(token);
    if (!tf) continue;
    const idf = bm25Idf(statistics.documentFrequency(token), statistics.documentCount);
    score += (idf * tf * (k1 + 1)) / (tf + lengthFactor);
  }
  return score;
}

/**
 * BM25 divided by its ceiling for this query (every query token present with saturated
 * frequency), so scores from different queries share one scale in [0, 1).
 */
export function normalisedBm25(
  queryTokens: readonly string[],
  document: KeywordDocument,
  statistics: TermStatistics,
  parameters: Bm25Parameters = {},
): number {
  const ceiling = bm25Ceiling(queryTokens, statistics, parameters);
  return ceiling > 0 ? bm25Score(queryTokens, document, statistics, parameters) / ceiling : 0;
}

export function bm25Ceiling(
  queryTokens: readonly string[],
  statistics: TermStatistics,
  parameters: Bm25Parameters = {},
): number {
  const k1 = parameters.k1 ?? 1.2;
  let ceiling = 0;
  for (const token of new Set(queryTokens)) {
    ceiling += bm25Idf(statistics.documentFrequency(token), statistics.documentCount) * (k1 + 1);
  }
  return ceiling;
}

export interface KeywordIndex {
  statistics: TermStatistics;
  /** Documents sharing at least one token with the query, best first. */
  search(queryTokens: readonly string[], limit?: number): Scored[];
  document(id: string): KeywordDocument | undefined;
}

/** An in-memory inverted index: the reference the SQL version is checked against. */
export function buildKeywordIndex(
  documents: ReadonlyArray<{ id: string; tokens: readonly string[] }>,
  parameters: Bm25Parameters = {},
): KeywordIndex {
  const k1 = parameters.k1 ?? 1.2;
  const b = parameters.b ?? 0.75;
  const parsed = documents.map((document) => keywordDocument(document.tokens));
  const byId = new Map(documents.map((document, i) => [document.id, parsed[i]!]));
  const postings = new Map<string, number[]>();
  parsed.forEach((document, i) => {
    for (const token of document.counts.keys()) {
      let list = postings.get(token);
      if (!list) postings.set(token, (list = []));
      list.push(i);
    }
  });
  const totalLength = parsed.reduce((sum, document) => sum + document.length, 0);
  const statistics: TermStatistics = {
    documentCount: documents.length,
    averageLength: documents.length > 0 ? totalLength / documents.length : 0,
    documentFrequency: (token) => postings.get(token)?.length ?? 0,
  };
  const lengthFactor = Float64Array.from(
    parsed,
    (document) => k1 * (1 - b + (b * document.length) / Math.max(statistics.averageLength, 1e-9)),
  );
  const accumulator = new Float64Array(documents.length);

  function search(queryTokens: readonly string[], limit = Infinity): Scored[] {
    const touched: number[] = [];
    for (const token of new Set(queryTokens)) {
      const list = postings.get(token);
      if (!list) continue;
      const idf = bm25Idf(list.length, statistics.documentCount);
      for (const i of list) {
        const tf = parsed[i]!.counts.get(token)!;
        if (accumulator[i] === 0) touched.push(i);
        accumulator[i] = accumulator[i]! + (idf * tf * (k1 + 1)) / (tf + lengthFactor[i]!);
      }
    }
    const results = touched.map((i) => ({ id: documents[i]!.id, score: accumulator[i]! }));
    for (const i of touched) accumulator[i] = 0;
    results.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
    return Number.isFinite(limit) ? results.slice(0, limit) : results;
  }

  return { statistics, search, document: (id) => byId.get(id) };
}

/**
 * Reciprocal rank fusion (Cormack, Clarke and Buettcher 2009): each list adds
 * weight / (k + rank), rank from 1. Lists must be sorted best first.
 */
export function reciprocalRankFusion(
  lists: ReadonlyArray<readonly Scored[]>,
  k = 60,
  weights: readonly number[] = [],
): Scored[] {
  const fused = new Map<string, number>();
  lists.forEach((list, l) => {
    const weight = weights[l] ?? 1;
    list.forEach(({ id }, rank) => fused.set(id, (fused.get(id) ?? 0) + weight / (k + rank + 1)));
  });
  return [...fused]
    .map(([id, score]) => ({ id, score }))
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
}

/** Keeps the best score per group (e.g. chunks -> knowledge-base entry), best first. */
export function maxPerGroup(scored: readonly Scored[], groupOf: (id: string) => string): Scored[] {
  const best = new Map<string, number>();
  for (const { id, score } of scored) {
    const group = groupOf(id);
    const held = best.get(group);
    if (held === undefined || score > held) best.set(group, score);
  }
  return [...best]
    .map(([id, score]) => ({ id, score }))
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
}

/** One candidate entry for one query, with its raw signals (e.g. dense, lexical, keyword). */
export interface MatchSignals {
  id: string;
  /** Higher is better; the same signals in the same order for every candidate. */
  signals: readonly number[];
}

export interface MatchFeatures {
  id: string;
  /** 1-based rank after reciprocal rank fusion of the signals. */
  fusedRank: number;
  features: number[];
}

/**
 * Features of each candidate for the calibrator: the signals; each signal minus the best
 * value among the other candidates (positive only for a clear winner); 1 / fused rank.
 * Candidates come back in fused order.
 */
export function matchFeatures(candidates: readonly MatchSignals[], k = 60): MatchFeatures[] {
  if (candidates.length === 0) return [];
  const signalCount = candidates[0]!.signals.length;
  const lists: Scored[][] = [];
  const best: Array<[number, number]> = []; // top two values per signal
  for (let s = 0; s < signalCount; s++) {
    const list = candidates
      .map(({ id, signals }) => ({ id, score: signals[s]! }))
      .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
    lists.push(list);
    best.push([list[0]!.score, list[1]?.score ?? 0]);
  }
  const byId = new Map(candidates.map((candidate) => [candidate.id, candidate]));
  return reciprocalRankFusion(lists, k).map(({ id }, index) => {
    const { signals } = byId.get(id)!;
    const margins = signals.map((value, s) => value - (value >= best[s]![0] ? best[s]![1] : best[s]![0]));
    return { id, fusedRank: index + 1, features: [...signals, ...margins, 1 / (index + 1)] };
  });
}

export interface CalibrationSample {
  features: number[];
  relevant: boolean;
  /** Weight in the fit. Default 1. */
  weight?: number;
}

/**
 * Training samples from one query whose right answer is known (a knowledge-base question
 * held out from its own entry): the top candidates as they rank, and the same query again
 * with the right entry removed, standing in for a customer question the knowledge base does
 * not cover, weighted so that such questions make up `outOfScopeShare` (default 0.3).
 */
export function calibrationSamples(
  candidates: readonly MatchSignals[],
  answerId: string,
  options: { top?: number; outOfScopeShare?: number } = {},
): CalibrationSample[] {
  const top = options.top ?? 5;
  // The share of customer questions the KB cannot answer sets the calibrator's prior.
  const share = Math.min(Math.max(options.outOfScopeShare ?? 0.3, 0), 0.99);
  const toSamples = (list: readonly MatchSignals[], weight: number): CalibrationSample[] =>
    matchFeatures(list)
      .slice(0, top)
      .map(({ id, features }) => ({ features, relevant: id === answerId, weight }));
  const samples = toSamples(candidates, 1);
  if (share > 0) samples.push(...toSamples(candidates.filter(({ id }) => id !== answerId), share / (1 - share)));
  return samples;
}

/** A fitted calibrator as stored (JSON), next to the embedder state it was fitted with. */
export const serializedScoreCalibratorSchema = z
  .object({
    means: z.array(z.number()),
    scales: z.array(z.number().positive()),
    weights: z.array(z.number()),
    bias: z.number(),
  })
  .refine((state) => state.means.length === state.weights.length && state.scales.length === state.weights.length, {
    message: 'means, scales and weights must have one value per feature',
  });

export type SerializedScoreCalibrator = z.infer<typeof serializedScoreCalibratorSchema>;

export interface ScoreCalibrator {
  /** Probability that the candidate answers the query, in (0, 1). */
  probability(features: readonly number[]): number;
  toJSON(): SerializedScoreCalibrator;
}

/**
 * L2-regularised logistic regression on standardised features, fitted by Newton's method
 * (a handful of features: the Hessian is tiny and the fit takes milliseconds).
 */
export function fitScoreCalibrator(
  samples: readonly CalibrationSample[],
  options: { l2?: number; iterations?: number } = {},
): ScoreCalibrator {
  if (samples.length === 0) throw new Error('Cannot fit a score calibrator on no samples.');
  const size = samples[0]!.features.length;
  const weightOf = samples.map((sample) => sample.weight ?? 1);
  const total = weightOf.reduce((sum, weight) => sum + weight, 0);
  const means = new Array<number>(size).fill(0);
  const scales = new Array<number>(size).fill(0);
  samples.forEach(({ features }, i) => features.forEach((value, j) => (means[j]! += (weightOf[i]! * value) / total)));
  samples.forEach(({ features }, i) =>
    features.forEach((value, j) => (scales[j]! += (weightOf[i]! * (value - means[j]!) ** 2) / total)),
  );
  scales.forEach((variance, j) => (scales[j] = variance > 1e-12 ? Math.sqrt(variance) : 1));
  const rows = samples.map(({ features }) => [...features.map((value, j) => (value - means[j]!) / scales[j]!), 1]);
  const l2 = options.l2 ?? 1e-2;
  const width = size + 1;
  let beta = new Array<number>(width).fill(0);
  for (let iteration = 0; iteration < (options.iterations ?? 25); iteration++) {
    const gradient = beta.map((value, j) => (j < size ? l2 * value * total : 0));
    const hessian = Array.from({ length: width }, (_, a) =>
      Array.from({ length: width }, (_, b) => (a === b && a < size ? l2 * total : 0)),
    );
    rows.forEach((row, i) => {
      const p = sigmoid(dot(beta, row));
      const residual = weightOf[i]! * (p - (samples[i]!.relevant ? 1 : 0));
      const weight = weightOf[i]! * Math.max(p * (1 - p), 1e-9);
      for (let a = 0; a < width; a++) {
        gradient[a]! += residual * row[a]!;
        for (let b = 0; b < width; b++) hessian[a]![b]! += weight * row[a]! * row[b]!;
      }
    });
    const step = solve(hessian, gradient);
    beta = beta.map((value, j) => value - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return loadScoreCalibrator({ means, scales, weights: beta.slice(0, size), bias: beta[size]! });
}

export function loadScoreCalibrator(state: SerializedScoreCalibrator): ScoreCalibrator {
  const { means, scales, weights, bias } = serializedScoreCalibratorSchema.parse(state);
  return {
    probability(features) {
      if (features.length !== weights.length) {
        throw new Error(`Calibrator expects ${weights.length} features, got ${features.length}.`);
      }
      let z = bias;
      for (let j = 0; j < weights.length; j++) z += (weights[j]! * (features[j]! - means[j]!)) / scales[j]!;
      return sigmoid(z);
    },
    toJSON: () => ({ means: [...means], scales: [...scales], weights: [...weights], bias }),
  };
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and dense). */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    const divisor = a[c]![c]! || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const factor = a[r]![c]! / divisor;
      for (let k = c; k <= n; k++) a[r]![k]! -= factor * a[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = a[r]![n]!;
    for (let k = r + 1; k < n; k++) sum -= a[r]![k]! * x[k]!;
    x[r] = sum / (a[r]![r]! || 1e-12);
  }
  return x;
}
