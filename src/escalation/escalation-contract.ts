/** What the alert webhook receives when a ticket moves up its escalation path. */
import { z } from 'zod';

export const escalationWebhookPayloadSchema = z.object({
  type: z.literal('ticket.escalated'),
  /** The escalation's id: the same on every retry, so a receiver can drop repeats. */
  deliveryId: z.string(),
  ticket: z.object({
    id: z.string(),
    conversationId: z.string(),
    status: z.string(),
    category: z.string().nullable(),
    language: z.string().nullable(),
    team: z.string().nullable(),
    assignee: z.string().nullable(),
    urgency: z.object({ score: z.number(), level: z.string() }),
    escalationLevel: z.number().int(),
  }),
  escalation: z.object({
    level: z.number().int(),
    name: z.union([z.string(), z.object({ zh: z.string(), en: z.string() })]),
    clock: z.enum(['first_response', 'resolution']),
    /** The share of the window the step is reached at (0.75; 1 is the due time). */
    at: z.number(),
    overdue: z.boolean(),
    dueAt: z.string(),
    reachedAt: z.string(),
  }),
  /** Console usernames told in the console. */
  recipients: z.array(z.string()),
});
export type EscalationWebhookPayload = z.infer<typeof escalationWebhookPayloadSchema>;
