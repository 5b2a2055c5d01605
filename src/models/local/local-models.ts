/**
 * The local provider's models, trained at start-up from the taxonomy's labelled
 * examples, the sentiment examples and the hazard examples: category, question-or-request,
 * sentiment, reported harm.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import type { TriageModels } from '../../triage/engine.js';
import { type HazardFile, trainHazardModel } from '../../triage/hazard.js';
import { categoryExamples, intentExamples, type Taxonomy } from '../../triage/taxonomy.js';
import { type TextClassifierOptions, trainTextClassifier } from './text-classifier.js';

export const sentimentFileSchema = z.object({
  version: z.number(),
  labels: z.array(z.string()).min(2),
  examples: z.record(z.string(), z.array(z.string().min(1)).min(2)),
});

export async function loadSentimentExamples(
  path: string,
): Promise<{ text: string; label: string }[]> {
  const file = sentimentFileSchema.parse(parse(await readFile(path, 'utf8')));
  return Object.entries(file.examples).flatMap(([label, texts]) =>
    texts.map((text) => ({ text, label })),
  );
}

/** The category model's settings; also what cross-validation on the taxonomy uses. */
export const categoryModelOptions: TextClassifierOptions = { seed: 7, folds: 3 };

export function trainLocalTriageModels(
  taxonomy: Taxonomy,
  sentimentExamples: { text: string; label: string }[],
  hazards?: HazardFile,
): TriageModels {
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
