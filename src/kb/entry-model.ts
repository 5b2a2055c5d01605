/**
 * A trained question-to-entry model: every FAQ entry is a class, its paraphrases and
 * title are the training examples. It learns which words point at which entry, as
 * FAQ-matching products do, and complements the unsupervised vector and keyword sides.
 * Trained from the database contents, so it is a cache any process can rebuild.
 */
import { type TextClassifier, trainTextClassifier } from '../models/local/text-classifier.js';

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
  paraphrases = [...paraphrases, ...extra];
  if (new Set(paraphrases.map((p) => p.entryId)).size < 2) return null;
  // Calibration inside the classifier is not needed here: the retrieval calibrator maps
  // this probability, with the other signals, to the final score.
  // Fixed naive-Bayes share and two folds: this model is retrained on every change of the
  // knowledge base (and four more times for calibration), so its training must be quick.
  return asModel(
    trainTextClassifier(examplesOf(paraphrases), { seed, folds: 2, bayesWeight: 0.1 }),
  );
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
  for (let fold = 0; fold < folds; fold++) {
    const training = paraphrases.filter((_, index) => index % folds !== fold);
    const model = trainEntryModel(training, extra, seed + fold);
    paraphrases.forEach((paraphrase, index) => {
      if (index % folds === fold)
        result.set(index, model ? model.scores(paraphrase.question) : new Map());
    });
  }
  return result;
}
