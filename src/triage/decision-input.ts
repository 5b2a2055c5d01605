/**
 * What the decision policy (decide.ts) is given: every earlier step's verdict as a typed field.
 * The engine records it in the result, so the eval sweep and anyone auditing a decision replay it
 * with the same function instead of reading it back from reason text.
 */
import { z } from '@hono/zod-openapi';
import { smallTalkKindSchema } from './small-talk.js';
import { urgencyLevels } from './urgency-levels.js';

export const decisionInputSchema = z
  .object({
    category: z.string().nullable(),
    outOfScope: z.boolean(),
    autoReplyMode: z.enum(['always', 'questions', 'never']).nullable(),
    /** Whether the category sends a fixed acknowledgement instead of a knowledge-base answer. */
    acknowledges: z.boolean(),
    classifierConfidence: z.number(),
    intent: z.object({ label: z.enum(['question', 'request']), confidence: z.number() }),
    /**
     * The classifier's own probability (before retrieval's evidence) of the matched entry's
     * category. Two independent models should not contradict each other: below
     * `thresholds.agreement` the answer is handed off. Absent (LLM runs, older recorded runs),
     * the check is skipped.
     */
    classifierSupport: z.number().optional(),
    /**
     * The classifier's own category when it is one only a person handles (a complaint, a
     * privacy request): retrieval's evidence may relabel the message, never answer it alone.
     */
    classifierPersonOnly: z.string().optional(),
    bestMatch: z
      .object({
        id: z.string(),
        score: z.number(),
        autoReply: z.boolean(),
        category: z.string().nullable().optional(),
      })
      .nullable(),
    thresholds: z.object({
      classifier: z.number(),
      retrieval: z.number(),
      agreement: z.number().optional(),
      request: z.number().optional(),
    }),
    /**
     * The answerability model's probability that no entry answers the message, and the limit at
     * which it vetoes an answer (answerability.ts). Absent: no model, the check is skipped.
     */
    answerability: z.object({ none: z.number(), limit: z.number() }).optional(),
    urgency: z.enum(urgencyLevels),
    maxUrgency: z.enum(urgencyLevels),
    flags: z.array(z.string()),
    /** Only a greeting, thanks or "ok": answered briefly, or kept with an open ticket. */
    smallTalk: smallTalkKindSchema.optional(),
    /**
     * The conversation's state when the message is part of one (intake): while an agent holds it
     * or a ticket is open, the bot does not answer on its own. Absent for stateless `/v1/triage`.
     */
    conversation: z.object({ agentHolds: z.boolean(), openTicket: z.boolean() }).optional(),
  })
  .openapi('DecisionInput');
export type DecisionInput = z.infer<typeof decisionInputSchema>;
