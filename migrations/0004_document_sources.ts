/**
 * Where each knowledge document came from (`source`): the knowledge-base folder the server
 * syncs at start (`knowledge-base`), an upload (`upload`), or another folder ingested by
 * `triage kb ingest` (its absolute path). Ingestion and pruning then touch one source only.
 * Frozen once shipped: change the schema in a new migration.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('knowledge_documents').addColumn('source', 'text').execute();
  // Until now uploads were told apart by their path, and every other document was kept only
  // while it was in the folder synced last (the start-up sync, so the knowledge base).
  await sql`update knowledge_documents
               set source = case when source_path like 'uploads/%' then 'upload' else 'knowledge-base' end`.execute(
    db,
  );
  await sql`alter table knowledge_documents alter column source set not null`.execute(db);
  // Two folders may both hold `faq/x.md`: the key of a document names its source too.
  await sql`update knowledge_documents set document_key = source || '|' || document_key`.execute(
    db,
  );
  await db.schema.dropIndex('knowledge_documents_source_idx').execute();
  await db.schema
    .createIndex('knowledge_documents_source_idx')
    .on('knowledge_documents')
    .columns(['source', 'source_path'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('knowledge_documents_source_idx').execute();
  await sql`update knowledge_documents set document_key = substr(document_key, length(source) + 2)`.execute(
    db,
  );
  await db.schema.alterTable('knowledge_documents').dropColumn('source').execute();
  await db.schema
    .createIndex('knowledge_documents_source_idx')
    .on('knowledge_documents')
    .column('source_path')
    .execute();
}
