/**
 * Whether the database answers correctly, not merely whether it answers: `select 1` kept
 * succeeding on a data folder two processes had corrupted while documents were gone and
 * search was wrong. This reads every key table and compares two counts that must agree.
 */
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from './tables.js';

export class DatabaseInconsistentError extends Error {
  override name = 'DatabaseInconsistentError';
}

export const databaseHealthSchema = z.object({ documents: z.number(), chunks: z.number() });
export type DatabaseHealth = z.infer<typeof databaseHealthSchema>;

/**
 * One statement, cheap at any size (counts and one row per table): throws when a key table
 * cannot be read, or when the keyword statistics (kept by triggers in the same transaction as
 * every chunk insert and delete, migrations/0002) disagree with the chunks actually there.
 */
export async function checkDatabase(db: Kysely<Database>): Promise<DatabaseHealth> {
  const result = await sql<{
    documents: number;
    chunks: number;
    counted_chunks: number | null;
    rows: number;
  }>`
    select (select count(*) from knowledge_documents)::int as documents,
           (select count(*) from knowledge_chunks)::int as chunks,
           (select chunks from knowledge_term_totals)::int as counted_chunks,
           -- One row of each key table, its large values read out (damage often sits in
           -- the out-of-line storage of long texts: "missing chunk number 0 for toast value").
           (select count(*) from (
              (select length(body) from knowledge_documents limit 1) union all
              (select length(text) from knowledge_chunks limit 1) union all
              (select length(kind) from model_states limit 1) union all
              (select length(customer_id) from conversations limit 1) union all
              (select length(text) from messages limit 1) union all
              (select length(coalesce(draft, '')) from tickets limit 1) union all
              (select length(payload::text) from outbox limit 1) union all
              (select length(username) from users limit 1)) as probe)::int as rows`.execute(db);
  const row = result.rows[0]!;
  if (row.counted_chunks !== null && row.counted_chunks !== row.chunks) {
    throw new DatabaseInconsistentError(
      `knowledge_chunks holds ${row.chunks} rows but its statistics count ${row.counted_chunks}: the data folder may be damaged (was it opened by two processes?); restore it or re-create it and re-ingest`,
    );
  }
  return { documents: row.documents, chunks: row.chunks };
}
