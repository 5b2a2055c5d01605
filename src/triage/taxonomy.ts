/**
 * The taxonomy as configuration: categories with descriptions, auto-reply mode, SLA
 * targets, thresholds and labelled examples, loaded from knowledge-base/taxonomy.yaml.
 * A team replaces the file to use its own taxonomy of any size.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { slaTargetsSchema } from '../sla/sla-clock.js';
import { urgencyLevels } from './triage.js';

const localisedSchema = z.record(z.string(), z.string().min(1));

const thresholdsSchema = z.object({
  classifier: z.number().min(0).max(1),
  retrieval: z.number().min(0).max(1),
  /** Least classifier probability of the matched entry's category for an answer (default 0.1). */
  agreement: z.number().min(0).max(1).optional(),
});

export const categorySchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case keys'),
  name: localisedSchema,
  description: localisedSchema,
  autoReply: z.enum(['always', 'questions', 'never']),
  sla: slaTargetsSchema,
  thresholds: thresholdsSchema.partial().optional(),
  /** A fixed reply per language for categories that thank rather than answer (feedback). */
  acknowledgement: localisedSchema.optional(),
  /**
   * Whether a hand-off tells the customer that a person has the message and by when (once
   * per ticket, a bot message). Absent means yes.
   */
  handoffAcknowledgement: z.boolean().optional(),
  examples: z.object({
    questions: z.array(z.string().min(1)).default([]),
    requests: z.array(z.string().min(1)).default([]),
  }),
});

export const taxonomySchema = z
  .object({
    version: z.number().int().positive(),
    defaults: z.object({
      thresholds: thresholdsSchema,
      autoReplyMaxUrgency: z.enum(urgencyLevels).default('low'),
    }),
    categories: z.array(categorySchema).min(2),
  })
  .superRefine((taxonomy, context) => {
    const seen = new Set<string>();
    taxonomy.categories.forEach((category, index) => {
      if (seen.has(category.key))
        context.addIssue({
          code: 'custom',
          path: ['categories', index, 'key'],
          message: `duplicate key ${category.key}`,
        });
      seen.add(category.key);
      if (category.examples.questions.length + category.examples.requests.length < 2) {
        context.addIssue({
          code: 'custom',
          path: ['categories', index, 'examples'],
          message: `${category.key} needs at least 2 examples`,
        });
      }
    });
  });

export type Taxonomy = z.infer<typeof taxonomySchema>;
export type Category = z.infer<typeof categorySchema>;

export class TaxonomyError extends Error {
  override name = 'TaxonomyError';
}

export function parseTaxonomy(source: string, origin = 'taxonomy'): Taxonomy {
  const result = taxonomySchema.safeParse(parse(source));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new TaxonomyError(`${origin}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}

export async function loadTaxonomy(path: string): Promise<Taxonomy> {
  return parseTaxonomy(await readFile(path, 'utf8'), path);
}

export function thresholdsFor(taxonomy: Taxonomy, key: string | null) {
  const category = taxonomy.categories.find((c) => c.key === key);
  return { ...taxonomy.defaults.thresholds, ...category?.thresholds };
}

/** Training examples for the category classifier: every example labelled with its key. */
export function categoryExamples(taxonomy: Taxonomy): { text: string; label: string }[] {
  return taxonomy.categories.flatMap((category) =>
    [...category.examples.questions, ...category.examples.requests].map((text) => ({
      text,
      label: category.key,
    })),
  );
}

/** Training examples for the question-or-request model, across all categories. */
export function intentExamples(
  taxonomy: Taxonomy,
): { text: string; label: 'question' | 'request' }[] {
  return taxonomy.categories.flatMap((category) => [
    ...category.examples.questions.map((text) => ({ text, label: 'question' as const })),
    ...category.examples.requests.map((text) => ({ text, label: 'request' as const })),
  ]);
}
