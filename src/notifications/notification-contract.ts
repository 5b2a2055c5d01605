/** Notification shapes of the staff API (`/v1/notifications`): what the console's bell lists. */
import { z } from '@hono/zod-openapi';
import { ticketStatusSchema } from '../tickets/ticket-contract.js';
import { urgencyLevels } from '../triage/urgency-levels.js';

export const notificationKinds = ['ticket.escalated'] as const;

const localisedName = z.union([z.string(), z.object({ zh: z.string(), en: z.string() })]);

export const notificationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(notificationKinds),
    ticket: z
      .object({
        id: z.string(),
        subject: z.string().nullable(),
        category: z.string().nullable(),
        status: ticketStatusSchema,
        team: z.string().nullable(),
        assignee: z.string().nullable(),
        urgencyLevel: z.enum(urgencyLevels),
        escalationLevel: z.number().int(),
      })
      .nullable(),
    escalation: z
      .object({
        level: z.number().int(),
        name: localisedName.openapi({ description: "The step's name in teams.yaml" }),
        clock: z.enum(['first_response', 'resolution']),
        dueAt: z.string(),
        overdue: z
          .boolean()
          .openapi({ description: 'true: the due time passed; false: it is near' }),
      })
      .nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi('Notification');
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListSchema = z
  .object({
    notifications: z.array(notificationSchema),
    unread: z.number().int().openapi({ description: "The signed-in user's unread notifications" }),
  })
  .openapi('NotificationList');
export type NotificationList = z.infer<typeof notificationListSchema>;
