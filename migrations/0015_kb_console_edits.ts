/**
 * Knowledge-base editing in the console (issue 16). A document written in the console (source
 * `console`) takes the place of the entry's other versions of the same language: the shipped
 * file's document stays stored but `superseded` (no chunks, so nothing searches or quotes it)
 * and is neither re-activated nor overwritten by the start-up sync; a console delete of a shipped
 * entry is a `deleted` console row (a tombstone) that supersedes it the same way. `edited_by`
 * names who wrote the console version (0001's index on entry id and locale serves the lookups).
 * Frozen once shipped: change the schema in a new migration.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table knowledge_documents drop constraint if exists knowledge_documents_status_check`.execute(
    db,
  );
  await sql`alter table knowledge_documents add constraint knowledge_documents_status_check
    check (status in ('active', 'held', 'superseded', 'deleted'))`.execute(db);
  await db.schema.alterTable('knowledge_documents').addColumn('edited_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // What only the console made goes: tombstones and console versions; the shipped ones return.
  await sql`delete from knowledge_documents where source = 'console'`.execute(db);
  await sql`update knowledge_documents set status = 'held' where status in ('superseded', 'deleted')`.execute(
    db,
  );
  await db.schema.alterTable('knowledge_documents').dropColumn('edited_by').execute();
  await sql`alter table knowledge_documents drop constraint if exists knowledge_documents_status_check`.execute(
    db,
  );
  await sql`alter table knowledge_documents add constraint knowledge_documents_status_check
    check (status in ('active', 'held'))`.execute(db);
}
