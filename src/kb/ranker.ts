/**
 * A learned linear ranker over candidate features: a conditional-logit (listwise softmax)
 * model, fitted on queries whose right entry is known, learns how much each signal is
 * worth relative to the others, which reciprocal rank fusion cannot (it weighs every list
 * alike, so a strong signal and a weak one count the same).
 */
import { z } from 'zod';

export interface RankingQuery {
  /** One feature vector per candidate, all the same width. */
  candidates: number[][];
  /** Indices of the candidates that answer the query (none: the query is skipped). */
  relevant: number[];
}

export const linearRankerSchema = z
  .object({
    means: z.array(z.number()),
    scales: z.array(z.number().positive()),
    weights: z.array(z.number()),
  })
  .refine(
    (state) =>
      state.means.length === state.weights.length && state.scales.length === state.weights.length,
    {
      message: 'means, scales and weights must have one value per feature',
    },
  );

export type LinearRanker = z.infer<typeof linearRankerSchema>;

export function rankerScore(ranker: LinearRanker, features: readonly number[]): number {
  if (features.length !== ranker.weights.length) {
    throw new Error(`Ranker expects ${ranker.weights.length} features, got ${features.length}.`);
  }
  let score = 0;
  for (let j = 0; j < features.length; j++)
    score += (ranker.weights[j]! * (features[j]! - ranker.means[j]!)) / ranker.scales[j]!;
  return score;
}

/**
 * Maximises the mean log-probability of the relevant candidates under a softmax over each
 * query's candidates, with L2 on standardised weights, by gradient descent (convex: a few
 * hundred steps converge).
 */
export function fitLinearRanker(
  queries: readonly RankingQuery[],
  options: { l2?: number; iterations?: number; rate?: number } = {},
): LinearRanker {
  const usable = queries.filter(
    (query) => query.relevant.length > 0 && query.candidates.length > 1,
  );
  const width = queries.find((query) => query.candidates.length)?.candidates[0]?.length ?? 0;
  const means = new Array<number>(width).fill(0);
  const scales = new Array<number>(width).fill(0);
  let count = 0;
  for (const query of usable)
    for (const row of query.candidates) (count++, row.forEach((value, j) => (means[j]! += value)));
  means.forEach((_, j) => (means[j] = count ? means[j]! / count : 0));
  for (const query of usable)
    for (const row of query.candidates)
      row.forEach((value, j) => (scales[j]! += (value - means[j]!) ** 2));
  scales.forEach(
    (sum, j) => (scales[j] = count && sum / count > 1e-12 ? Math.sqrt(sum / count) : 1),
  );
  const standardised = usable.map((query) =>
    query.candidates.map((row) => row.map((value, j) => (value - means[j]!) / scales[j]!)),
  );
  const weights = new Array<number>(width).fill(0);
  const l2 = options.l2 ?? 0.01;
  const rate = options.rate ?? 0.5;
  for (let iteration = 0; iteration < (options.iterations ?? 300) && usable.length; iteration++) {
    const gradient = new Array<number>(width).fill(0);
    usable.forEach((query, q) => {
      const rows = standardised[q]!;
      const logits = rows.map((row) => row.reduce((sum, value, j) => sum + value * weights[j]!, 0));
      const top = Math.max(...logits);
      const exps = logits.map((logit) => Math.exp(logit - top));
      const total = exps.reduce((sum, value) => sum + value, 0);
      const relevant = new Set(query.relevant);
      rows.forEach((row, i) => {
        const coefficient = exps[i]! / total - (relevant.has(i) ? 1 / relevant.size : 0);
        row.forEach((value, j) => (gradient[j]! += coefficient * value));
      });
    });
    for (let j = 0; j < width; j++)
      weights[j]! -= rate * (gradient[j]! / usable.length + l2 * weights[j]!);
  }
  return { means, scales, weights };
}
