/** The knowledge base's version as every instance can read it from the shared database. */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/tables.js';

/**
 * A fingerprint of the searchable documents: it changes with any upload, edit, delete or
 * approval, whichever instance made it. Read every few seconds, so it is one aggregate over
 * documents, not chunks. (The local embedder is fitted once and kept; it does not change.)
 */
export async function knowledgeBaseFingerprint(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ fingerprint: string }>`
    select count(*) || ':' || coalesce(sum(hashtext(id::text || content_hash || updated_at::text)), 0)
      as fingerprint
    from knowledge_documents
    where status = 'active'`.execute(db);
  return result.rows[0]?.fingerprint ?? '';
}
