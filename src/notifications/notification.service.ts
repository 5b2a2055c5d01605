/**
 * The signed-in person's notifications (SLA escalations of tickets they are told about): the
 * console's bell lists them and marks them read. A person sees only their own.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/tables.js';
import { NotFoundError } from '../errors/domain-errors.js';
import { escalationPathOf, type TeamsConfig } from '../teams/teams.js';
import { ticketStatusSchema } from '../tickets/ticket-contract.js';
import type { Clock } from '../time/clock.js';
import { urgencyLevels } from '../triage/urgency-levels.js';
import {
  type Notification,
  type NotificationList,
  notificationKinds,
} from './notification-contract.js';
import {
  markRead,
  type NotificationDetailRow,
  notificationById,
  notificationsOf,
  unreadCount,
} from './notification.repository.js';

export interface NotificationServiceOptions {
  db: Kysely<Database>;
  clock: Clock;
  teams: TeamsConfig;
}

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);
const kindSchema = z.enum(notificationKinds);
const clockSchema = z.enum(['first_response', 'resolution']);
const urgencySchema = z.enum(urgencyLevels);

function toNotification(row: NotificationDetailRow, teams: TeamsConfig): Notification {
  const step =
    row.level !== null
      ? escalationPathOf(teams, row.escalation_team).find(
          (candidate) => candidate.level === row.level,
        )
      : undefined;
  return {
    id: row.id,
    kind: kindSchema.parse(row.kind),
    ticket: row.ticket_id
      ? {
          id: row.ticket_id,
          subject: row.subject,
          category: row.category,
          status: ticketStatusSchema.parse(row.status),
          team: row.team,
          assignee: row.assignee,
          urgencyLevel: urgencySchema.parse(row.urgency_level),
          escalationLevel: row.escalation_level ?? 0,
        }
      : null,
    escalation:
      row.level !== null && row.clock !== null && row.due_at !== null
        ? {
            level: row.level,
            // The file may have changed since: the level still says which step it was.
            name: step?.name ?? `level ${row.level}`,
            clock: clockSchema.parse(row.clock),
            dueAt: iso(row.due_at)!,
            overdue: (row.at_share ?? 0) >= 1,
          }
        : null,
    createdAt: iso(row.created_at)!,
    readAt: iso(row.read_at),
  };
}

export function createNotificationService(options: NotificationServiceOptions) {
  const { db, clock, teams } = options;
  return {
    async list(
      recipient: string,
      filter: { unread?: boolean; limit?: number } = {},
    ): Promise<NotificationList> {
      const rows = await notificationsOf(db, recipient, {
        unreadOnly: filter.unread ?? false,
        limit: filter.limit ?? 50,
      });
      return {
        notifications: rows.map((row) => toNotification(row, teams)),
        unread: await unreadCount(db, recipient),
      };
    },

    async markRead(recipient: string, id: string): Promise<Notification> {
      if (!(await markRead(db, recipient, id, clock.now())))
        throw new NotFoundError(`You have no notification ${id}.`);
      const row = await notificationById(db, recipient, id);
      if (!row) throw new NotFoundError(`You have no notification ${id}.`);
      return toNotification(row, teams);
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
