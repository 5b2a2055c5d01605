/** All SQL of console notifications: one row per person told, read with its ticket and step. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface NotificationInsert {
  recipient: string;
  kind: string;
  ticketId: string | null;
  escalationId: string | null;
  at: Date;
}

export async function insertNotifications(db: Db, rows: readonly NotificationInsert[]) {
  if (rows.length === 0) return;
  await db
    .insertInto('notifications')
    .values(
      rows.map((row) => ({
        recipient: row.recipient,
        kind: row.kind,
        ticket_id: row.ticketId,
        escalation_id: row.escalationId,
        created_at: row.at,
      })),
    )
    .execute();
}

function withDetails(db: Db) {
  return db
    .selectFrom('notifications')
    .leftJoin('tickets', 'tickets.id', 'notifications.ticket_id')
    .leftJoin('ticket_escalations', 'ticket_escalations.id', 'notifications.escalation_id')
    .select([
      'notifications.id',
      'notifications.recipient',
      'notifications.kind',
      'notifications.created_at',
      'notifications.read_at',
      'tickets.id as ticket_id',
      'tickets.subject',
      'tickets.category',
      'tickets.status',
      'tickets.team',
      'tickets.assignee',
      'tickets.urgency_level',
      'tickets.escalation_level',
      'ticket_escalations.level',
      'ticket_escalations.clock',
      'ticket_escalations.at_share',
      'ticket_escalations.due_at',
      'ticket_escalations.team as escalation_team',
    ]);
}
export type NotificationDetailRow = Awaited<
  ReturnType<ReturnType<typeof withDetails>['executeTakeFirstOrThrow']>
>;

/** A person's notifications, newest first. */
export async function notificationsOf(
  db: Db,
  recipient: string,
  filter: { unreadOnly: boolean; limit: number },
): Promise<NotificationDetailRow[]> {
  let query = withDetails(db)
    .where('notifications.recipient', '=', recipient)
    .orderBy('notifications.created_at', 'desc')
    .orderBy('notifications.id')
    .limit(filter.limit);
  if (filter.unreadOnly) query = query.where('notifications.read_at', 'is', null);
  return query.execute();
}

export async function unreadCount(db: Db, recipient: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('recipient', '=', recipient)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Marks one of the person's notifications read (the first time only); false when not theirs. */
export async function markRead(db: Db, recipient: string, id: string, at: Date) {
  const row = await db
    .updateTable('notifications')
    .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(at)) }))
    .where('id', '=', id)
    .where('recipient', '=', recipient)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function notificationById(db: Db, recipient: string, id: string) {
  return withDetails(db)
    .where('notifications.id', '=', id)
    .where('notifications.recipient', '=', recipient)
    .executeTakeFirst();
}
