/**
 * Messages as the intake's durable queue: `POST /v1/messages` acknowledges once the message is
 * stored and any instance triages it later, so what the background worker needs of the request
 * (the locale hint) is stored with it, and workers find the next message of a conversation by
 * an index. Frozen once shipped: change the schema in a new migration.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('locale', 'text').execute();
  // "Is an earlier message of this conversation still waiting?" is asked for every claim.
  await sql`create index messages_conversation_unprocessed_idx on messages (conversation_id, created_at) where processing = 'received'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists messages_conversation_unprocessed_idx`.execute(db);
  await db.schema.alterTable('messages').dropColumn('locale').execute();
}
