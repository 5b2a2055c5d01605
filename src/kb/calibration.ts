/**
 * Calibrated retrieval scores without any eval data: the knowledge base calibrates
 * itself. Each FAQ paraphrase is used as a query with its own chunk left out; the
 * candidates that come back are labelled by whether they are the paraphrase's entry,
 * and a logistic model over the candidate features learns P(entry answers query).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { activeModelState, saveActiveModelState } from './kb.repository.js';
import { candidateFeatures, type EntryCandidate, logisticScorer, type RetrievalScorer } from './retrieval.js';

const KIND = 'retrieval_calibrator';

/** Used until the knowledge base has paraphrases to calibrate on. */
const PRIOR = { weights: [6, 1.5, 2, 4, 0.5, 3, 2], bias: -6.5 };

export interface CalibrationSource {
  paraphrases(): Promise<{ entryId: string; locale: string; question: string }[]>;
  candidates(
    query: string,
    options: { locale?: string; excludeText?: string; modelScores?: Map<string, number> },
  ): Promise<EntryCandidate[]>;
  /** Entry-model scores of each paraphrase from a model that never saw it. */
  outOfFoldScores?(paraphrases: { entryId: string; locale: string; question: string }[]): Promise<Map<number, Map<string, number>>>;
}

export interface CalibratorState {
  weights: number[];
  bias: number;
  samples: number;
  queries: number;
}

/** Logistic regression by gradient descent with a little L2; features are few and small. */
export function fitLogistic(samples: { features: number[]; label: 0 | 1 }[], iterations = 3000, rate = 0.5, l2 = 1e-3) {
  const width = samples[0]?.features.length ?? 0;
  const weights = new Array<number>(width).fill(0);
  let bias = 0;
  const positives = samples.filter((s) => s.label === 1).length;
  if (positives === 0 || positives === samples.length) return { weights: PRIOR.weights, bias: PRIOR.bias };
  for (let step = 0; step < iterations; step++) {
    const gradient = new Array<number>(width).fill(0);
    let gradientBias = 0;
    for (const sample of samples) {
      const z = sample.features.reduce((sum, value, i) => sum + value * weights[i]!, bias);
      const error = 1 / (1 + Math.exp(-z)) - sample.label;
      for (let i = 0; i < width; i++) gradient[i]! += error * sample.features[i]!;
      gradientBias += error;
    }
    for (let i = 0; i < width; i++) weights[i]! -= rate * (gradient[i]! / samples.length + l2 * weights[i]!);
    bias -= (rate * gradientBias) / samples.length;
  }
  return { weights, bias };
}

export async function fitCalibrator(source: CalibrationSource, maxQueries = 240): Promise<CalibratorState> {
  const paraphrases = await source.paraphrases();
  const outOfFold = await source.outOfFoldScores?.(paraphrases);
  // Spread the sample over entries: every k-th paraphrase.
  const step = Math.max(1, Math.ceil(paraphrases.length / maxQueries));
  const samples: { features: number[]; label: 0 | 1 }[] = [];
  let queries = 0;
  for (let i = 0; i < paraphrases.length; i += step) {
    const { entryId, locale, question } = paraphrases[i]!;
    const candidates = (await source.candidates(question, { locale, excludeText: question, modelScores: outOfFold?.get(i) })).slice(0, 5);
    queries++;
    candidates.forEach((candidate, index) => {
      samples.push({ features: candidateFeatures(candidates, index), label: candidate.entryId === entryId ? 1 : 0 });
    });
  }
  const { weights, bias } = fitLogistic(samples);
  return { weights, bias, samples: samples.length, queries };
}

/** A scorer that loads its fitted state from the database and refits after ingestion. */
export function selfCalibratingScorer(options: { db: Kysely<Database> }): RetrievalScorer & {
  load(): Promise<void>;
  state(): CalibratorState | undefined;
} {
  let state: CalibratorState | undefined;
  let scorer = logisticScorer(PRIOR.weights, PRIOR.bias);
  const use = (next: CalibratorState) => {
    state = next;
    scorer = logisticScorer(next.weights, next.bias);
  };
  return {
    score: (candidates) => scorer.score(candidates),
    async load() {
      const stored = await activeModelState(options.db, KIND);
      if (stored) use((typeof stored.state === 'string' ? JSON.parse(stored.state) : stored.state) as CalibratorState);
    },
    async refit(knowledgeBase) {
      const next = await fitCalibrator(knowledgeBase as CalibrationSource);
      await saveActiveModelState(options.db, KIND, `${KIND}@${Date.now()}`, next);
      use(next);
    },
    state: () => state,
  };
}
