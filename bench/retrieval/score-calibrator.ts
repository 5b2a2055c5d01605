/**
 * Per-match features and a logistic calibrator that turns them into "probability this entry
 * answers the query": the benchmarks' model (the service calibrates with src/kb/calibration.ts).
 */
import { z } from 'zod';
import { reciprocalRankFusion, type Scored } from './keyword-index.js';

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
    const margins = signals.map(
      (value, s) => value - (value >= best[s]![0] ? best[s]![1] : best[s]![0]),
    );
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
  if (share > 0)
    samples.push(
      ...toSamples(
        candidates.filter(({ id }) => id !== answerId),
        share / (1 - share),
      ),
    );
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
  .refine(
    (state) =>
      state.means.length === state.weights.length && state.scales.length === state.weights.length,
    {
      message: 'means, scales and weights must have one value per feature',
    },
  );

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
  samples.forEach(({ features }, i) =>
    features.forEach((value, j) => (means[j]! += (weightOf[i]! * value) / total)),
  );
  samples.forEach(({ features }, i) =>
    features.forEach(
      (value, j) => (scales[j]! += (weightOf[i]! * (value - means[j]!) ** 2) / total),
    ),
  );
  scales.forEach((variance, j) => (scales[j] = variance > 1e-12 ? Math.sqrt(variance) : 1));
  const rows = samples.map(({ features }) => [
    ...features.map((value, j) => (value - means[j]!) / scales[j]!),
    1,
  ]);
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
      for (let j = 0; j < weights.length; j++)
        z += (weights[j]! * (features[j]! - means[j]!)) / scales[j]!;
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
