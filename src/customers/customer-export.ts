/**
 * The shape of a customer's export (`GET /v1/customers/{id}/export`, `triage customers export`):
 * everything stored about them, conversation by conversation, with each message's triage
 * result, each ticket's actions, the deliveries of replies, audit entries about any of them,
 * and rows of other tables that point at them.
 */
import { z } from '@hono/zod-openapi';

const time = z.string().openapi({ description: 'ISO 8601' });
const optionalTime = time.nullable();

export const customerExportSchema = z
  .object({
    customer: z.object({
      id: z.string(),
      channels: z.array(z.string()),
    }),
    exportedAt: time,
    conversations: z.array(
      z.object({
        id: z.string(),
        channel: z.string(),
        externalId: z.string(),
        customerName: z.string().nullable(),
        status: z.string(),
        createdAt: time,
        updatedAt: time,
        messages: z.array(
          z.object({
            id: z.string(),
            externalMessageId: z.string().nullable(),
            direction: z.string(),
            author: z.string(),
            authorId: z.string().nullable(),
            text: z.string(),
            locale: z.string().nullable(),
            sentAt: optionalTime,
            createdAt: time,
            redactedAt: optionalTime.openapi({
              description: 'When the retention job replaced the text (RETENTION_DAYS)',
            }),
            triage: z.unknown().openapi({ description: 'The stored TriageResult, or null' }),
          }),
        ),
        tickets: z.array(
          z.object({
            id: z.string(),
            messageId: z.string(),
            status: z.string(),
            category: z.string().nullable(),
            subject: z.string().nullable(),
            draft: z.string().nullable(),
            urgency: z.object({ score: z.number(), level: z.string() }),
            reasons: z.unknown(),
            assignee: z.string().nullable(),
            createdAt: time,
            updatedAt: time,
            solvedAt: optionalTime,
            actions: z.array(
              z.object({
                action: z.string(),
                agentId: z.string(),
                draft: z.string().nullable(),
                sentText: z.string().nullable(),
                reason: z.string().nullable(),
                editDistance: z.number().nullable(),
                correctedCategory: z.string().nullable(),
                at: time,
              }),
            ),
          }),
        ),
      }),
    ),
    deliveries: z.array(
      z.object({
        id: z.string(),
        messageId: z.string(),
        channel: z.string(),
        status: z.string(),
        attempts: z.number(),
        payload: z.unknown(),
        createdAt: time,
        deliveredAt: optionalTime,
      }),
    ),
    audit: z.array(
      z.object({
        at: time,
        actorType: z.string(),
        actorId: z.string().nullable(),
        action: z.string(),
        subjectType: z.string(),
        subjectId: z.string().nullable(),
        details: z.unknown(),
      }),
    ),
    related: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).openapi({
      description:
        'Rows of other tables (satisfaction surveys, ...) that point at these conversations, tickets or messages, by table',
    }),
  })
  .openapi('CustomerExport');
export type CustomerExport = z.infer<typeof customerExportSchema>;

export const eraseReportSchema = z
  .object({
    subjectId: z.string().openapi({
      description:
        'The audit log subject of this customer (a keyed hash of the customer id, not the id): GET /v1/audit?subjectId= finds the erase',
    }),
    channels: z.array(z.string()),
    erased: z.object({
      conversations: z.number().int(),
      messages: z.number().int(),
      triageResults: z.number().int(),
      tickets: z.number().int(),
      agentActions: z.number().int(),
      deliveries: z.number().int(),
      auditEntries: z.number().int(),
      related: z.record(z.string(), z.number().int()).openapi({
        description:
          'Rows of other tables that pointed at them, by table: satisfaction surveys, candidate and approved answers taken from their tickets, escalations, notifications',
      }),
    }),
  })
  .openapi('CustomerEraseReport');
export type EraseReport = z.infer<typeof eraseReportSchema>;
