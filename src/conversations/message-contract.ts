/**
 * The `POST /v1/messages` contract: what a channel integration sends and gets back.
 * Other tools build on it: add fields, never rename or remove them.
 */
import { z } from '@hono/zod-openapi';
import { ticketStatusSchema } from '../tickets/ticket-contract.js';
import { customerTextSchema, urgencyLevels } from '../triage/triage.js';

const identifier = z.string().trim().min(1).max(200);

export function inboundMessageSchema(maxTextChars: number) {
  return z
    .object({
      channel: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, _ . : -')
        .openapi({ example: 'web-chat' }),
      externalMessageId: identifier.openapi({
        description: "The channel's id of this message: a repeat delivery is recognised by it",
        example: 'wc-msg-1001',
      }),
      conversationId: identifier.openapi({
        description: "The channel's id of the conversation",
        example: 'wc-conv-77',
      }),
      customer: z.object({ id: identifier, name: z.string().trim().max(200).optional() }).strict(),
      text: customerTextSchema(maxTextChars),
      sentAt: z.iso
        .datetime({ offset: true })
        .optional()
        .openapi({ description: 'When the customer sent it (ISO 8601)' }),
      locale: z.string().trim().min(2).max(16).optional(),
    })
    .strict()
    .openapi('InboundMessage');
}
export type InboundMessage = z.infer<ReturnType<typeof inboundMessageSchema>>;

export const ticketSummarySchema = z
  .object({
    id: z.string(),
    status: ticketStatusSchema,
    urgency: z.object({ score: z.number().int(), level: z.enum(urgencyLevels) }),
    firstResponseDueAt: z.string().nullable(),
    resolutionDueAt: z.string().nullable(),
  })
  .openapi('TicketSummary');
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

const conversationIdField = z
  .string()
  .openapi({ description: 'Our id of the conversation (see GET /v1/conversations/{id})' });
const duplicateField = z
  .boolean()
  .openapi({ description: 'True when this delivery repeated one already received' });

export const messageOutcomeSchema = z
  .object({
    messageId: z.string(),
    conversationId: conversationIdField,
    status: z.literal('processed').openapi({ description: 'Triaged: the outcome is here' }),
    action: z.enum(['auto_reply', 'handoff']),
    reply: z
      .object({ messageId: z.string(), text: z.string(), citations: z.array(z.string()) })
      .optional()
      .openapi({
        description:
          'The automatic answer, or on a hand-off that opened a ticket the acknowledgement saying when a person will reply (also delivered through the channel when one is configured)',
      }),
    ticket: ticketSummarySchema.optional(),
    csat: z
      .object({ surveyId: z.string(), ticketId: z.string(), rating: z.number().int() })
      .optional()
      .openapi({
        description:
          'Set when the message was only a 1-5 rating answering the satisfaction survey of a solved ticket: stored as its answer, not triaged',
      }),
    duplicate: duplicateField,
  })
  .openapi('MessageOutcome');
export type MessageOutcome = z.infer<typeof messageOutcomeSchema>;

/** Stored and acknowledged, not triaged yet: the outcome goes out through the channel. */
export const messageAcceptedSchema = z
  .object({
    messageId: z.string(),
    conversationId: conversationIdField,
    status: z.literal('queued').openapi({
      description:
        'Stored; triage follows in the background. The answer or hand-off acknowledgement is delivered through the channel, and GET /v1/conversations/{id} shows it.',
    }),
    duplicate: duplicateField,
  })
  .openapi('MessageAccepted');
export type MessageAccepted = z.infer<typeof messageAcceptedSchema>;
