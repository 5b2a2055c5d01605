/**
 * One agent decision on a drafted reply, as exported (JSONL, one record per line) by
 * `GET /v1/feedback/export` and `triage feedback export`, and read back by eval suites.
 * The contract other tools build on: add fields, never rename or remove them.
 */
import { z } from 'zod';

export const agentDecisionSchema = z.enum(['accepted', 'edited', 'rejected']);

export const feedbackRecordSchema = z.object({
  ticketId: z.string(),
  messageId: z.string(),
  conversationId: z.string(),
  channel: z.string(),
  /** Language the triage step detected, e.g. `zh` or `en`. */
  language: z.string(),
  /** The customer's message with personal data redacted. */
  customerText: z.string(),
  /** The category triage chose (null when out of scope). */
  category: z.string().nullable(),
  /** Category an agent set when correcting triage; null when the agent kept it. */
  correctedCategory: z.string().nullable(),
  /** Knowledge-base entries the draft was grounded in. */
  entryIds: z.array(z.string()),
  draft: z.string(),
  decision: agentDecisionSchema,
  /** The text the agent sent (accepted or edited); null when rejected. */
  sentText: z.string().nullable(),
  rejectReason: z.string().nullable(),
  /** Levenshtein distance between draft and sent text (0 when accepted). */
  editDistance: z.number().int().nonnegative().nullable(),
  agentId: z.string(),
  at: z.string(),
});
export type FeedbackRecord = z.infer<typeof feedbackRecordSchema>;
