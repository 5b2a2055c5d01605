/** Alert shapes of the API (`/v1/alerts`), the webhook and the console: one source of their types. */
import { z } from '@hono/zod-openapi';
import { ticketSchema } from '../tickets/ticket-contract.js';

/**
 * What the detector counts per conversation, from the stored triage result (never its reason
 * text): the category, the knowledge-base entry matched, and the carrier of each tracking number.
 */
export const alertKinds = ['carrier', 'entry', 'category'] as const;
export const alertKindSchema = z.enum(alertKinds);
export type AlertKind = z.infer<typeof alertKindSchema>;

export const alertStatuses = ['open', 'acknowledged', 'resolved'] as const;
export const alertStatusSchema = z.enum(alertStatuses);
export type AlertStatus = z.infer<typeof alertStatusSchema>;
/** Open or acknowledged: the banner shows it, tickets still join it. */
export const unresolvedAlertStatuses = [
  'open',
  'acknowledged',
] as const satisfies readonly AlertStatus[];

export const alertKeySchema = z.object({ kind: alertKindSchema, key: z.string() });
export type AlertKey = z.infer<typeof alertKeySchema>;

export const alertSchema = z
  .object({
    id: z.string(),
    kind: alertKindSchema,
    key: z.string().openapi({ example: 'sf-express' }),
    related: z.array(alertKeySchema).openapi({
      description: 'Other keys the same wave raised (mostly the same conversations)',
    }),
    status: alertStatusSchema,
    window: z.object({ start: z.string(), end: z.string() }).openapi({
      description: 'The window of the latest significant test',
    }),
    observed: z.number().int().openapi({ description: 'Conversations of the key in the window' }),
    expected: z.number().openapi({
      description: 'Baseline share of the key × conversations in the window',
    }),
    ratio: z.number(),
    pValue: z.number().openapi({
      description: 'P(at least `observed`) under the baseline share (binomial)',
    }),
    windowTotal: z.number().int(),
    baseline: z.object({ count: z.number().int(), total: z.number().int() }),
    peakObserved: z.number().int(),
    ticketCount: z.number().int(),
    raisedAt: z.string(),
    lastSignificantAt: z.string().openapi({
      description: 'The surge is ongoing while this is within one window of now',
    }),
    acknowledged: z.object({ by: z.string(), at: z.string() }).nullable(),
    resolved: z.object({ by: z.string(), at: z.string() }).nullable(),
    notification: z
      .object({
        status: z.enum(['pending', 'sent', 'failed']),
        attempts: z.number().int(),
        error: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: 'The webhook notification (null when ALERT_WEBHOOK_URL is unset)' }),
  })
  .openapi('Alert');
export type Alert = z.infer<typeof alertSchema>;

export const alertTicketSchema = ticketSchema
  .pick({ id: true, conversationId: true, status: true, category: true, subject: true })
  .extend({
    urgency: ticketSchema.shape.urgency.pick({ score: true, level: true }),
    createdAt: z.string(),
    addedAt: z.string(),
    repliedAt: z.string().nullable(),
  })
  .openapi('AlertTicket');
export type AlertTicket = z.infer<typeof alertTicketSchema>;

export const alertDetailSchema = alertSchema
  .extend({ tickets: z.array(alertTicketSchema) })
  .openapi('AlertDetail');
export type AlertDetail = z.infer<typeof alertDetailSchema>;

export const alertReplyRequestSchema = z
  .object({
    text: z.string().trim().min(1).max(8000).openapi({
      description: 'The reviewed reply, sent as it is to every chosen ticket',
    }),
    ticketIds: z.array(z.uuid()).min(1).max(500).optional().openapi({
      description: 'Default: every grouped ticket still open or waiting for the customer',
    }),
  })
  .strict()
  .openapi('AlertReplyRequest');
export type AlertReplyRequest = z.infer<typeof alertReplyRequestSchema>;

export const alertReplyResultSchema = z
  .object({
    sent: z.array(z.string()).openapi({ description: 'Tickets the reply was sent to' }),
    skipped: z.array(z.object({ ticketId: z.string(), reason: z.string() })),
  })
  .openapi('AlertReplyResult');
export type AlertReplyResult = z.infer<typeof alertReplyResultSchema>;

/** What the webhook receives when an alert is raised (signed like the reply webhook). */
export const alertWebhookPayloadSchema = z.object({
  type: z.literal('alert.raised'),
  deliveryId: z.string(),
  alert: alertSchema.omit({ notification: true }),
  ticketIds: z.array(z.string()),
});
export type AlertWebhookPayload = z.infer<typeof alertWebhookPayloadSchema>;
