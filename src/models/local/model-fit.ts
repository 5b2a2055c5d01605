/**
 * Fits the classifier's model on a subset of the training examples: a TF-IDF vectoriser
 * on that subset's features, logistic regression and (optionally) naive Bayes and linear
 * SVMs. Called once per cross-validation fold and once on all examples.
 */
import type { HeadScores, HeadWeights } from './ensemble.js';
import {
  addLinearModels,
  linearScores,
  scaleLinearModel,
  type LinearModel,
} from './linear-model.js';
import { trainLinearSvm } from './linear-svm.js';
import { trainNaiveBayes } from './naive-bayes.js';
import { trainSoftmaxRegression } from './softmax-regression.js';
import {
  fitVectorizer,
  type EncodedFeatures,
  type FeatureDictionary,
  type Vectorizer,
  type VectorizerOptions,
} from './tfidf.js';

export interface FittedModel {
  /** Each head's scores, for choosing their mix on held-out texts. */
  scores(encoded: EncodedFeatures): HeadScores;
  /**
   * Regression + the weighted other heads, merged into a single linear model, with the
   * vectoriser that feeds it: the parts a classifier scores with (and stores).
   */
  merged(weights: HeadWeights): { model: LinearModel; vectorizer: Vectorizer };
}

export interface TrainingSet {
  dictionary: FeatureDictionary;
  features: EncodedFeatures[];
  targets: Int32Array;
  classes: number;
}

export interface FitOptions {
  epochs: number;
  seed: number;
  withRegression: boolean;
  withSvm: boolean;
  withBayes: boolean;
  /** The SVMs' misclassification cost C. Default 1 (LIBLINEAR's). */
  svmCost?: number;
  /** Class weights are (mean count / class count) ^ classBalance. */
  classBalance: number;
  learningRate?: number;
  l2?: number;
  vectorizer?: VectorizerOptions;
}

/** Vectoriser and heads fitted on the examples at `indices` only. */
export function fitModel(indices: number[], set: TrainingSet, options: FitOptions): FittedModel {
  const vectorizer = fitVectorizer(
    set.dictionary,
    indices.map((index) => set.features[index]!),
    options.vectorizer,
  );
  const vectors = indices.map((index) => vectorizer.transform(set.features[index]!));
  const subset = Int32Array.from(indices, (index) => set.targets[index]!);
  const weights = classWeights(subset, set.classes, options.classBalance);
  const regression = options.withRegression
    ? trainSoftmaxRegression(vectors, subset, set.classes, vectorizer.dimension, {
        epochs: options.epochs,
        learningRate: options.learningRate,
        l2: options.l2,
        seed: options.seed,
        classWeights: weights,
      })
    : undefined;
  const bayes = options.withBayes
    ? trainNaiveBayes(vectors, subset, set.classes, vectorizer.dimension)
    : undefined;
  // As many passes as the regression gets epochs: about the same cost.
  const svm = options.withSvm
    ? trainLinearSvm(vectors, subset, set.classes, vectorizer.dimension, {
        cost: options.svmCost,
        passes: options.epochs,
        seed: options.seed,
        classWeights: weights,
      })
    : undefined;
  return {
    scores(encoded) {
      const vector = vectorizer.transform(encoded);
      return {
        regression: regression ? linearScores(regression, vector) : undefined,
        svm: svm ? linearScores(svm, vector) : undefined,
        bayes: bayes ? linearScores(bayes, vector) : undefined,
      };
    },
    merged(mix) {
      const parts: [LinearModel | undefined, number][] = [
        [regression, mix.regression],
        [svm, mix.svm],
        [bayes, mix.bayes],
      ];
      let model: LinearModel | undefined;
      for (const [head, weight] of parts) {
        if (!head || weight === 0) continue;
        model = model ? addLinearModels(model, head, weight) : scaleLinearModel(head, weight);
      }
      if (!model) throw new Error('No classifier head has a positive weight.');
      return { model, vectorizer };
    },
  };
}

/** (mean count / class count) ^ power, scaled so the average example weighs 1. */
function classWeights(
  targets: Int32Array,
  classes: number,
  power: number,
): Float64Array | undefined {
  if (power === 0) return undefined;
  const counts = new Float64Array(classes);
  for (const target of targets) counts[target] = counts[target]! + 1;
  const weights = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    weights[c] = counts[c]! > 0 ? (targets.length / classes / counts[c]!) ** power : 0;
  }
  let mean = 0;
  for (const target of targets) mean += weights[target]!;
  mean /= targets.length;
  for (let c = 0; c < classes; c++) weights[c] = weights[c]! / mean;
  return weights;
}
