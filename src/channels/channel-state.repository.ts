/**
 * All SQL of channel state: a value per channel and key (a platform cursor), and the event ids
 * a channel has taken, so a platform's retry of one event is dropped on any instance. Stored
 * values come back as `unknown`: the adapter that wrote them parses them with its own schema.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function readChannelState(
  db: Db,
  channel: string,
  key: string,
): Promise<unknown | undefined> {
  const row = await db
    .selectFrom('channel_state')
    .select('value')
    .where('channel', '=', channel)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function writeChannelState(
  db: Db,
  state: { channel: string; key: string; value: unknown; now: Date },
): Promise<void> {
  const value = JSON.stringify(state.value);
  await db
    .insertInto('channel_state')
    .values({ channel: state.channel, key: state.key, value, updated_at: state.now })
    .onConflict((conflict) =>
      conflict.columns(['channel', 'key']).doUpdateSet({ value, updated_at: state.now }),
    )
    .execute();
}

/** True the first time this channel sees the event id; false for every repeat. */
export async function claimChannelEvent(
  db: Db,
  event: { channel: string; eventId: string; now: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('channel_events')
    .values({ channel: event.channel, event_id: event.eventId, received_at: event.now })
    .onConflict((conflict) => conflict.columns(['channel', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets one event id, so the platform's next delivery of it is taken. */
export async function releaseChannelEvent(
  db: Db,
  event: { channel: string; eventId: string },
): Promise<void> {
  await db
    .deleteFrom('channel_events')
    .where('channel', '=', event.channel)
    .where('event_id', '=', event.eventId)
    .execute();
}

/** Forgets event ids taken before `before`; returns how many. */
export async function purgeChannelEvents(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('channel_events')
    .where('received_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
