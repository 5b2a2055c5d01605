/**
 * The eval report: the JSON contract other tools build on (`triage eval --json`), read
 * back from run history with the same schema. Add fields, never rename or remove them.
 */
import { z } from 'zod';
import { suiteKinds } from '../suite.js';
import { confusionSchema, labelMetricsSchema } from '../metrics.js';
import { thresholdCheckSchema } from '../thresholds.js';

export { confusionSchema, labelMetricsSchema };

/** Numbers (what thresholds apply to), plus perLabel and confusion for classification-like suites. */
export const metricsSchema = z.record(
  z.string(),
  z.union([z.number(), z.record(z.string(), labelMetricsSchema), confusionSchema]),
);
export type Metrics = z.infer<typeof metricsSchema>;

export const caseResultSchema = z.object({
  id: z.string(),
  text: z.string(),
  pass: z.boolean(),
  expected: z.record(z.string(), z.unknown()),
  actual: z.record(z.string(), z.unknown()),
  /** Why the case failed, one line each. */
  failures: z.array(z.string()),
  latencyMs: z.number().optional(),
  tokens: z.number().optional(),
});
export type CaseResult = z.infer<typeof caseResultSchema>;

export { thresholdCheckSchema };

/** Auto-reply precision and coverage had the retrieval threshold of every category been `threshold`. */
export const sweepPointSchema = z.object({
  threshold: z.number(),
  autoReplyPrecision: z.number().nullable(),
  autoReplyCoverage: z.number().nullable(),
  autoReplies: z.number(),
});
export type SweepPoint = z.infer<typeof sweepPointSchema>;

export const comparisonSchema = z.object({
  previousStartedAt: z.string(),
  /** Metric -> current minus previous, for numeric metrics both runs measured. */
  deltas: z.record(z.string(), z.number()),
  newlyFailing: z.array(z.string()),
  newlyPassing: z.array(z.string()),
});
export type Comparison = z.infer<typeof comparisonSchema>;

export const sweepSchema = z.object({
  points: z.array(sweepPointSchema),
  /** Share of cases whose recorded decision the offline re-decision reproduces at the configured thresholds. */
  replayAgreement: z.number(),
});

/** A case whose pass or outcome differs between the reference variant and another. */
export const changedCaseSchema = z.object({
  id: z.string(),
  text: z.string(),
  reference: z.object({ pass: z.boolean(), outcome: z.string() }),
  variant: z.object({ pass: z.boolean(), outcome: z.string(), failures: z.array(z.string()) }),
});

/** One variant's run of a suite. The reference (first) variant's cases are the suite's `cases`. */
export const variantRunSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  /** What the variant changes: provider, model, prompts, thresholds, env. Empty: the run's configuration. */
  overrides: z.record(z.string(), z.unknown()),
  pass: z.boolean(),
  error: z.string().optional(),
  metrics: metricsSchema,
  thresholds: z.array(thresholdCheckSchema),
  caseCount: z.number(),
  durationMs: z.number(),
  notes: z.array(z.string()),
  sweep: sweepSchema.optional(),
  /** Metric -> this variant minus the reference; empty for the reference. */
  deltas: z.record(z.string(), z.number()),
  newlyFailing: z.array(z.string()),
  newlyPassing: z.array(z.string()),
  changedCases: z.array(changedCaseSchema),
  /** Every case of this variant; left out for the reference (they are the suite's `cases`). */
  cases: z.array(caseResultSchema).optional(),
});
export type VariantRun = z.infer<typeof variantRunSchema>;

export const suiteResultSchema = z.object({
  name: z.string(),
  kind: z.enum(suiteKinds),
  description: z.string().optional(),
  file: z.string(),
  /** Why the suite did not run (a public data set absent on this machine). */
  skipped: z.string().optional(),
  /** Why the suite could not run (a bad file, a failing service). */
  error: z.string().optional(),
  pass: z.boolean(),
  metrics: metricsSchema,
  thresholds: z.array(thresholdCheckSchema),
  cases: z.array(caseResultSchema),
  /** Cases run, and cases in the suite before `limit`. */
  caseCount: z.number(),
  totalCases: z.number(),
  durationMs: z.number(),
  notes: z.array(z.string()),
  sweep: sweepSchema.optional(),
  comparison: comparisonSchema.optional(),
  /** Problems in the suite's data that did not stop it, e.g. promptfoo assertions with no equivalent. */
  warnings: z.array(z.string()).optional(),
  /**
   * Side-by-side runs when the suite or the command line lists variants. The suite's own
   * metrics, cases, thresholds and pass are those of `reference`, the first variant.
   */
  variants: z.object({ reference: z.string(), runs: z.array(variantRunSchema) }).optional(),
});
export type SuiteResult = z.infer<typeof suiteResultSchema>;

export const evalReportSchema = z.object({
  version: z.literal(1),
  provider: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  /** Every suite ran (or was skipped) and met its thresholds. */
  pass: z.boolean(),
  concurrency: z.number(),
  limit: z.number().optional(),
  environment: z.object({
    node: z.string(),
    platform: z.string(),
    classifier: z.string().optional(),
    embedder: z.string().optional(),
    /** Database, migrations, model training and ingestion, when a suite needed the service. */
    serviceStartMs: z.number().optional(),
    /** LLM answers served from the response cache (their latency is not the provider's) and fetched. */
    llmCache: z.object({ hits: z.number(), misses: z.number() }).optional(),
  }),
  suites: z.array(suiteResultSchema),
});
export type EvalReport = z.infer<typeof evalReportSchema>;

/** The numeric metrics only (what thresholds, history and deltas use). */
export function numericMetrics(metrics: Metrics): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metrics).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  );
}

export function confusionOf(metrics: Metrics): z.infer<typeof confusionSchema> | undefined {
  const confusion = metrics.confusion;
  return confusion && typeof confusion === 'object' && 'matrix' in confusion
    ? (confusion as z.infer<typeof confusionSchema>)
    : undefined;
}

export function perLabelOf(
  metrics: Metrics,
): Record<string, z.infer<typeof labelMetricsSchema>> | undefined {
  const perLabel = metrics.perLabel;
  return perLabel && typeof perLabel === 'object' && !('matrix' in perLabel)
    ? (perLabel as Record<string, z.infer<typeof labelMetricsSchema>>)
    : undefined;
}
