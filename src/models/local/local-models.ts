/**
 * The local provider's models, trained at start-up from the taxonomy's labelled
 * examples, the sentiment examples and the hazard examples: category, question-or-request,
 * sentiment, reported harm.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import type { TriageModels } from '../../triage/engine.js';
import {
  type HazardFile,
  type HazardModel,
  hazardModelStateSchema,
  loadHazardModel,
  parseHazardFile,
  trainHazardModel,
} from '../../triage/hazard.js';
import { categoryExamples, intentExamples, type Taxonomy } from '../../triage/taxonomy.js';
import { cachedModel, type ModelCache } from '../cache/model-cache.js';
import { inTrainingThread } from '../training/training-pool.js';
import {
  loadTextClassifier,
  type TextClassifier,
  type TextClassifierOptions,
  trainTextClassifier,
} from './text-classifier.js';
import { textClassifierStateSchema } from './text-classifier-state.js';

export const sentimentFileSchema = z.object({
  version: z.number(),
  labels: z.array(z.string()).min(2),
  examples: z.record(z.string(), z.array(z.string().min(1)).min(2)),
});

export async function loadSentimentExamples(
  path: string,
): Promise<{ text: string; label: string }[]> {
  return parseSentimentExamples(await readFile(path, 'utf8'));
}

export function parseSentimentExamples(source: string): { text: string; label: string }[] {
  const file = sentimentFileSchema.parse(parse(source));
  return Object.entries(file.examples).flatMap(([label, texts]) =>
    texts.map((text) => ({ text, label })),
  );
}

/** The category model's settings; also what cross-validation on the taxonomy uses. */
export const categoryModelOptions: TextClassifierOptions = { seed: 7, folds: 3 };

/** The local models, each a text classifier (or two, for hazards) that can be stored. */
export interface LocalTriageModels extends TriageModels {
  name: 'local';
  category: TextClassifier;
  intent: TextClassifier;
  sentiment: TextClassifier;
  hazard?: HazardModel;
}

export function trainLocalTriageModels(
  taxonomy: Taxonomy,
  sentimentExamples: { text: string; label: string }[],
  hazards?: HazardFile,
): LocalTriageModels {
  // Three folds (not five) for calibration: start-up time matters more than the last
  // hundredth of calibration error here.
  const category = trainTextClassifier(categoryExamples(taxonomy), categoryModelOptions);
  // Out of scope is decided by the `other` category and the confidence threshold of the
  // decision step, so the category model itself never abstains.
  category.outOfScopeThreshold = 0;
  const intent = trainTextClassifier(intentExamples(taxonomy), { seed: 11, folds: 3 });
  intent.outOfScopeThreshold = 0;
  const sentiment = trainTextClassifier(sentimentExamples, { seed: 13, folds: 3 });
  sentiment.outOfScopeThreshold = 0;
  // The emergency detector learns reports of harm against look-alikes and ordinary messages.
  const hazard = hazards
    ? trainHazardModel(
        hazards,
        categoryExamples(taxonomy).map((example) => example.text),
      )
    : undefined;
  return { name: 'local', category, intent, sentiment, ...(hazard ? { hazard } : {}) };
}

export const localTriageModelsStateSchema = z.object({
  category: textClassifierStateSchema,
  intent: textClassifierStateSchema,
  sentiment: textClassifierStateSchema,
  hazard: hazardModelStateSchema.optional(),
});
export type LocalTriageModelsState = z.infer<typeof localTriageModelsStateSchema>;

export function saveLocalTriageModels(models: LocalTriageModels): LocalTriageModelsState {
  return {
    category: models.category.toJSON(),
    intent: models.intent.toJSON(),
    sentiment: models.sentiment.toJSON(),
    ...(models.hazard ? { hazard: models.hazard.toJSON() } : {}),
  };
}

export function loadLocalTriageModels(state: LocalTriageModelsState): LocalTriageModels {
  return {
    name: 'local',
    category: loadTextClassifier(state.category),
    intent: loadTextClassifier(state.intent),
    sentiment: loadTextClassifier(state.sentiment),
    ...(state.hazard ? { hazard: loadHazardModel(state.hazard) } : {}),
  };
}

/**
 * The local models from the cache when they were trained from exactly these files by this code,
 * else trained (about 3 s on two cores, on a training thread) and stored for the next start.
 * The key holds the sentiment and hazard files as read, so a start that finds the models in the
 * cache never parses their YAML; the taxonomy (parsed anyway) counts through its examples.
 */
export async function cachedLocalTriageModels(
  cache: ModelCache,
  taxonomy: Taxonomy,
  files: {
    sentiment: string;
    /** Optional: without hazards.yaml, emergencies are found by the signal lexicon alone. */
    hazards?: string;
  },
): Promise<{ model: LocalTriageModels; source: 'cache' | 'trained' }> {
  const sentimentSource = await readFile(files.sentiment, 'utf8');
  const hazardsSource = files.hazards === undefined ? null : await readFile(files.hazards, 'utf8');
  return cachedModel(cache, {
    name: 'triage-models',
    inputs: {
      category: categoryExamples(taxonomy),
      intent: intentExamples(taxonomy),
      sentiment: sentimentSource,
      hazards: hazardsSource,
    },
    schema: localTriageModelsStateSchema,
    train: async () =>
      loadLocalTriageModels(
        await inTrainingThread(localTriageModelsJob, {
          taxonomy,
          sentimentExamples: parseSentimentExamples(sentimentSource),
          hazards: hazardsSource === null ? undefined : parseHazardFile(hazardsSource),
        }),
      ),
    save: saveLocalTriageModels,
    load: loadLocalTriageModels,
  });
}

/** `trainLocalTriageModels` as a training-thread job: plain data in, the stored state out. */
export function localTriageModelsJob(args: {
  taxonomy: Taxonomy;
  sentimentExamples: { text: string; label: string }[];
  hazards: HazardFile | undefined;
}): LocalTriageModelsState {
  return saveLocalTriageModels(
    trainLocalTriageModels(args.taxonomy, args.sentimentExamples, args.hazards),
  );
}
