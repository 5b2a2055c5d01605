/** One entry a knowledge-base search returns: the zod schema that the search, its route and the triage contract share. */
import { z } from '@hono/zod-openapi';

export const knowledgeMatchSchema = z.object({
  id: z.string().openapi({ description: 'Knowledge-base entry id' }),
  title: z.string(),
  locale: z.string(),
  score: z
    .number()
    .min(0)
    .max(1)
    .openapi({ description: 'Calibrated probability that the entry answers the message' }),
  category: z.string().nullable(),
  autoReply: z.boolean(),
  /** The matched chunk's text, or the title when only the entry model proposed the entry. */
  evidence: z.string(),
});
export type KnowledgeMatch = z.infer<typeof knowledgeMatchSchema>;
