/**
 * A trained question-to-entry model: every FAQ entry is a class, its paraphrases and
 * title are the training examples. It learns which words point at which entry, as
 * FAQ-matching products do, and complements the unsupervised vector and keyword sides.
 * Trained from the database contents, so it is a cache any process can rebuild.
 */
import { z } from 'zod';
import { cachedModel, type ModelCache } from '../models/cache/model-cache.js';
import {
  loadTextClassifier,
  type TextClassifier,
  trainTextClassifier,
} from '../models/local/text-classifier.js';
import {
  type TextClassifierState,
  textClassifierStateSchema,
} from '../models/local/text-classifier-state.js';
import { inTrainingThread } from '../models/training/training-pool.js';

export interface Paraphrase {
  entryId: string;
  locale: string;
  question: string;
}

export interface EntryModel {
  /** P(entry | text) for the most likely entries. */
  scores(text: string, top?: number): Map<string, number>;
}

function examplesOf(paraphrases: Paraphrase[]) {
  return paraphrases.map((paraphrase) => ({
    text: paraphrase.question,
    label: paraphrase.entryId,
  }));
}

function asModel(classifier: TextClassifier): EntryModel {
  return {
    scores(text, top = 10) {
      return new Map(
        classifier
          .predict(text)
          .slice(0, top)
          .map((score) => [score.label, score.probability]),
      );
    },
  };
}

/** `extra`: further texts of each entry (answer sentences, tags), never used as queries. */
export function trainEntryModel(
  paraphrases: Paraphrase[],
  extra: Paraphrase[] = [],
  seed = 5,
): EntryModel | null {
  const classifier = trainEntryClassifier(examplesOf([...paraphrases, ...extra]), seed);
  return classifier && asModel(classifier);
}

function trainEntryClassifier(
  examples: { text: string; label: string }[],
  seed: number,
): TextClassifier | null {
  if (new Set(examples.map((example) => example.label)).size < 2) return null;
  // Calibration inside the classifier is not needed here: the retrieval calibrator maps
  // this probability, with the other signals, to the final score.
  // Fixed naive-Bayes share and two folds: this model is retrained on every change of the
  // knowledge base (and four more times for calibration), so its training must be quick.
  return trainTextClassifier(examples, { seed, folds: 2, bayesWeight: 0.1 });
}

/** `trainEntryModel` through the model cache: trained only for texts it has not seen. */
export async function cachedEntryModel(
  cache: ModelCache,
  paraphrases: Paraphrase[],
  extra: Paraphrase[] = [],
  seed = 5,
): Promise<EntryModel | null> {
  const examples = examplesOf([...paraphrases, ...extra]);
  if (new Set(examples.map((example) => example.label)).size < 2) return null;
  const { model } = await cachedModel(cache, {
    name: 'entry-model',
    inputs: { examples, seed },
    schema: textClassifierStateSchema,
    train: async () =>
      loadTextClassifier((await inTrainingThread(entryModelJob, { examples, seed }))!),
    save: (classifier) => classifier.toJSON(),
    load: loadTextClassifier,
  });
  return asModel(model);
}

/** The entry model's training as a training-thread job: plain data in, the stored state out. */
export function entryModelJob(args: {
  examples: { text: string; label: string }[];
  seed: number;
}): TextClassifierState | null {
  return trainEntryClassifier(args.examples, args.seed)?.toJSON() ?? null;
}

/**
 * Out-of-fold scores: for each paraphrase, the scores of a model that never saw it, so
 * the retrieval calibrator learns from honest (not memorised) probabilities.
 */
export function outOfFoldEntryScores(
  paraphrases: Paraphrase[],
  extra: Paraphrase[] = [],
  folds = 3,
  seed = 5,
): Map<number, Map<string, number>> {
  const result = new Map<number, Map<string, number>>();
  for (let fold = 0; fold < folds; fold++)
    for (const [index, scores] of entryModelFoldJob({ paraphrases, extra, folds, fold, seed }))
      result.set(index, new Map(scores));
  return result;
}

/**
 * One fold of `outOfFoldEntryScores` (a training-thread job): the scores of the paraphrases
 * at `index % folds === fold`, from a model trained on the others, as [index, pairs].
 */
export function entryModelFoldJob(args: {
  paraphrases: Paraphrase[];
  extra: Paraphrase[];
  folds: number;
  fold: number;
  seed: number;
}): [number, [string, number][]][] {
  const { paraphrases, extra, folds, fold, seed } = args;
  const training = paraphrases.filter((_, index) => index % folds !== fold);
  const model = trainEntryModel(training, extra, seed + fold);
  return paraphrases.flatMap((paraphrase, index) =>
    index % folds === fold
      ? [
          [index, model ? [...model.scores(paraphrase.question)] : []] as [
            number,
            [string, number][],
          ],
        ]
      : [],
  );
}

/** Per paraphrase, its out-of-fold scores as [entry, probability] pairs, best first. */
const outOfFoldStateSchema = z.array(z.array(z.tuple([z.string(), z.number()])));

/**
 * `outOfFoldEntryScores` through the model cache: the folds' models are most of the score
 * calibration's cost, and a new data folder with the same knowledge base needs the same scores.
 */
export async function cachedOutOfFoldEntryScores(
  cache: ModelCache,
  paraphrases: Paraphrase[],
  extra: Paraphrase[] = [],
  folds = 3,
  seed = 5,
): Promise<Map<number, Map<string, number>>> {
  const { model } = await cachedModel(cache, {
    name: 'entry-model-out-of-fold',
    inputs: { paraphrases: examplesOf(paraphrases), extra: examplesOf(extra), folds, seed },
    schema: outOfFoldStateSchema,
    // The folds' models train side by side on the training threads.
    train: async () => {
      const result = new Map<number, Map<string, number>>();
      const parts = await Promise.all(
        Array.from({ length: folds }, (_, fold) =>
          inTrainingThread(entryModelFoldJob, { paraphrases, extra, folds, fold, seed }),
        ),
      );
      for (const part of parts)
        for (const [index, scores] of part) result.set(index, new Map(scores));
      return result;
    },
    save: (scores) => paraphrases.map((_, index) => [...(scores.get(index) ?? new Map())]),
    load: (rows) => {
      // Scores of other paraphrases would be scores of the wrong questions.
      if (rows.length !== paraphrases.length) throw new Error('out-of-fold scores do not fit');
      return new Map(rows.map((pairs, index) => [index, new Map(pairs)]));
    },
  });
  return model;
}
