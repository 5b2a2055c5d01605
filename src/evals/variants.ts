/**
 * Variants: one suite run side by side under several configurations (provider, model,
 * prompts folder, auto-reply thresholds, any other setting), from a suite's `variants:`
 * list or repeated `--variant name:key=value,...`. The first variant is the reference the
 * others are compared with: the difference per metric and the cases whose outcome changed.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { envSchema, modelProviderSchema } from '../config/env.js';
import type { Taxonomy } from '../triage/taxonomy.js';

const share = z.coerce
  .number({ error: 'must be a number from 0 to 1' })
  .min(0, { error: 'must be from 0 to 1' })
  .max(1, { error: 'must be from 0 to 1' });

/** Settings a variant may change; where the database lives and how the server listens are the run's. */
const FIXED_SETTINGS = new Set([
  'DATA_DIR',
  'DATABASE_URL',
  'PORT',
  'HOST',
  'API_KEYS',
  'LOG_LEVEL',
]);
const settableEnv = Object.keys(envSchema.shape).filter((key) => !FIXED_SETTINGS.has(key));

export const variantSchema = z.strictObject({
  name: z
    .string({ error: 'is required: a short name like baseline or strict' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
      error: 'must be letters, digits, ., _ or - (like gpt-4o)',
    }),
  description: z.string().optional(),
  /** MODEL_PROVIDER */
  provider: z
    .enum(modelProviderSchema.options, { error: 'must be local, openai or cascade' })
    .optional(),
  /** OPENAI_CHAT_MODEL */
  model: z.string().min(1).optional(),
  /** PROMPTS_DIR: a folder holding another version of the prompt files, relative to the suite file. */
  prompts: z.string().min(1).optional(),
  /** Every category's retrieval (auto-reply) threshold, as the sweep sets it. */
  retrievalThreshold: share.optional(),
  /** Every category's classifier-confidence threshold. */
  classifierThreshold: share.optional(),
  /** One category's thresholds, e.g. `{logistics: {retrieval: 0.6}}`; applied after the two above. */
  categoryThresholds: z
    .record(
      z.string(),
      z.strictObject({ retrieval: share.optional(), classifier: share.optional() }),
    )
    .optional(),
  /** Any other setting of the service, by its environment name, e.g. `{OPENAI_TIMEOUT_MS: 30000}`. */
  env: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
    .superRefine((env, context) => {
      for (const key of Object.keys(env)) {
        if (!settableEnv.includes(key))
          context.addIssue({
            code: 'custom',
            path: [key],
            message: `is not a setting a variant may change (one of ${settableEnv.join(', ')})`,
          });
      }
    })
    .optional(),
});
export type Variant = z.infer<typeof variantSchema>;

export const variantsSchema = z
  .array(variantSchema, { error: 'must be a list of variants, each with a name' })
  .min(1, { error: 'must list at least one variant' })
  .superRefine((variants, context) => {
    const seen = new Set<string>();
    variants.forEach((variant, index) => {
      if (seen.has(variant.name))
        context.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `${variant.name} occurs twice; names must be unique`,
        });
      seen.add(variant.name);
    });
  });

/** What a variant changes, without its name: shown in reports. */
export function overridesOf(variant: Variant): Record<string, unknown> {
  const { name: _name, description: _description, ...overrides } = variant;
  return overrides;
}

/** The environment a variant's service starts with (on top of the run's); empty when it only changes thresholds. */
export function variantEnvironment(
  variant: Variant,
  baseDirectory: string,
): Record<string, string> {
  return {
    ...(variant.provider ? { MODEL_PROVIDER: variant.provider } : {}),
    ...(variant.model ? { OPENAI_CHAT_MODEL: variant.model } : {}),
    ...(variant.prompts ? { PROMPTS_DIR: resolve(baseDirectory, variant.prompts) } : {}),
    ...variant.env,
  };
}

/**
 * `strict:retrievalThreshold=0.7,model=gpt-4o` (or just `baseline`) as a variant. Dotted
 * keys nest: `categoryThresholds.logistics.retrieval=0.6`, `env.OPENAI_TIMEOUT_MS=30000`.
 * `prompts` is resolved against `baseDirectory` (the working folder on the command line).
 */
export function parseVariantArgument(argument: string, baseDirectory: string): Variant {
  const colon = argument.indexOf(':');
  const name = (colon < 0 ? argument : argument.slice(0, colon)).trim();
  const raw: Record<string, unknown> = { name };
  const settings = colon < 0 ? '' : argument.slice(colon + 1);
  for (const pair of settings
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new Error(`--variant ${argument}: "${pair}" is not key=value`);
    const path = pair.slice(0, equals).trim().split('.');
    let target = raw;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[path.at(-1)!] = pair.slice(equals + 1).trim();
  }
  const parsed = variantSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'variant'}: ${issue.message}`,
    );
    throw new Error(`--variant ${argument}: ${issues.join('; ')}`);
  }
  const variant = parsed.data;
  return variant.prompts
    ? { ...variant, prompts: resolve(baseDirectory, variant.prompts) }
    : variant;
}

export function changesThresholds(variant: Variant): boolean {
  return (
    variant.retrievalThreshold !== undefined ||
    variant.classifierThreshold !== undefined ||
    variant.categoryThresholds !== undefined
  );
}

/**
 * Runs `work` with the variant's thresholds written into the service's taxonomy, then puts
 * the old ones back. The engine reads its thresholds from the taxonomy on every message, so
 * a threshold variant needs no service of its own (starting one costs half a minute).
 * Variants of a run therefore never run at the same time.
 */
export async function withThresholds<R>(
  taxonomy: Taxonomy,
  variant: Variant,
  work: () => Promise<R>,
): Promise<R> {
  if (!changesThresholds(variant)) return work();
  const saved = {
    defaults: { ...taxonomy.defaults.thresholds },
    categories: taxonomy.categories.map((category) => category.thresholds),
  };
  const keys = new Set(taxonomy.categories.map((category) => category.key));
  for (const key of Object.keys(variant.categoryThresholds ?? {})) {
    if (!keys.has(key))
      throw new Error(
        `variant ${variant.name}: categoryThresholds.${key}: no such category (the taxonomy has ${[...keys].join(', ')})`,
      );
  }
  const every = {
    ...(variant.retrievalThreshold === undefined ? {} : { retrieval: variant.retrievalThreshold }),
    ...(variant.classifierThreshold === undefined
      ? {}
      : { classifier: variant.classifierThreshold }),
  };
  try {
    Object.assign(taxonomy.defaults.thresholds, every);
    for (const category of taxonomy.categories) {
      const own = variant.categoryThresholds?.[category.key];
      if (category.thresholds || own)
        category.thresholds = { ...category.thresholds, ...every, ...own };
    }
    return await work();
  } finally {
    taxonomy.defaults.thresholds = saved.defaults;
    taxonomy.categories.forEach((category, index) => {
      category.thresholds = saved.categories[index];
    });
  }
}
