/**
 * The triage contract: request and result schemas of `POST /v1/triage`, the single
 * source of the types every step fills in. Other tools build on this shape; add
 * fields, never rename or remove them.
 */
import { historySchema } from './conversation-context.js';
import { z } from '@hono/zod-openapi';
import { reasonSchema } from './reasons.js';
import { sentimentLabelSchema } from './sentiment.js';
import { slaSummarySchema } from '../sla/sla-clock.js';
import { knowledgeMatchSchema } from '../kb/knowledge-match.js';
import { smallTalkKindSchema } from './small-talk.js';
import { decisionInputSchema } from './decision-input.js';
import { urgencyLevels } from './urgency-levels.js';

export { type UrgencyLevel, urgencyLevels } from './urgency-levels.js';

/** A customer's message text: trimmed, not empty, at most `maxTextChars`. */
export function customerTextSchema(maxTextChars: number) {
  return z
    .string()
    .trim()
    .min(1, 'text must not be empty')
    .max(maxTextChars, `text must be at most ${maxTextChars} characters`)
    .openapi({ example: '快递三天了还没到，单号SF1234567890' });
}

export function triageRequestSchema(maxTextChars: number) {
  return z
    .object({
      text: customerTextSchema(maxTextChars),
      channel: z.string().trim().min(1).max(64).optional().openapi({ example: 'web-chat' }),
      locale: z.string().trim().min(2).max(16).optional().openapi({ example: 'zh-CN' }),
      customer: z
        .record(z.string(), z.unknown())
        .optional()
        .openapi({ example: { id: 'c-42' } }),
      history: historySchema.optional().openapi({
        description:
          'Earlier turns of the conversation, oldest first (at most 10): a follow-up is triaged with them',
      }),
    })
    .strict()
    .openapi('TriageRequest');
}
export type TriageRequest = z.infer<ReturnType<typeof triageRequestSchema>>;

export const kbMatchSchema = knowledgeMatchSchema
  .pick({ id: true, title: true, locale: true, score: true })
  .openapi('KnowledgeMatch');
export type KbMatch = z.infer<typeof kbMatchSchema>;

export const entitiesSchema = z
  .object({
    orderNumbers: z.array(z.string()),
    trackingNumbers: z.array(z.object({ number: z.string(), carrier: z.string().optional() })),
    amounts: z.array(z.object({ value: z.number(), currency: z.string() })),
  })
  .passthrough()
  .openapi('Entities');
export type Entities = z.infer<typeof entitiesSchema>;

export const triageResultSchema = z
  .object({
    category: z
      .string()
      .nullable()
      .openapi({ description: 'Taxonomy key; null when out of scope' }),
    confidence: z.number().min(0).max(1),
    outOfScope: z.boolean(),
    language: z.string().openapi({ example: 'zh' }),
    sentiment: z.object({ label: sentimentLabelSchema, confidence: z.number().min(0).max(1) }),
    urgency: z.object({
      score: z.number().int().min(0).max(100),
      level: z.enum(urgencyLevels),
      reasons: z.array(z.string()),
      details: z
        .array(reasonSchema)
        .optional()
        .openapi({ description: 'The reasons as codes with parameters (same order)' }),
    }),
    decision: z.object({
      action: z.enum(['auto_reply', 'handoff']),
      reasons: z.array(z.string()),
      details: z
        .array(reasonSchema)
        .optional()
        .openapi({ description: 'The reasons as codes with parameters (same order)' }),
    }),
    reply: z.object({
      text: z.string(),
      language: z.string(),
      citations: z
        .array(z.string())
        .openapi({ description: 'Knowledge-base entry ids the reply is grounded in' }),
      kind: z.enum(['answer', 'handoff_draft']),
    }),
    matches: z.array(kbMatchSchema),
    entities: entitiesSchema,
    redactions: z.array(z.object({ kind: z.string(), count: z.number().int() })),
    flags: z.array(z.string()).openapi({
      description: 'Risk flags such as prompt_injection, safety_hazard, regulator_threat',
    }),
    sla: slaSummarySchema,
    smallTalk: smallTalkKindSchema.optional().openapi({
      description:
        'Set when the message is only a greeting, thanks or acknowledgement: answered briefly, never a ticket',
    }),
    answerability: z
      .object({ entry: z.string(), none: z.number(), limit: z.number() })
      .optional()
      .openapi({
        description:
          'Whether the best entry answers the message: probability that no entry does, and the limit at which that vetoes an automatic answer',
      }),
    hazard: z
      .object({ probability: z.number(), reported: z.boolean(), kind: z.string().optional() })
      .optional()
      .openapi({
        description: 'The emergency model: probability that harm or a present danger is reported',
      }),
    intent: z
      .object({ label: z.enum(['question', 'request']), confidence: z.number() })
      .optional()
      .openapi({
        description:
          'Question or request: in `questions` categories only questions are answered alone',
      }),
    llm: z
      .object({ model: z.string(), tokens: z.number().int(), latencyMs: z.number() })
      .optional()
      .openapi({
        description: 'The LLM call that decided, when one did: model, tokens used and latency',
      }),
    approvedAnswer: z.object({ id: z.string(), similarity: z.number() }).optional().openapi({
      description:
        'Set when the answer sent is one an admin approved for the entry instead of the entry’s text: its id, and the similarity of the question to the one it was written for',
    }),
    decisionInput: decisionInputSchema.optional().openapi({
      description:
        'What the decision step was given (decide.ts): the eval sweep and the console replay the decision from it',
    }),
    provider: z.string(),
    reasons: z
      .array(z.string())
      .openapi({ description: 'Every step’s reasons, in pipeline order' }),
    details: z
      .array(reasonSchema)
      .optional()
      .openapi({ description: 'Each step’s outcome as a code with parameters, in pipeline order' }),
  })
  .openapi('TriageResult');
export type TriageResult = z.infer<typeof triageResultSchema>;
