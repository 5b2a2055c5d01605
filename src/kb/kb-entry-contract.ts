/**
 * The shapes of knowledge-base editing over HTTP (kb-editor.routes.ts): the fields of an entry or
 * policy as the console edits them, one stored document with its versions and history, the
 * summary of a change, and the preview of how a question would match.
 */
import { z } from '@hono/zod-openapi';
import { entryIdSchema, localeSchema, MIN_FAQ_QUESTIONS } from './document.js';
import { screeningFindingSchema } from './document-screening.js';
import { knowledgeMatchSchema } from './knowledge-match.js';
import { reasonSchema } from '../triage/reasons.js';

const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`);

/** What the console edits of an FAQ entry: its front matter and answer (knowledge-base/README.md). */
export const faqFieldsSchema = z.object({
  kind: z.literal('faq'),
  title: text(300, 'title'),
  category: z.string().regex(/^[a-z][a-z0-9_]*$/, 'category must be a taxonomy key like logistics'),
  autoReply: z.boolean(),
  questions: z
    .array(text(500, 'a question'))
    .min(
      MIN_FAQ_QUESTIONS,
      `questions: write at least ${MIN_FAQ_QUESTIONS} ways customers ask it, in their own words`,
    )
    .max(50),
  tags: z.array(text(60, 'a tag')).max(30).default([]),
  answer: text(20_000, 'answer'),
});

/** What the console edits of a policy: its title and text. */
export const policyFieldsSchema = z.object({
  kind: z.literal('policy'),
  title: text(300, 'title'),
  text: text(200_000, 'text'),
});

export const entryFieldsSchema = z
  .discriminatedUnion('kind', [faqFieldsSchema, policyFieldsSchema])
  .openapi('KnowledgeEntryFields');
export type EntryFields = z.infer<typeof entryFieldsSchema>;

/** The fields with more keys, still one discriminated union (a flat object per kind). */
function withKeys<T extends z.ZodRawShape>(shape: T) {
  return z.discriminatedUnion('kind', [
    faqFieldsSchema.extend(shape),
    policyFieldsSchema.extend(shape),
  ]);
}

export const entryCreateSchema = withKeys({
  entryId: entryIdSchema,
  locale: localeSchema,
}).openapi('KnowledgeEntryCreate');
export type EntryCreate = z.infer<typeof entryCreateSchema>;

export const entryUpdateSchema = withKeys({
  baseContentHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .openapi({
      description:
        'The contentHash of the version the editor started from: a 409 when it changed since (another admin saved first)',
    }),
}).openapi('KnowledgeEntryUpdate');
export type EntryUpdate = z.infer<typeof entryUpdateSchema>;

export const documentStatuses = ['active', 'held', 'superseded', 'deleted'] as const;

const fieldChangeSchema = z.object({
  field: z.enum(['title', 'category', 'autoReply', 'questions', 'tags', 'answer', 'text']),
  before: z.union([z.string(), z.boolean()]).nullable().optional(),
  after: z.union([z.string(), z.boolean()]).nullable().optional(),
  /** Questions or tags added and removed; for the answer or text, the lines added and removed. */
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
  /** Characters of the answer or text before and after. */
  charsBefore: z.number().int().optional(),
  charsAfter: z.number().int().optional(),
});
export const changeSummarySchema = z
  .object({
    summary: z.string().openapi({ example: 'title changed; 1 question added; answer: 2 lines' }),
    fields: z.array(fieldChangeSchema),
  })
  .openapi('KnowledgeChangeSummary');
export type ChangeSummary = z.infer<typeof changeSummarySchema>;
export type FieldChange = z.infer<typeof fieldChangeSchema>;

const versionSchema = z.object({
  id: z.string(),
  source: z.string(),
  sourcePath: z.string(),
  status: z.enum(documentStatuses),
  updatedAt: z.string(),
  editedBy: z.string().nullable(),
});

const historySchema = z.object({
  action: z.string(),
  actor: z.string().nullable(),
  at: z.string(),
  documentId: z.string().nullable(),
  summary: z.string().nullable(),
});

export const documentDetailSchema = z
  .object({
    id: z.string(),
    entryId: z.string(),
    locale: z.string(),
    source: z.string(),
    sourcePath: z.string(),
    status: z.enum(documentStatuses),
    heldReasons: z.array(screeningFindingSchema),
    contentHash: z.string(),
    updatedAt: z.string(),
    editedBy: z.string().nullable(),
    reviewedBy: z.string().nullable(),
    fields: entryFieldsSchema.openapi({
      description: 'Title, questions, answer, category… (a policy: title and text)',
    }),
    versions: z.array(versionSchema).openapi({
      description:
        'Every stored version of this entry in this language: a console version (live or held), the shipped file’s or upload’s (superseded while a console version is live)',
    }),
    pendingId: z.string().nullable().openapi({
      description: 'A console edit of this entry waiting for an admin (held by the screen)',
    }),
    restorable: z.boolean().openapi({
      description:
        'A console version or deletion replaces a shipped or uploaded version that a restore brings back',
    }),
    history: z
      .array(historySchema)
      .openapi({ description: 'Audit entries of this entry, newest first' }),
  })
  .openapi('KnowledgeDocumentDetail');
export type DocumentDetail = z.infer<typeof documentDetailSchema>;

export const editOutcomeSchema = z
  .object({
    status: z.enum(['active', 'held', 'unchanged', 'deleted', 'removed']).openapi({
      description:
        '`active`: live now; `held`: stored for an admin (the live version stays); `unchanged`: nothing differed; `deleted`: gone from search, kept as a deletion over the shipped version; `removed`: gone',
    }),
    document: documentDetailSchema.nullable(),
    heldReasons: z.array(screeningFindingSchema),
    changes: changeSummarySchema,
  })
  .openapi('KnowledgeEditOutcome');
export type EditOutcome = z.infer<typeof editOutcomeSchema>;

export const previewRequestSchema = z
  .object({
    question: text(2000, 'question'),
    locale: localeSchema.optional(),
    draft: withKeys({
      documentId: z.uuid().optional().openapi({ description: 'The document being edited' }),
      entryId: entryIdSchema.optional(),
    })
      .optional()
      .openapi({ description: 'Unsaved fields to compare (an approximation, see `draft.method`)' }),
  })
  .openapi('KnowledgePreviewRequest');
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

const signalSchema = z.object({
  dense: z.number().openapi({ description: 'Best cosine of a chunk under the embedder' }),
  keyword: z.number().openapi({ description: 'Best normalised BM25 of a chunk' }),
  lexical: z.number().openapi({ description: 'Best TF-IDF cosine of a question or answer' }),
  model: z.number().openapi({ description: 'The entry model’s probability' }),
});

export const previewSchema = z
  .object({
    matches: z.array(
      knowledgeMatchSchema.extend({ signals: signalSchema.nullable() }).openapi('PreviewMatch'),
    ),
    triage: z.object({
      action: z.enum(['auto_reply', 'handoff']),
      reasons: z.array(z.string()),
      details: z
        .array(reasonSchema)
        .optional()
        .openapi({ description: 'The reasons as codes with parameters (same order)' }),
      category: z.string().nullable(),
      confidence: z.number(),
      reply: z.string(),
      citations: z.array(z.string()),
      answerability: z
        .object({ entry: z.string(), none: z.number(), limit: z.number() })
        .nullable(),
    }),
    draft: z
      .object({
        method: z.literal('embedding_only'),
        note: z.string(),
        heldReasons: z.array(screeningFindingSchema),
        nearest: z.object({ text: z.string(), similarity: z.number() }).nullable(),
        ranking: z.array(
          z.object({
            entryId: z.string(),
            title: z.string(),
            draft: z.boolean(),
            similarity: z.number(),
          }),
        ),
      })
      .nullable(),
  })
  .openapi('KnowledgePreview');
export type Preview = z.infer<typeof previewSchema>;
