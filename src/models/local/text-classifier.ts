/**
 * The local text classifier: TF-IDF over words, word bigrams and character n-grams (CJK
 * included), multinomial logistic regression mixed with one-vs-rest linear SVMs and naive
 * Bayes, temperature scaling and an out-of-scope threshold, all fitted from labelled
 * examples in seconds. The mix, calibration and the threshold come from cross-validation
 * on the training examples, never from evaluation data.
 */
import type { z } from 'zod';
import type { Classification, Classifier, LabelScore } from '../ports.js';
import { expectedCalibrationError, fitTemperature } from './calibration.js';
import { stratifiedFolds } from './cross-validation.js';
import {
  argmax,
  chooseHeadWeights,
  combineHeads,
  type HeadScores,
  type HeadWeights,
} from './ensemble.js';
import { fitModel } from './model-fit.js';
import { chooseThreshold, type HeldOutPrediction } from './out-of-scope.js';
import { softmaxInPlace } from './softmax-regression.js';
import { extractFeatures, type FeatureOptions } from './text-features.js';
import { linearScores } from './linear-model.js';
import { createFeatureDictionary, type VectorizerOptions } from './tfidf.js';
import {
  type ClassifierParts,
  classifierParts,
  classifierState,
  type TextClassifierState,
  type trainingReportSchema,
} from './text-classifier-state.js';

export interface TrainingExample {
  text: string;
  label: string;
}

export interface TextClassifierOptions {
  /** The label that means "none of the above". Its examples are learnt like any label. */
  outOfScopeLabel?: string;
  seed?: number;
  /**
   * Folds of the cross-validation that fits calibration and the threshold. Default 5, or 3
   * when examples x labels exceeds a million (training cost grows with both).
   */
  folds?: number;
  /**
   * Share of traffic assumed to be out of scope when choosing the threshold: the threshold
   * maximises (1 - prior) * in-scope accuracy + prior * hand-off recall. Default 0.1.
   */
  outOfScopePrior?: number;
  /** Fixes the threshold instead of choosing it by cross-validation. */
  outOfScopeThreshold?: number;
  /** Class weights are (mean count / class count) ^ power: 1 = balanced, 0 = none. Default 1. */
  classBalance?: number;
  /** Minimum passes over the data; smaller data sets get more (about 40k steps). Default 3. */
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /**
   * Weight of the naive Bayes head next to logistic regression. Default: chosen by
   * cross-validation among 0, 0.05, 0.1, 0.2, 0.3; 0 switches the head off.
   */
  bayesWeight?: number;
  /**
   * Train the logistic regression head. Default true. Without it the SVM head (which
   * must then be on) is the discriminative head: training takes about as long as with the
   * regression alone, and keeps most of the SVM's gain.
   */
  regression?: boolean;
  /**
   * Weight of the linear SVM head (its margins added to the regression's logits). Default:
   * chosen by cross-validation among 0, 1, 2, 4, 8; 0 switches the head off (and takes
   * about 40 % off the training time).
   */
  svmWeight?: number;
  /** The SVMs' misclassification cost C. Default 1. */
  svmCost?: number;
  /** How many labels `classify` returns in its ranking. Default 5. */
  rankingSize?: number;
  features?: FeatureOptions & VectorizerOptions;
}

/** What training measured, for logs and benchmarks. */
export type TrainingReport = z.infer<typeof trainingReportSchema>;

export interface TextClassifier extends Classifier {
  readonly labels: string[];
  readonly outOfScopeLabel: string | undefined;
  readonly training: TrainingReport;
  /** Calibrated probabilities of every label, best first. */
  predict(text: string): LabelScore[];
  classify(text: string): Promise<Classification>;
  /** Below this calibrated confidence a message is out of scope. Settable. */
  outOfScopeThreshold: number;
  /** Everything it predicts with, for the model cache (`loadTextClassifier` restores it). */
  toJSON(): TextClassifierState;
}

const DEFAULTS = { folds: 5, prior: 0.1, classBalance: 1, epochs: 3, rankingSize: 5 };

/**
 * Enough SGD steps for small data sets to converge; big ones stop at `epochs`, which is
 * what keeps a 15k-example, 150-label set within seconds.
 */
const MIN_STEPS = 40_000;

export function trainTextClassifier(
  examples: TrainingExample[],
  options: TextClassifierOptions = {},
): TextClassifier {
  const started = performance.now();
  const labels = [...new Set(examples.map((example) => example.label))];
  if (labels.length < 2) {
    throw new Error(`A classifier needs examples of at least two labels; got ${labels.length}.`);
  }
  const seed = options.seed ?? 1;
  const labelIndex = new Map(labels.map((label, index) => [label, index]));
  const targets = Int32Array.from(examples, (example) => labelIndex.get(example.label)!);
  const dictionary = createFeatureDictionary();
  const features = examples.map((example) =>
    dictionary.encode(extractFeatures(example.text, options.features), true),
  );
  const outOfScopeIndex =
    options.outOfScopeLabel === undefined ? -1 : (labelIndex.get(options.outOfScopeLabel) ?? -1);

  // One number of passes for the fold models and the final one, so they are alike.
  const epochs = Math.min(
    200,
    Math.max(options.epochs ?? DEFAULTS.epochs, Math.ceil(MIN_STEPS / examples.length)),
  );
  const set = { dictionary, features, targets, classes: labels.length };
  const withRegression = options.regression ?? true;
  if (!withRegression && options.svmWeight === 0) {
    throw new Error('Switch on the regression or the SVM head: a classifier needs one.');
  }
  const fit = (indices: number[], heads: HeadWeights | 'all') =>
    fitModel(indices, set, {
      epochs,
      seed,
      withRegression: heads === 'all' ? withRegression : heads.regression > 0,
      withSvm: heads === 'all' ? options.svmWeight !== 0 : heads.svm > 0,
      withBayes: heads === 'all' ? options.bayesWeight !== 0 : heads.bayes > 0,
      svmCost: options.svmCost,
      classBalance: options.classBalance ?? DEFAULTS.classBalance,
      learningRate: options.learningRate,
      l2: options.l2,
      vectorizer: options.features,
    });

  // Out-of-fold logits: each example scored by a model that never saw it.
  const defaultFolds = examples.length * labels.length > 1_000_000 ? 3 : DEFAULTS.folds;
  const folds = Math.min(options.folds ?? defaultFolds, examples.length);
  const assignment = stratifiedFolds(targets, folds, seed);
  const heldOutScores: HeadScores[] = new Array(examples.length);
  for (let fold = 0; fold < folds; fold++) {
    const training: number[] = [];
    const heldOut: number[] = [];
    assignment.forEach((value, index) => (value === fold ? heldOut : training).push(index));
    if (training.length === 0 || heldOut.length === 0) continue;
    const model = fit(training, 'all');
    for (const index of heldOut) heldOutScores[index] = model.scores(features[index]!);
  }
  const scored = [...heldOutScores.keys()].filter((index) => heldOutScores[index] !== undefined);
  const scoredTargets = Int32Array.from(scored, (index) => targets[index]!);
  const scoredHeads = scored.map((index) => heldOutScores[index]!);
  const weights = chooseHeadWeights(scoredHeads, scoredTargets, {
    regression: withRegression,
    bayes: options.bayesWeight,
    svm: options.svmWeight,
  });
  const heldOut = {
    logits: scoredHeads.map((scores) => combineHeads(scores, weights)),
    targets: scoredTargets,
  };
  const temperature = fitTemperature(heldOut);
  const before = heldOutOutcomes(heldOut.logits, heldOut.targets, 1, outOfScopeIndex);
  const after = heldOutOutcomes(heldOut.logits, heldOut.targets, temperature, outOfScopeIndex);
  const choice = chooseThreshold(after, options.outOfScopePrior ?? DEFAULTS.prior);

  // The final model trains only the heads the mix uses.
  const { model, vectorizer } = fit([...examples.keys()], weights).merged(weights);
  return assembleClassifier({
    labels,
    outOfScopeLabel: options.outOfScopeLabel,
    outOfScopeThreshold: options.outOfScopeThreshold ?? choice.threshold,
    rankingSize: options.rankingSize ?? DEFAULTS.rankingSize,
    features: options.features,
    dictionary,
    vectorizer,
    model,
    temperature,
    training: {
      examples: examples.length,
      folds,
      crossValidatedAccuracy: accuracy(before),
      temperature,
      regressionWeight: weights.regression,
      svmWeight: weights.svm,
      bayesWeight: weights.bayes,
      calibrationErrorBefore: expectedCalibrationError(before),
      calibrationErrorAfter: expectedCalibrationError(after),
      threshold: choice,
      trainingMs: performance.now() - started,
    },
  });
}

/** A classifier stored with `toJSON()` (parse it with `textClassifierStateSchema` first). */
export function loadTextClassifier(state: TextClassifierState): TextClassifier {
  return assembleClassifier(classifierParts(state));
}

/** The one place a classifier is put together, so a restored one predicts as the trained one. */
function assembleClassifier(parts: ClassifierParts): TextClassifier {
  const { labels, dictionary, vectorizer, model, temperature, features, outOfScopeLabel } = parts;

  function predict(text: string): LabelScore[] {
    const encoded = dictionary.encode(extractFeatures(text, features), false);
    const probabilities = softmaxInPlace(
      linearScores(model, vectorizer.transform(encoded)),
      temperature,
    );
    return labels
      .map((label, index) => ({ label, probability: probabilities[index]! }))
      .sort((a, b) => b.probability - a.probability);
  }

  const classifier: TextClassifier = {
    name: 'local-text-classifier',
    // A copy: callers sorting or editing it must not change which index means which label.
    labels: [...labels],
    outOfScopeLabel,
    outOfScopeThreshold: parts.outOfScopeThreshold,
    training: parts.training,
    predict,
    async classify(text) {
      const ranking = predict(text);
      const best = ranking[0]!;
      const outOfScope =
        best.label === outOfScopeLabel || best.probability < classifier.outOfScopeThreshold;
      return {
        label: outOfScope ? null : best.label,
        confidence: best.probability,
        outOfScope,
        ranking: ranking.slice(0, parts.rankingSize),
      };
    },
    // The threshold as it is now: callers set it after training.
    toJSON: () =>
      classifierState({ ...parts, outOfScopeThreshold: classifier.outOfScopeThreshold }),
  };
  return classifier;
}

function heldOutOutcomes(
  logits: Float64Array[],
  targets: Int32Array,
  temperature: number,
  outOfScopeIndex: number,
): HeldOutPrediction[] {
  return logits.map((row, i) => {
    const probabilities = softmaxInPlace(Float64Array.from(row), temperature);
    const best = argmax(probabilities);
    return {
      confidence: probabilities[best]!,
      predictedOutOfScope: best === outOfScopeIndex,
      correct: best === targets[i],
      outOfScope: targets[i] === outOfScopeIndex,
    };
  });
}

function accuracy(predictions: HeldOutPrediction[]): number {
  if (predictions.length === 0) return 0;
  return predictions.filter((prediction) => prediction.correct).length / predictions.length;
}
