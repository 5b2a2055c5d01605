/**
 * All SQL of the outbox: queueing a delivery, claiming due rows under a lease (safe across
 * processes), and recording each attempt's outcome. The stored payload is returned parsed
 * with `outboundPayloadSchema`. Functions take the database (or an open transaction) first.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { handoffDeliverySchema, outboundDeliverySchema } from '../channels/channel.js';
import type { Database } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A delivery as stored: every attempt adds the row's id as the delivery id. */
export const outboundPayloadSchema = z.discriminatedUnion('type', [
  outboundDeliverySchema.omit({ deliveryId: true }),
  handoffDeliverySchema.omit({ deliveryId: true }),
]);
export type OutboundPayload = z.infer<typeof outboundPayloadSchema>;

export async function insertDelivery(
  db: Db,
  delivery: { payload: OutboundPayload; status: 'pending' | 'skipped'; now: Date },
): Promise<string> {
  const row = await db
    .insertInto('outbox')
    .values({
      message_id: delivery.payload.messageId,
      channel: delivery.payload.channel,
      payload: JSON.stringify(delivery.payload),
      status: delivery.status,
      next_attempt_at: delivery.now,
      created_at: delivery.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Leases up to `limit` due rows and counts the attempt (SKIP LOCKED on a server). */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  claim: { now: Date; leaseMs: number; limit: number },
) {
  const rows = await db
    .updateTable('outbox')
    .set({
      locked_until: new Date(claim.now.getTime() + claim.leaseMs),
      attempts: sql`attempts + 1`,
    })
    .where(
      'id',
      'in',
      db
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', claim.now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', claim.now)]))
        .orderBy('next_attempt_at')
        .limit(claim.limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'channel', 'payload', 'attempts'])
    .execute();
  return rows.map((row) => ({ ...row, payload: outboundPayloadSchema.parse(row.payload) }));
}

export async function markDelivered(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'delivered', delivered_at: now, locked_until: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'failed', locked_until: null, last_error: error })
    .where('id', '=', id)
    .execute();
}

export async function scheduleRetry(
  db: Db,
  id: string,
  retry: { at: Date; error: string },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ next_attempt_at: retry.at, locked_until: null, last_error: retry.error })
    .where('id', '=', id)
    .execute();
}

/** Rows waiting for delivery and rows given up on. */
export async function outboxBacklog(db: Db): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('status', 'in', ['pending', 'failed'])
    .groupBy('status')
    .execute();
  const backlog = { pending: 0, failed: 0 };
  for (const row of rows) backlog[row.status as 'pending' | 'failed'] = Number(row.count);
  return backlog;
}
