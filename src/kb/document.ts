/** Shapes of knowledge-base documents as the loaders hand them over, and the one error they throw. */
import { z } from 'zod';

export const localeSchema = z.enum(['zh', 'en'], { error: 'must be zh or en' });
export type Locale = z.infer<typeof localeSchema>;

/** Messages say what a valid value looks like; a missing field says so plainly. */
function expected(description: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? 'is required' : `must be ${description}`;
}

/** Stable entry ids: the zh and en versions of one entry share it, so it must survive renames. */
export const entryIdSchema = z
  .string({ error: expected('a text like delayed_parcel') })
  .regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, {
    error: 'must be lower-case letters, digits, _ or - (like delayed_parcel)',
  });

const nonEmptyText = (description: string) =>
  z
    .string({ error: expected(description) })
    .trim()
    .min(1, { error: `must be ${description}` });

export const MIN_FAQ_QUESTIONS = 5;

/** Front matter of knowledge-base/faq/<id>.<locale>.md (a table row adds `answer`: faqRowSchema). */
export const faqEntrySchema = z.strictObject({
  id: entryIdSchema,
  locale: localeSchema,
  title: nonEmptyText('a non-empty title'),
  // Any taxonomy key: a team may replace the taxonomy; ingestion checks the key exists.
  category: z
    .string({ error: expected('a taxonomy key like logistics') })
    .regex(/^[a-z][a-z0-9_]*$/, {
      error: 'must be a taxonomy key like logistics (lower_snake_case)',
    }),
  autoReply: z.boolean({ error: expected('true or false') }),
  questions: z
    .array(nonEmptyText('a non-empty question'), {
      error: expected(`a list of at least ${MIN_FAQ_QUESTIONS} customer-style questions`),
    })
    .min(MIN_FAQ_QUESTIONS, {
      error: (issue) =>
        `needs at least ${MIN_FAQ_QUESTIONS} customer-style paraphrases (found ${
          Array.isArray(issue.input) ? issue.input.length : 0
        })`,
    }),
  tags: z.array(nonEmptyText('a non-empty tag'), { error: expected('a list of tags') }).optional(),
});

/** A row of a CSV/JSONL FAQ table: the front-matter fields plus the answer. */
export const faqRowSchema = faqEntrySchema.extend({
  answer: nonEmptyText('the answer an agent would send'),
});

/** Policy documents may carry their own front matter (Hugo, Jekyll...): only these keys are read. */
export const policyFrontMatterSchema = z.object({
  id: entryIdSchema.optional(),
  title: nonEmptyText('a non-empty title').optional(),
  locale: localeSchema.optional(),
});

const sharedFields = {
  entryId: z.string().min(1),
  locale: localeSchema,
  title: z.string().min(1),
  /** Where it came from: path relative to the knowledge-base root, or the upload's name. */
  sourcePath: z.string().min(1),
  /** sha256 (hex) of the file's bytes: every entry of one CSV/JSONL file shares it. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
};

export const loadedDocumentSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('faq'),
    ...sharedFields,
    category: z.string().min(1),
    autoReply: z.boolean(),
    questions: z.array(z.string().min(1)),
    /** Markdown, in the entry's locale, as an agent would send it. */
    answer: z.string().min(1),
    tags: z.array(z.string()).optional(),
  }),
  z.object({ kind: z.literal('policy'), ...sharedFields, text: z.string().min(1) }),
]);
export type LoadedDocument = z.infer<typeof loadedDocumentSchema>;
export type FaqDocument = Extract<LoadedDocument, { kind: 'faq' }>;
export type PolicyDocument = Extract<LoadedDocument, { kind: 'policy' }>;

export const documentErrorCodes = [
  'unsupported_type',
  'unreadable',
  'empty',
  'too_large',
  'invalid_encoding',
  'corrupt',
  'encrypted',
  'invalid_front_matter',
  'invalid_row',
] as const;
export type DocumentErrorCode = (typeof documentErrorCodes)[number];

/** One problem in a table file: `row` is the spreadsheet row (header = 1) or the JSONL line. */
export interface RowProblem {
  row: number;
  message: string;
}

/**
 * The only error the loaders throw for a bad file. `message` names the file and says what to
 * fix; callers loading a batch record it per file and go on with the next one.
 */
export class DocumentError extends Error {
  override readonly name = 'DocumentError';
  readonly code: DocumentErrorCode;
  readonly path: string;
  /** Every bad row of a CSV/JSONL file (the message lists the first few). */
  readonly rows: RowProblem[];

  constructor(
    code: DocumentErrorCode,
    path: string,
    message: string,
    options: { cause?: unknown; rows?: RowProblem[] } = {},
  ) {
    super(
      `${path}: ${message}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.path = path;
    this.rows = options.rows ?? [];
  }
}
