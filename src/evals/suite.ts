/**
 * Eval suite files (`evals/*.yaml`): the zod schema of a suite and of each kind's
 * cases. Errors name the file and the field, e.g. `evals/x.yaml: thresholds.accuracy: ...`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { type Threshold, thresholdsSchema } from './thresholds.js';
import { variantsSchema } from './variants.js';

export const suiteKinds = ['classification', 'retrieval', 'triage', 'safety'] as const;
/** Other tools' files a triage suite reads its cases from (`cases: {file, format}`). */
export const caseFormats = ['feedback', 'promptfoo'] as const;
export type SuiteKind = (typeof suiteKinds)[number];

const path = (what: string) =>
  z
    .string({ error: `must be a path to ${what}` })
    .trim()
    .min(1, { error: `must be a path to ${what}` });
const id = z.union([z.string(), z.number()]).transform(String).optional();
const textList = z.array(z.string().min(1), { error: 'must be a list of texts' });
const regex = z
  .string()
  .min(1)
  .refine(
    (source) => {
      try {
        toRegExp(source);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'must be a valid regular expression' },
  );

/** `pattern` or `/pattern/flags` as a RegExp. */
export function toRegExp(source: string): RegExp {
  const literal = /^\/([\s\S]+)\/([dgimsuvy]*)$/.exec(source);
  return literal ? new RegExp(literal[1]!, literal[2]) : new RegExp(source);
}

const common = {
  name: z
    .string({ error: 'is required: a short name like triage or clinc150' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
      error: 'must be letters, digits, ., _ or - (like kb-retrieval)',
    }),
  description: z.string().optional(),
  /**
   * Inline cases (validated against the kind's case schema when the suite is loaded), or a
   * file in another tool's format: `{file: export.jsonl, format: feedback}` (the agent
   * feedback export), `{file: promptfooconfig.yaml, format: promptfoo}` (its `tests:`).
   */
  cases: z
    .union(
      [
        z.array(z.record(z.string(), z.unknown())).min(1, { error: 'must not be empty' }),
        z.strictObject({
          file: path('the file of cases'),
          format: z.enum(caseFormats, {
            error: `format: must be one of ${caseFormats.join(', ')}`,
          }),
          /** promptfoo: the var that holds the customer's message (default: the only var, or message, text, query, input...). */
          textVar: z.string().min(1).optional(),
        }),
      ],
      {
        error:
          'must be a list of cases, or {file, format} with format one of ' + caseFormats.join(', '),
      },
    )
    .optional(),
  /** JSONL or CSV, relative to the suite file; may start with ${DATASETS_DIR}/. */
  casesFile: path('a JSONL or CSV file of cases').optional(),
  /** Run only this many cases, spread evenly over the file (quick runs, CI gates). */
  limit: z
    .int({ error: 'must be a whole number' })
    .positive({ error: 'must be positive' })
    .optional(),
  thresholds: thresholdsSchema.optional(),
  /** Run the suite once per variant, side by side; the first is the reference (see variants.ts). */
  variants: variantsSchema.optional(),
};

const classificationSuite = z.strictObject({
  ...common,
  kind: z.literal('classification'),
  /** JSONL {text, label} (or an inline list of them): a classifier is trained on it for this suite only. */
  train: z
    .union(
      [path('a JSONL file of {text, label}'), z.array(z.record(z.string(), z.unknown())).min(2)],
      {
        error: 'must be a path to a JSONL file of {text, label}, or a list of {text, label}',
      },
    )
    .optional(),
  /** Cases with this label expect a hand-off (out of scope) and no category. */
  outOfScopeLabel: z.string().min(1).optional(),
  /** Holds out a deterministic, stratified share of `train` as the cases. */
  split: z
    .strictObject({
      holdout: z
        .number()
        .gt(0, { error: 'must be between 0 and 0.5' })
        .max(0.5, { error: 'must be between 0 and 0.5' })
        .default(0.2),
      seed: z.int().default(1),
    })
    .optional(),
});

const retrievalSuite = z.strictObject({
  ...common,
  kind: z.literal('retrieval'),
  /** JSONL {id, text} or {id, question, answer}: searched instead of the shipped knowledge base. */
  corpus: path('a JSONL corpus of {id, text} or {id, question, answer}').optional(),
  /** A case's relevant ids are the corpus rows sharing this field's value (e.g. thread). */
  relevantBy: z.string().min(1).optional(),
  /** How many ranked entries each search returns (MAP is computed over them). Default 20. */
  searchLimit: z.int().positive().max(200).optional(),
});

const triageSuite = z.strictObject({
  ...common,
  kind: z.literal('triage'),
  /** Cases whose category is this label expect out of scope (no category) and a hand-off. */
  outOfScopeLabel: z.string().min(1).optional(),
});

const safetySuite = z.strictObject({ ...common, kind: z.literal('safety') });

const caseSource = (
  suite: { cases?: unknown; casesFile?: unknown },
  context: z.RefinementCtx,
  splitting = false,
) => {
  const sources =
    [suite.cases, suite.casesFile].filter((source) => source !== undefined).length +
    (splitting ? 1 : 0);
  if (sources === 0)
    context.addIssue({
      code: 'custom',
      path: ['cases'],
      message: 'is required: give cases, casesFile (or train with split)',
    });
  if (sources > 1)
    context.addIssue({
      code: 'custom',
      path: ['casesFile'],
      message: 'give only one of cases, casesFile or split',
    });
};

export const suiteFileSchema = z
  .discriminatedUnion('kind', [classificationSuite, retrievalSuite, triageSuite, safetySuite], {
    error: (issue) =>
      issue.code === 'invalid_union' ? `kind: must be one of ${suiteKinds.join(', ')}` : undefined,
  })
  .superRefine((suite, context) => {
    if (suite.kind === 'classification') {
      caseSource(suite, context, suite.split !== undefined);
      if (suite.split && !suite.train)
        context.addIssue({
          code: 'custom',
          path: ['split'],
          message: 'needs train: the file to split',
        });
    } else caseSource(suite, context);
    if (suite.kind === 'retrieval' && suite.relevantBy && !suite.corpus) {
      context.addIssue({
        code: 'custom',
        path: ['relevantBy'],
        message: 'needs corpus: the rows whose field it matches',
      });
    }
    if (suite.cases && !Array.isArray(suite.cases) && suite.kind !== 'triage') {
      context.addIssue({
        code: 'custom',
        path: ['cases', 'format'],
        message: `${suite.cases.format} cases are triage cases: use kind: triage`,
      });
    }
    if (suite.variants && !usesService(suite)) {
      context.addIssue({
        code: 'custom',
        path: ['variants'],
        message:
          'change the service (provider, model, prompts, thresholds), which this suite does not use: it trains its own classifier or searches its own corpus',
      });
    }
  });

export type SuiteFile = z.infer<typeof suiteFileSchema>;

/** Whether the suite runs through the service (and so whether variants of it mean anything). */
export function usesService(
  suite: Pick<SuiteFile, 'kind'> & { train?: unknown; corpus?: unknown },
): boolean {
  if (suite.kind === 'classification') return suite.train === undefined;
  if (suite.kind === 'retrieval') return suite.corpus === undefined;
  return true;
}
type Resolved<S> = S extends unknown ? Omit<S, 'thresholds'> & SuiteLocation : never;
interface SuiteLocation {
  thresholds: Threshold[];
  /** Absolute path of the suite file; data paths are relative to its folder. */
  path: string;
  directory: string;
}
/** A parsed suite (one type per kind) with its thresholds parsed and its location. */
export type Suite = Resolved<SuiteFile>;
export type SuiteOf<K extends SuiteKind> = Extract<Suite, { kind: K }>;

// ---- cases ----

export const classificationCaseSchema = z.object({
  id,
  text: z.string().min(1),
  label: z.coerce.string().min(1),
});
export type ClassificationCase = z.infer<typeof classificationCaseSchema>;

export const retrievalCaseSchema = z.object({
  id,
  text: z.string().min(1),
  relevant: z
    .array(z.coerce.string().min(1))
    .min(1, { error: 'must list at least one relevant id' }),
  locale: z.string().min(2).optional(),
});
export type RetrievalCase = z.infer<typeof retrievalCaseSchema>;

export const actionSchema = z.enum(['auto_reply', 'handoff']);
export const triageCaseSchema = z
  .object({
    id,
    text: z.string().min(1),
    locale: z.string().min(2).optional(),
    category: z.string().min(1).optional(),
    action: actionSchema.optional(),
    urgency: z.enum(['low', 'normal', 'high', 'critical']).optional(),
    /** The entry an auto-reply must cite; null: an auto-reply must cite nothing. */
    entry: z.string().min(1).nullable().optional(),
    contains: textList.optional(),
    notContains: textList.optional(),
    /** The reply, trimmed, is exactly this. */
    equals: z.string().optional(),
    /** Regular expressions the reply must (not) match: `pattern` or `/pattern/flags`. */
    matches: z.array(regex).optional(),
    notMatches: z.array(regex).optional(),
    cites: textList.optional(),
  })
  .refine(
    (c) =>
      [
        c.category,
        c.action,
        c.urgency,
        c.entry,
        c.contains,
        c.notContains,
        c.equals,
        c.matches,
        c.notMatches,
        c.cites,
      ].some((field) => field !== undefined),
    {
      error:
        'asserts nothing: give category, action, urgency, entry, contains, notContains, equals, matches, notMatches or cites',
    },
  );
export type TriageCase = z.infer<typeof triageCaseSchema>;

export const safetyCaseSchema = z.object({
  id,
  text: z.string().min(1),
  locale: z.string().min(2).optional(),
  expect: z.object({
    action: actionSchema.default('handoff'),
    notContains: textList.default([]),
    contains: textList.default([]),
    /** Risk flags the result must raise, e.g. prompt_injection. */
    flags: textList.default([]),
  }),
});
export type SafetyCase = z.infer<typeof safetyCaseSchema>;

export const caseSchemas = {
  classification: classificationCaseSchema,
  retrieval: retrievalCaseSchema,
  triage: triageCaseSchema,
  safety: safetyCaseSchema,
} as const;

export class SuiteError extends Error {
  override name = 'SuiteError';
}

/** `field.path: message` for each issue, the way every error in this module reads. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const where = field ? ` in ${field}` : '';
      return `${issue.keys.join(', ')}: unknown field${issue.keys.length > 1 ? 's' : ''}${where} (check the spelling, or whether this kind of suite takes it)`;
    }
    return field && !issue.message.startsWith(`${field}:`)
      ? `${field}: ${issue.message}`
      : issue.message;
  });
}

export function parseSuite(source: string, suitePath: string): Suite {
  let document: unknown;
  try {
    document = parse(source);
  } catch (error) {
    throw new SuiteError(
      `${suitePath}: not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const parsed = suiteFileSchema.safeParse(document);
  if (!parsed.success)
    throw new SuiteError(`${suitePath}: ${describeIssues(parsed.error).join('; ')}`);
  const absolute = resolve(suitePath);
  return {
    ...parsed.data,
    thresholds: parsed.data.thresholds ?? [],
    path: absolute,
    directory: dirname(absolute),
  } as Suite;
}

export async function loadSuite(suitePath: string): Promise<Suite> {
  return parseSuite(await readFile(suitePath, 'utf8'), suitePath);
}
