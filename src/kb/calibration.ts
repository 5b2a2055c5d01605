/**
 * Calibrated retrieval scores without any eval data: the knowledge base calibrates
 * itself. Each FAQ paraphrase is used as a query with its own chunk left out; the
 * candidates that come back are labelled by whether they are the paraphrase's entry;
 * a linear ranker learns how to order them, and a logistic model over its score learns
 * P(entry answers query).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/tables.js';
import { activeModelState, saveActiveModelState } from './kb.repository.js';
import { fitLinearRanker, type LinearRanker, linearRankerSchema, rankerScore } from './ranker.js';
import {
  candidateFeatures,
  type EntryCandidate,
  FEATURE_COUNT,
  rankerScorer,
  type RetrievalScorer,
  scoreFeatures,
} from './retrieval.js';

const KIND = 'retrieval_calibrator';
/** Bumped when the features change: a stored state of another version is refitted. */
const VERSION = 3;

/**
 * Used until the knowledge base has paraphrases to learn from (a corpus of one question
 * per entry, such as an imported FAQ sheet). Chosen by 5-fold cross-validation grouped by
 * thread on StackFAQ (bench/kb/stackfaq-ranker-cv.ts; four of five folds picked these):
 * question-side lexical match first, the dense cosine next, the entry model (one example
 * per entry) and the ranks not at all.
 */
const PRIOR_RANKER: LinearRanker = {
  means: new Array<number>(FEATURE_COUNT).fill(0),
  scales: new Array<number>(FEATURE_COUNT).fill(1),
  weights: [0, 4, 0.5, 2, 0, 0],
};
const PRIOR_PROBABILITY = { weights: [0.5, 1.5], bias: -2.5 };
const MIN_RANKER_QUERIES = 60;

export interface CalibrationSource {
  paraphrases(): Promise<{ entryId: string; locale: string; question: string }[]>;
  candidates(
    query: string,
    options: { locale?: string; excludeText?: string; modelScores?: Map<string, number> },
  ): Promise<EntryCandidate[]>;
  /** Entry-model scores of each paraphrase from a model that never saw it. */
  outOfFoldScores?(
    paraphrases: { entryId: string; locale: string; question: string }[],
    folds?: number,
  ): Promise<Map<number, Map<string, number>>>;
}

const calibratorStateSchema = z.object({
  version: z.literal(VERSION),
  ranker: linearRankerSchema,
  /** Logistic over `scoreFeatures` (ranker score, margin) -> P(answers). */
  weights: z.array(z.number()).length(2),
  bias: z.number(),
  samples: z.number(),
  queries: z.number(),
});

export type CalibratorState = z.infer<typeof calibratorStateSchema>;

/** Logistic regression by gradient descent with a little L2; features are few and small. */
export function fitLogistic(
  samples: { features: number[]; label: 0 | 1 }[],
  iterations = 3000,
  rate = 0.5,
  l2 = 1e-3,
) {
  const width = samples[0]?.features.length ?? 0;
  const weights = new Array<number>(width).fill(0);
  let bias = 0;
  const positives = samples.filter((s) => s.label === 1).length;
  if (positives === 0 || positives === samples.length) return PRIOR_PROBABILITY;
  for (let step = 0; step < iterations; step++) {
    const gradient = new Array<number>(width).fill(0);
    let gradientBias = 0;
    for (const sample of samples) {
      const z = sample.features.reduce((sum, value, i) => sum + value * weights[i]!, bias);
      const error = 1 / (1 + Math.exp(-z)) - sample.label;
      for (let i = 0; i < width; i++) gradient[i]! += error * sample.features[i]!;
      gradientBias += error;
    }
    for (let i = 0; i < width; i++)
      weights[i]! -= rate * (gradient[i]! / samples.length + l2 * weights[i]!);
    bias -= (rate * gradientBias) / samples.length;
  }
  return { weights, bias };
}

/**
 * Each sampled paraphrase is a query with its own chunk left out and entry-model scores
 * cross-fitted (from a model trained without it), so the ranker learns the entry model's
 * honest weight. The ranker is fitted on all candidates of every query; the probability
 * on the top five of each, as ranked.
 */
export async function fitCalibrator(
  source: CalibrationSource,
  options: { maxQueries?: number; folds?: number } = {},
): Promise<CalibratorState> {
  const paraphrases = await source.paraphrases();
  const outOfFold = await source.outOfFoldScores?.(paraphrases, options.folds ?? 5);
  // Spread the sample over entries: every k-th paraphrase.
  const step = Math.max(1, Math.ceil(paraphrases.length / (options.maxQueries ?? 400)));
  const queries: { features: number[][]; relevant: number[] }[] = [];
  // An entry with a single question answers its held-out question from its answer alone,
  // unlike any real query (which can match that question): such queries would teach the
  // ranker to ignore question matches. Only entries with another question left count.
  const questionCount = new Map<string, number>();
  for (const { entryId, locale } of paraphrases)
    questionCount.set(
      `${entryId}\u0000${locale}`,
      (questionCount.get(`${entryId}\u0000${locale}`) ?? 0) + 1,
    );
  for (let i = 0; i < paraphrases.length; i += step) {
    const { entryId, locale, question } = paraphrases[i]!;
    if ((questionCount.get(`${entryId}\u0000${locale}`) ?? 0) < 2) continue;
    const candidates = await source.candidates(question, {
      locale,
      excludeText: question,
      modelScores: outOfFold?.get(i),
    });
    queries.push({
      features: candidates.map(candidateFeatures),
      relevant: candidates.flatMap((candidate, index) =>
        candidate.entryId === entryId ? [index] : [],
      ),
    });
  }
  const learnable = queries.filter(
    (query) => query.relevant.length > 0 && query.features.length > 1,
  );
  // A handful of paraphrases overfits (weights of either sign): keep the prior until there are more.
  const ranker =
    learnable.length >= MIN_RANKER_QUERIES
      ? fitLinearRanker(
          learnable.map((query) => ({ candidates: query.features, relevant: query.relevant })),
        )
      : PRIOR_RANKER;
  const samples: { features: number[]; label: 0 | 1 }[] = [];
  for (const query of queries) {
    const scores = query.features.map((features) => rankerScore(ranker, features));
    const order = scores
      .map((_, index) => index)
      .sort((a, b) => scores[b]! - scores[a]!)
      .slice(0, 5);
    for (const index of order)
      samples.push({
        features: scoreFeatures(scores, index),
        label: query.relevant.includes(index) ? 1 : 0,
      });
  }
  const { weights, bias } = fitLogistic(samples);
  return {
    version: VERSION,
    ranker,
    weights,
    bias,
    samples: samples.length,
    queries: queries.length,
  };
}

/** A scorer that loads its fitted state from the database and refits after ingestion. */
export function selfCalibratingScorer(options: { db: Kysely<Database> }): RetrievalScorer & {
  load(): Promise<boolean>;
  state(): CalibratorState | undefined;
} {
  let state: CalibratorState | undefined;
  let scorer = rankerScorer(PRIOR_RANKER, PRIOR_PROBABILITY);
  const use = (next: CalibratorState) => {
    state = next;
    scorer = rankerScorer(next.ranker, next);
  };
  return {
    score: (candidates) => scorer.score(candidates),
    async load() {
      const stored = await activeModelState(options.db, KIND);
      const parsed = calibratorStateSchema.safeParse(
        typeof stored?.state === 'string' ? JSON.parse(stored.state) : stored?.state,
      );
      if (parsed.success) use(parsed.data);
      return parsed.success;
    },
    async refit(knowledgeBase) {
      const next = await fitCalibrator(knowledgeBase as CalibrationSource);
      await saveActiveModelState(options.db, KIND, `${KIND}@${Date.now()}`, next);
      use(next);
    },
    state: () => state,
  };
}
