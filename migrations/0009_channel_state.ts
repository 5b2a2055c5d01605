/**
 * What channel adapters keep between deliveries and across instances: a value per channel and
 * key (WeCom's `kf/sync_msg` cursor per customer-service account), and the platform event ids
 * already taken (Slack retries an event by its `event_id`; Telegram an update by `update_id`),
 * purged after a day since platforms stop retrying within minutes. Frozen once shipped: change
 * the schema in a new migration.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_state')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('channel_state_pkey', ['channel', 'key'])
    .execute();
  await db.schema
    .createTable('channel_events')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('channel_events_pkey', ['channel', 'event_id'])
    .execute();
  await db.schema
    .createIndex('channel_events_received_idx')
    .on('channel_events')
    .column('received_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channel_events').ifExists().execute();
  await db.schema.dropTable('channel_state').ifExists().execute();
}
