/**
 * Held knowledge-base documents: ingestion screens every document, and one that addresses the
 * bot, promises money or carries prompt text is stored `held` (with the findings) and takes no
 * part in search, answers or training until an admin approves it (`reviewed_by`, `reviewed_at`).
 * Frozen once shipped: change the schema in a new migration.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('knowledge_documents')
    // Every document ingested before this migration was already live: it stays active.
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'held')`),
    )
    // [{code, evidence}] from the screen; kept after approval as the record of what was waved through.
    .addColumn('held_reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'timestamptz')
    .execute();
  // The review queue is small and read often; active documents are the bulk of the table.
  await sql`create index knowledge_documents_held_idx on knowledge_documents (created_at) where status = 'held'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists knowledge_documents_held_idx`.execute(db);
  await db.schema
    .alterTable('knowledge_documents')
    .dropColumn('status')
    .dropColumn('held_reasons')
    .dropColumn('reviewed_by')
    .dropColumn('reviewed_at')
    .execute();
}
