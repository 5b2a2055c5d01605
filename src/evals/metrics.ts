/**
 * Metrics of a run, pure functions of expected and actual outcomes: classification
 * (accuracy, macro F1, per label, confusion), out of scope, retrieval ranking, latency.
 * A metric whose denominator is empty is left out (undefined), never reported as 0 or 1.
 */
import { z } from 'zod';

export const labelMetricsSchema = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  /** Cases whose expected label is this one. */
  support: z.number(),
});
export type LabelMetrics = z.infer<typeof labelMetricsSchema>;

/** `matrix[i][j]`: cases expected `labels[i]` and predicted `labels[j]`. */
export const confusionSchema = z.object({
  labels: z.array(z.string()),
  matrix: z.array(z.array(z.number())),
});
export type Confusion = z.infer<typeof confusionSchema>;

export interface ClassificationMetrics {
  accuracy: number;
  macroF1: number;
  perLabel: Record<string, LabelMetrics>;
  confusion: Confusion;
}

export interface Prediction {
  expected: string;
  predicted: string;
}

export function ratio(numerator: number, denominator: number): number | undefined {
  return denominator === 0 ? undefined : numerator / denominator;
}

export function mean(values: readonly number[]): number | undefined {
  return values.length === 0
    ? undefined
    : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Labels are every label expected or predicted (scikit-learn's macro average): a label
 * only ever predicted wrongly counts with F1 0. Precision without predictions and recall
 * without support are 0.
 */
export function classificationMetrics(predictions: readonly Prediction[]): ClassificationMetrics {
  const labels = [...new Set(predictions.flatMap((p) => [p.expected, p.predicted]))].sort();
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const { expected, predicted } of predictions)
    matrix[index.get(expected)!]![index.get(predicted)!]!++;
  const perLabel: Record<string, LabelMetrics> = {};
  labels.forEach((label, i) => {
    const truePositives = matrix[i]![i]!;
    const support = matrix[i]!.reduce((sum, count) => sum + count, 0);
    const predictedCount = matrix.reduce((sum, row) => sum + row[i]!, 0);
    const precision = predictedCount ? truePositives / predictedCount : 0;
    const recall = support ? truePositives / support : 0;
    perLabel[label] = {
      precision,
      recall,
      f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
      support,
    };
  });
  const correct = labels.reduce((sum, _, i) => sum + matrix[i]![i]!, 0);
  return {
    accuracy: predictions.length ? correct / predictions.length : 0,
    macroF1: mean(Object.values(perLabel).map((metrics) => metrics.f1)) ?? 0,
    perLabel,
    confusion: { labels, matrix },
  };
}

export interface OutOfScopeMetrics {
  /** In-scope cases given their label (not handed off): CLINC150's in-scope accuracy. */
  inScopeAccuracy?: number;
  /** Out-of-scope cases handed off. */
  oosRecall?: number;
  /** Hand-offs that were out of scope. */
  oosPrecision?: number;
}

/** `predicted === outOfScopeLabel` means the system judged the case out of scope. */
export function outOfScopeMetrics(
  predictions: readonly Prediction[],
  outOfScopeLabel: string,
): OutOfScopeMetrics {
  const inScope = predictions.filter((p) => p.expected !== outOfScopeLabel);
  const outOfScope = predictions.filter((p) => p.expected === outOfScopeLabel);
  const handedOff = predictions.filter((p) => p.predicted === outOfScopeLabel);
  return {
    inScopeAccuracy: ratio(
      inScope.filter((p) => p.predicted === p.expected).length,
      inScope.length,
    ),
    oosRecall: ratio(
      outOfScope.filter((p) => p.predicted === outOfScopeLabel).length,
      outOfScope.length,
    ),
    oosPrecision: ratio(
      handedOff.filter((p) => p.expected === outOfScopeLabel).length,
      handedOff.length,
    ),
  };
}

export interface RankedResult {
  /** Ids best first, as retrieval returned them. */
  ranking: readonly string[];
  relevant: readonly string[];
}

/** Average precision over the returned ranking (relevant ids never returned count as misses). */
export function averagePrecision(
  ranking: readonly string[],
  relevant: ReadonlySet<string>,
): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranking.forEach((id, position) => {
    if (!relevant.has(id)) return;
    hits++;
    sum += hits / (position + 1);
  });
  return sum / relevant.size;
}

export function reciprocalRank(ranking: readonly string[], relevant: ReadonlySet<string>): number {
  const position = ranking.findIndex((id) => relevant.has(id));
  return position < 0 ? 0 : 1 / (position + 1);
}

/** Share of the relevant ids found in the first k. */
export function recallAt(
  ranking: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
): number {
  if (relevant.size === 0) return 0;
  return ranking.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

export interface RetrievalMetrics {
  map: number;
  mrr: number;
  recallAt1: number;
  recallAt5: number;
  /** The first result is relevant (equals recallAt1 when each case has one relevant id). */
  precisionAt1: number;
}

export function retrievalMetrics(results: readonly RankedResult[]): RetrievalMetrics {
  const sets = results.map((result) => ({
    ranking: result.ranking,
    relevant: new Set(result.relevant),
  }));
  const average = (score: (ranking: readonly string[], relevant: ReadonlySet<string>) => number) =>
    mean(sets.map(({ ranking, relevant }) => score(ranking, relevant))) ?? 0;
  return {
    map: average(averagePrecision),
    mrr: average(reciprocalRank),
    recallAt1: average((ranking, relevant) => recallAt(ranking, relevant, 1)),
    recallAt5: average((ranking, relevant) => recallAt(ranking, relevant, 5)),
    precisionAt1: average((ranking, relevant) =>
      ranking[0] !== undefined && relevant.has(ranking[0]) ? 1 : 0,
    ),
  };
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface CostMetrics {
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  /** Mean LLM tokens per case, over every case (0 for cases that made no call); absent when no case reported tokens. */
  tokensPerCase?: number;
  totalTokens?: number;
}

export function costMetrics(
  cases: readonly { latencyMs?: number; tokens?: number }[],
): CostMetrics {
  const latencies = cases.flatMap((c) => (c.latencyMs === undefined ? [] : [c.latencyMs]));
  const metrics: CostMetrics = {
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
  };
  if (cases.some((c) => c.tokens !== undefined)) {
    metrics.totalTokens = cases.reduce((sum, c) => sum + (c.tokens ?? 0), 0);
    metrics.tokensPerCase = metrics.totalTokens / cases.length;
  }
  return metrics;
}

/** Drops undefined metrics, so the JSON report holds only what was measured. */
export function measured<T extends object>(
  metrics: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(
    Object.entries(metrics).filter(([, value]) => value !== undefined),
  ) as never;
}
