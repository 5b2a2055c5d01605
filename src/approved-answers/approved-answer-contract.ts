/** Approved-answer shapes of the API (`/v1/approved-answers`) and the console: one source of their types. */
import { z } from '@hono/zod-openapi';

export const approvedAnswerStatuses = ['pending', 'approved', 'rejected'] as const;
export const approvedAnswerStatusSchema = z.enum(approvedAnswerStatuses);
export type ApprovedAnswerStatus = z.infer<typeof approvedAnswerStatusSchema>;

export const candidateOrigins = ['accepted', 'edited', 'rewritten', 'reply'] as const;
export const candidateOriginSchema = z.enum(candidateOrigins);
export type CandidateOrigin = z.infer<typeof candidateOriginSchema>;

export const redactionsSchema = z.array(z.object({ kind: z.string(), count: z.number().int() }));
export const violationsSchema = z.array(z.object({ code: z.string(), evidence: z.string() }));

export const approvedAnswerSchema = z
  .object({
    id: z.string(),
    status: approvedAnswerStatusSchema,
    entry: z.object({
      id: z.string(),
      title: z.string().nullable().openapi({ description: 'null: the entry no longer exists' }),
      answer: z
        .string()
        .nullable()
        .openapi({ description: 'The entry’s own text, sent when no approved answer fits' }),
    }),
    language: z.string(),
    question: z.string().openapi({ description: 'The customer’s question, redacted' }),
    answer: z.string().openapi({ description: 'The text sent once approved' }),
    proposedAnswer: z.string().openapi({ description: 'As the agent sent it, redacted' }),
    origin: candidateOriginSchema.openapi({
      description:
        'accepted: the draft unchanged; edited: edit distance at most 30% of the longer text; rewritten: more; reply: the agent’s own reply',
    }),
    editRatio: z.number().nullable(),
    sourceTicketId: z.string().nullable(),
    agentId: z.string(),
    redactions: redactionsSchema.openapi({
      description: 'What was replaced by placeholders when it was proposed, by kind',
    }),
    violations: violationsSchema.openapi({
      description:
        'What the output check finds in the answer now (personal data, unbacked promises, placeholders): it cannot be approved until empty',
    }),
    proposals: z
      .number()
      .int()
      .openapi({ description: 'How often agents sent this answer for this entry' }),
    useCount: z
      .number()
      .int()
      .openapi({ description: 'Automatic answers that sent this approved answer' }),
    lastUsedAt: z.string().nullable(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    reviewNote: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ApprovedAnswer');
export type ApprovedAnswer = z.infer<typeof approvedAnswerSchema>;

export const approvedAnswerEditSchema = z
  .object({
    answer: z.string().trim().min(1).max(8000),
    question: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .openapi('ApprovedAnswerEdit');
export type ApprovedAnswerEdit = z.infer<typeof approvedAnswerEditSchema>;

export const approvedAnswerReviewSchema = z
  .object({ note: z.string().trim().min(1).max(1000).optional() })
  .strict()
  .openapi('ApprovedAnswerReview');
export type ApprovedAnswerReview = z.infer<typeof approvedAnswerReviewSchema>;
