/**
 * Customer data lifecycle (issue 16): the retention job redacts the text of messages and tickets
 * older than RETENTION_DAYS and marks them `redacted_at`, so it finds the rows still to do by a
 * partial index instead of rereading every old row on each pass; an export or erase finds a
 * customer's conversations by an index on the customer id. Frozen once shipped: change the
 * schema in a new migration.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('redacted_at', 'timestamptz').execute();
  await db.schema.alterTable('tickets').addColumn('redacted_at', 'timestamptz').execute();
  // Rows leave these indexes once redacted: a pass reads only the old rows it still has to do.
  await sql`create index messages_unredacted_idx on messages (created_at) where redacted_at is null`.execute(
    db,
  );
  await sql`create index tickets_unredacted_idx on tickets (created_at) where redacted_at is null`.execute(
    db,
  );
  await db.schema
    .createIndex('conversations_customer_idx')
    .on('conversations')
    .columns(['customer_id', 'channel'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists conversations_customer_idx`.execute(db);
  await sql`drop index if exists tickets_unredacted_idx`.execute(db);
  await sql`drop index if exists messages_unredacted_idx`.execute(db);
  await db.schema.alterTable('tickets').dropColumn('redacted_at').execute();
  await db.schema.alterTable('messages').dropColumn('redacted_at').execute();
}
