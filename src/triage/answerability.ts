/**
 * Answerability: does the matched entry answer what the customer asked, or is it only the nearest
 * entry? Retrieval ranks entries; it cannot say "none of them". A customer asking to redeem points
 * for a gift gets the points-rules entry at 0.98, and one asking a person to chase order N gets the
 * tracking how-to. An automatic answer needs this model's word as well.
 *
 * One linear text model (text-classifier.ts) over the knowledge base's own FAQ paraphrases (one
 * class per entry) and a class `none` of messages that no entry answers, from
 * `knowledge-base/answerability.yaml`: near-topic questions each entry does not answer, requests
 * for a person to act on a specific order, parcel, invoice or payment, and money disputes. Its
 * probability of "none" is the evidence against answering; its limit is chosen by cross-validation
 * on that training data (bench/triage/answerability-cv.ts), never on an eval set.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { cachedModel, type ModelCache } from '../models/cache/model-cache.js';
import { inTrainingThread } from '../models/training/training-pool.js';
import {
  loadTextClassifier,
  type TextClassifier,
  trainTextClassifier,
} from '../models/local/text-classifier.js';
import { textClassifierStateSchema } from '../models/local/text-classifier-state.js';

const texts = z.array(z.string().min(1)).default([]);
const byLanguage = z.object({ zh: texts, en: texts });
export const answerabilityFileSchema = z.object({
  version: z.literal(1),
  /** Per entry id: near-topic messages its answer does not answer. */
  unanswered: z.record(z.string(), byLanguage).default({}),
  /** Requests that a person act on one specific order, parcel, invoice, payment or account. */
  person_action: byLanguage,
  /** Double charges, wrong amounts, short refunds, payouts. */
  money_dispute: byLanguage,
});
export type AnswerabilityFile = z.infer<typeof answerabilityFileSchema>;

export async function loadAnswerabilityFile(path: string): Promise<AnswerabilityFile> {
  return answerabilityFileSchema.parse(parse(await readFile(path, 'utf8')));
}

/** Every text the file says no entry answers. */
export function unansweredTexts(file: AnswerabilityFile): string[] {
  const all = [...Object.values(file.unanswered), file.person_action, file.money_dispute];
  return all.flatMap((group) => [...group.zh, ...group.en]);
}

/**
 * At or above this probability of "none", an answer is not sent alone. Chosen by
 * `npx tsx bench/triage/answerability-cv.ts` (3-fold CV on the paraphrases and the file: the best
 * recall-plus-veto trade-off; out of fold it keeps 70 % of answerable questions and vetoes 77 %
 * of unanswerable ones, before retrieval's own thresholds).
 */
export const ANSWERABILITY_NONE_LIMIT = 0.2;

export const NONE = '__none__';

export interface AnswerabilityAssessment {
  /** P(this entry | text) next to every other entry and "none". */
  probability: number;
  /** P(no entry answers it | text). */
  none: number;
  /** Whether the entry was in the model's training data (uploads after start are not). */
  known: boolean;
}

export interface AnswerabilityModel {
  assess(text: string, entryId: string): AnswerabilityAssessment;
  /** The veto limit on P(none). */
  readonly limit: number;
  /** The classifier, the entries it knows and the limit, for the model cache. */
  toJSON(): AnswerabilityModelState;
}

export const answerabilityModelStateSchema = z.object({
  classifier: textClassifierStateSchema,
  known: z.array(z.string()),
  limit: z.number(),
});
export type AnswerabilityModelState = z.infer<typeof answerabilityModelStateSchema>;

export interface EntryQuestion {
  entryId: string;
  question: string;
}

export function trainAnswerabilityModel(
  questions: readonly EntryQuestion[],
  file: AnswerabilityFile,
  options: { limit?: number; seed?: number } = {},
): AnswerabilityModel {
  const examples = [
    ...questions.map((item) => ({ text: item.question, label: item.entryId })),
    ...unansweredTexts(file).map((text) => ({ text, label: NONE })),
  ];
  const classifier = trainTextClassifier(examples, {
    seed: options.seed ?? 23,
    folds: 2,
    bayesWeight: 0.1,
    svmWeight: 0,
  });
  classifier.outOfScopeThreshold = 0;
  return answerabilityModel(
    classifier,
    questions.map((item) => item.entryId),
    options.limit ?? ANSWERABILITY_NONE_LIMIT,
  );
}

/** A model stored with `toJSON()` (parsed with `answerabilityModelStateSchema`). */
export function loadAnswerabilityModel(state: AnswerabilityModelState): AnswerabilityModel {
  return answerabilityModel(loadTextClassifier(state.classifier), state.known, state.limit);
}

function answerabilityModel(
  classifier: TextClassifier,
  entryIds: readonly string[],
  limit: number,
): AnswerabilityModel {
  const known = new Set(entryIds);
  return {
    limit,
    assess(text, entryId) {
      if (!known.has(entryId)) return { probability: 1, none: 0, known: false };
      const scores = classifier.predict(text);
      const probability = scores.find((score) => score.label === entryId)?.probability ?? 0;
      const none = scores.find((score) => score.label === NONE)?.probability ?? 0;
      return { probability, none, known: true };
    },
    toJSON: () => ({ classifier: classifier.toJSON(), known: [...known], limit }),
  };
}

/** `trainAnswerabilityModel` through the model cache: trained only for new questions or file. */
export async function cachedAnswerabilityModel(
  cache: ModelCache,
  questions: readonly EntryQuestion[],
  file: AnswerabilityFile,
): Promise<{ model: AnswerabilityModel; source: 'cache' | 'trained' }> {
  return cachedModel(cache, {
    name: 'answerability',
    inputs: { questions, file },
    schema: answerabilityModelStateSchema,
    train: async () =>
      loadAnswerabilityModel(await inTrainingThread(answerabilityModelJob, { questions, file })),
    save: (model) => model.toJSON(),
    load: loadAnswerabilityModel,
  });
}

/** `trainAnswerabilityModel` as a training-thread job: plain data in, the stored state out. */
export function answerabilityModelJob(args: {
  questions: readonly EntryQuestion[];
  file: AnswerabilityFile;
}): AnswerabilityModelState {
  return trainAnswerabilityModel(args.questions, args.file).toJSON();
}
