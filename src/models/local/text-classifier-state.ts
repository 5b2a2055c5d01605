/**
 * A trained text classifier as data, to store in the model cache and restore without training:
 * its feature dictionary (strings in id order), the fitted vectoriser, the merged linear model
 * and the calibration temperature. Typed arrays stay typed arrays (the cache file keeps their
 * bytes), so a restored classifier computes exactly what the trained one did.
 */
import { z } from 'zod';
import type { LinearModel } from './linear-model.js';
import type { FeatureOptions } from './text-features.js';
import {
  createFeatureDictionary,
  createVectorizer,
  type FeatureDictionary,
  type Vectorizer,
  type VectorizerOptions,
} from './tfidf.js';

const int32 = z.custom<Int32Array>((value) => value instanceof Int32Array, 'Int32Array');
const float32 = z.custom<Float32Array>((value) => value instanceof Float32Array, 'Float32Array');
const float64 = z.custom<Float64Array>((value) => value instanceof Float64Array, 'Float64Array');
/** Report figures are for logs; one may be NaN (e.g. an error over no predictions). */
const figure = z.number().or(z.nan());

export const trainingReportSchema = z.object({
  examples: z.number(),
  folds: z.number(),
  crossValidatedAccuracy: figure,
  temperature: figure,
  regressionWeight: figure,
  svmWeight: figure,
  bayesWeight: figure,
  calibrationErrorBefore: figure,
  calibrationErrorAfter: figure,
  threshold: z.object({ threshold: figure, inScopeAccuracy: figure, handOffRecall: figure }),
  trainingMs: figure,
});

export const textClassifierStateSchema = z
  .object({
    kind: z.literal('text-classifier'),
    version: z.literal(1),
    labels: z.array(z.string()).min(2),
    outOfScopeLabel: z.string().optional(),
    outOfScopeThreshold: z.number(),
    rankingSize: z.number().int().positive(),
    /** The options `extractFeatures` was given (plain numbers and flags), kept whole. */
    features: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
    dictionary: z.object({ words: z.array(z.string()), chars: z.array(z.string()) }),
    vectorizer: z.object({
      dimension: z.number().int().nonnegative(),
      columns: z.object({ words: int32, chars: int32 }),
      idf: float32,
      weights: z.object({ words: z.number(), chars: z.number() }),
      unseenIdf: z.number(),
      unseenInNorm: z.boolean(),
    }),
    model: z.object({ classes: z.number().int().min(2), weights: float32, bias: float64 }),
    temperature: z.number().positive(),
    training: trainingReportSchema,
  })
  .refine(
    ({ labels, dictionary, vectorizer, model }) =>
      model.classes === labels.length &&
      model.bias.length === model.classes &&
      model.weights.length === vectorizer.dimension * model.classes &&
      vectorizer.idf.length === vectorizer.dimension &&
      vectorizer.columns.words.length <= dictionary.words.length &&
      vectorizer.columns.chars.length <= dictionary.chars.length,
    'the stored arrays do not fit together',
  );

export type TextClassifierState = z.infer<typeof textClassifierStateSchema>;

/** What a classifier scores with: trained just now or restored from a state. */
export interface ClassifierParts {
  labels: string[];
  outOfScopeLabel: string | undefined;
  outOfScopeThreshold: number;
  rankingSize: number;
  features: (FeatureOptions & VectorizerOptions) | undefined;
  dictionary: FeatureDictionary;
  vectorizer: Vectorizer;
  model: LinearModel;
  temperature: number;
  training: z.infer<typeof trainingReportSchema>;
}

export function classifierState(parts: ClassifierParts): TextClassifierState {
  const { dictionary, vectorizer, model, features, outOfScopeLabel, ...rest } = parts;
  const { words, chars } = vectorizer.state.columns;
  return {
    kind: 'text-classifier',
    version: 1,
    ...rest,
    ...(outOfScopeLabel === undefined ? {} : { outOfScopeLabel }),
    // Every option is a number or a flag: kept whole, so none is lost on the way back.
    ...(features === undefined ? {} : { features: { ...features } as Record<string, number> }),
    dictionary: { words: dictionary.strings('words'), chars: dictionary.strings('chars') },
    vectorizer: { ...vectorizer.state, columns: { words, chars } },
    model: { classes: model.classes, weights: model.weights, bias: model.bias },
  };
}

export function classifierParts(state: TextClassifierState): ClassifierParts {
  const { dictionary, vectorizer, model, kind: _kind, version: _version, ...rest } = state;
  return {
    ...rest,
    outOfScopeLabel: state.outOfScopeLabel,
    features: state.features as (FeatureOptions & VectorizerOptions) | undefined,
    dictionary: createFeatureDictionary(dictionary),
    vectorizer: createVectorizer(vectorizer),
    model,
  };
}
