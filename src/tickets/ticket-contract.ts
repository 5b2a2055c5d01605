/** Ticket shapes of the agent API (`/v1/tickets`): the queue, one ticket, and agent actions. */
import { z } from '@hono/zod-openapi';
import { clockStatusSchema } from '../sla/sla-clock.js';
import { urgencyLevels } from '../triage/triage.js';

export const ticketStatuses = ['open', 'pending_customer', 'solved', 'closed'] as const;
export const ticketStatusSchema = z.enum(ticketStatuses);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;
/** A ticket an agent still works on; a conversation has at most one (a unique index). */
export const activeTicketStatuses = [
  'open',
  'pending_customer',
] as const satisfies readonly TicketStatus[];

export const ticketSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    status: ticketStatusSchema,
    category: z.string().nullable(),
    language: z.string().nullable(),
    subject: z.string().nullable(),
    urgency: z.object({
      score: z.number().int(),
      level: z.enum(urgencyLevels),
      reasons: z.array(z.string()),
    }),
    draft: z.string().nullable(),
    evidence: z.array(
      z.object({ id: z.string(), title: z.string(), locale: z.string(), score: z.number() }),
    ),
    assignee: z.string().nullable(),
    escalated: z.boolean(),
    team: z
      .string()
      .nullable()
      .openapi({ description: 'The team that took it (knowledge-base/teams.yaml)' }),
    escalationLevel: z.number().int().min(0).openapi({
      description:
        '0, or the last step of the escalation path its SLA clocks reached (GET /v1/teams)',
    }),
    sla: z.object({
      firstResponse: clockStatusSchema.nullable(),
      resolution: clockStatusSchema.nullable(),
    }),
    version: z
      .number()
      .int()
      .openapi({ description: 'Send it back with an action: a stale version is refused (409)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Ticket');
export type Ticket = z.infer<typeof ticketSchema>;

/** Who wrote a stored message, which way it went, and how its delivery stands (one source for the table types too). */
export const messageDirectionSchema = z.enum(['inbound', 'outbound']);
export type MessageDirection = z.infer<typeof messageDirectionSchema>;
export const messageAuthorSchema = z.enum(['customer', 'bot', 'agent']);
export type MessageAuthor = z.infer<typeof messageAuthorSchema>;
export const deliveryStatusSchema = z.enum(['pending', 'delivered', 'failed', 'skipped']);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const conversationMessageSchema = z
  .object({
    id: z.string(),
    direction: messageDirectionSchema,
    author: messageAuthorSchema,
    authorId: z.string().nullable(),
    text: z.string(),
    createdAt: z.string(),
    delivery: deliveryStatusSchema.nullable(),
  })
  .openapi('ConversationMessage');

export const conversationSchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    externalId: z.string(),
    customer: z.object({ id: z.string(), name: z.string().nullable() }),
    status: z.string().openapi({
      description: '`bot`, or `agent` once an agent has replied (the bot then stays silent)',
    }),
    messages: z.array(conversationMessageSchema),
  })
  .openapi('Conversation');

export const ticketDetailSchema = ticketSchema
  .extend({
    conversation: conversationSchema,
    triage: z.unknown().openapi({
      description: 'The triage result of the message that opened the ticket (TriageResult)',
    }),
    actions: z.array(
      z.object({
        action: z.string(),
        agentId: z.string(),
        reason: z.string().nullable(),
        editDistance: z.number().int().nullable(),
        at: z.string(),
      }),
    ),
  })
  .openapi('TicketDetail');
export type TicketDetail = z.infer<typeof ticketDetailSchema>;

const versioned = { version: z.number().int().positive() };
export const ticketActionSchema = z
  .discriminatedUnion('action', [
    z.object({ action: z.literal('accept'), ...versioned }).strict(),
    z
      .object({ action: z.literal('edit'), text: z.string().trim().min(1).max(8000), ...versioned })
      .strict(),
    // A reply of the agent's own, not a decision on the draft (follow-ups): not counted as feedback.
    z
      .object({
        action: z.literal('reply'),
        text: z.string().trim().min(1).max(8000),
        ...versioned,
      })
      .strict(),
    z
      .object({
        action: z.literal('reject'),
        reason: z.string().trim().min(1, 'say why the draft is wrong').max(1000),
        category: z
          .string()
          .trim()
          .min(1)
          .max(64)
          .optional()
          .openapi({ description: 'The right category, when triage got it wrong' }),
        ...versioned,
      })
      .strict(),
    z
      .object({
        action: z.literal('reassign'),
        assignee: z.string().trim().min(1).max(100),
        ...versioned,
      })
      .strict(),
    z
      .object({
        action: z.literal('escalate'),
        reason: z.string().trim().min(1).max(1000),
        ...versioned,
      })
      .strict(),
    z.object({ action: z.literal('pending'), ...versioned }).strict(),
    z.object({ action: z.literal('solve'), ...versioned }).strict(),
    z.object({ action: z.literal('close'), ...versioned }).strict(),
    z.object({ action: z.literal('reopen'), ...versioned }).strict(),
  ])
  .openapi('TicketAction');
export type TicketAction = z.infer<typeof ticketActionSchema>;

export const actionCountsSchema = z
  .object({
    accepted: z.number().int(),
    edited: z.number().int(),
    rejected: z.number().int(),
    acceptanceRate: z.number().nullable(),
  })
  .openapi('AgentActionCounts');
