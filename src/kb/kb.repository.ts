/**
 * All SQL of the knowledge base: documents, chunks, vector and keyword search, and the
 * fitted state of corpus-trained embedders. Functions take the database (or an open
 * transaction) first and return rows.
 */
import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database, KnowledgeDocumentStatus, NewKnowledgeChunk } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Postgres reads a statement's parameter count as a 16-bit number: a multi-row INSERT
 * with more parameters than this fails, so large inserts are split into statements.
 */
export const MAX_STATEMENT_PARAMETERS = 65_535;

/** Rows of `columns` parameters each that fit in one statement (at most `wanted`). */
export function rowsPerStatement(columns: number, wanted = Infinity): number {
  return Math.max(1, Math.min(wanted, Math.floor(MAX_STATEMENT_PARAMETERS / columns)));
}

function* statementBatches<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}

export interface DocumentInsert {
  source: string;
  sourcePath: string;
  kind: 'faq' | 'policy';
  entryId: string;
  locale: string;
  title: string;
  category: string | null;
  autoReply: boolean;
  body: string;
  contentHash: string;
  metadata: Record<string, unknown>;
  /** Only `active` documents have chunks: nothing can find or quote the others. */
  status?: KnowledgeDocumentStatus;
  heldReasons?: unknown[];
  /** Who wrote a console version (kb-editor.ts). */
  editedBy?: string;
}

/** Who approved or rejected a held document (an admin key or user, or the command line). */
export interface Reviewer {
  name: string;
  at: Date;
}

/** The files one source holds (path within the source -> content hash). */
export async function documentHashes(db: Db, source: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('knowledge_documents')
    .select(['source_path', 'content_hash'])
    .where('source', '=', source)
    .distinct()
    .execute();
  return new Map(rows.map((row) => [row.source_path, row.content_hash]));
}

/**
 * Deletes the documents of these files of one source (other sources are never touched).
 * Their chunks go first in one statement: left to the foreign key's cascade, they would be
 * deleted one document at a time, each firing the keyword-statistics trigger again.
 */
export async function deleteDocumentsBySource(
  db: Db,
  source: string,
  sourcePaths: string[],
): Promise<number> {
  if (sourcePaths.length === 0) return 0;
  // One array parameter, whatever the number of paths (an IN list would hit the parameter limit).
  const inFiles = sql<boolean>`source = ${source} and source_path = any(${sourcePaths}::text[])`;
  await db
    .deleteFrom('knowledge_chunks')
    .where('document_id', 'in', (eb) =>
      eb.selectFrom('knowledge_documents').select('id').where(inFiles),
    )
    .execute();
  const result = await db.deleteFrom('knowledge_documents').where(inFiles).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteDocumentById(
  db: Db,
  id: string,
): Promise<{ source_path: string; kind: 'faq' | 'policy' } | undefined> {
  return db
    .deleteFrom('knowledge_documents')
    .where('id', '=', id)
    .returning(['source_path', 'kind'])
    .executeTakeFirst();
}

/** The kinds of the documents one file of a source holds now. */
export async function fileKinds(
  db: Db,
  source: string,
  sourcePath: string,
): Promise<('faq' | 'policy')[]> {
  const rows = await db
    .selectFrom('knowledge_documents')
    .select('kind')
    .distinct()
    .where('source', '=', source)
    .where('source_path', '=', sourcePath)
    .execute();
  return rows.map((row) => row.kind);
}

export async function insertDocument(db: Db, document: DocumentInsert): Promise<string> {
  const [id] = await insertDocuments(db, [document]);
  return id!;
}

function documentKey(document: DocumentInsert): string {
  return `${document.source}|${document.sourcePath}#${document.entryId}.${document.locale}`;
}

const DOCUMENT_COLUMNS = 15;

/**
 * Inserts documents with multi-row statements; returns their ids in the order given.
 * Postgres does not promise RETURNING in VALUES order, so ids are matched by document key.
 */
export async function insertDocuments(db: Db, documents: DocumentInsert[]): Promise<string[]> {
  const ids = new Map<string, string>();
  for (const batch of statementBatches(documents, rowsPerStatement(DOCUMENT_COLUMNS))) {
    const rows = await db
      .insertInto('knowledge_documents')
      .values(
        batch.map((document) => ({
          document_key: documentKey(document),
          source: document.source,
          source_path: document.sourcePath,
          kind: document.kind,
          entry_id: document.entryId,
          locale: document.locale,
          title: document.title,
          category: document.category,
          auto_reply: document.autoReply,
          body: document.body,
          content_hash: document.contentHash,
          metadata: JSON.stringify(document.metadata),
          status: document.status ?? 'active',
          held_reasons: JSON.stringify(document.heldReasons ?? []),
          edited_by: document.editedBy ?? null,
        })),
      )
      .returning(['id', 'document_key'])
      .execute();
    for (const row of rows) ids.set(row.document_key, row.id);
  }
  return documents.map((document) => ids.get(documentKey(document))!);
}

/** A chunk to store: the vector as numbers (the repository picks the wire encoding). */
export type ChunkInsert = Omit<NewKnowledgeChunk, 'id' | 'embedding'> & {
  embedding?: ArrayLike<number> | null;
};

const CHUNK_COLUMNS = 10;
/**
 * Rows per INSERT statement. 2,000 rows measured as fast as the 6,553 that fit (500 were
 * 20 % slower; bench/kb/write-paths.ts) and keep each message to the database small.
 */
export const CHUNK_ROWS_PER_STATEMENT = rowsPerStatement(CHUNK_COLUMNS, 2000);

/**
 * Inserts chunks with multi-row statements of at most `rowsPerStatementWanted` rows (never
 * more than the parameter limit allows). Vectors travel in pgvector's binary form: with 256
 * floats as text, printing and parsing them (inside PGlite's WebAssembly) made a chunk cost
 * 0.76 ms of CPU instead of 0.15 ms (bench/kb/write-paths.ts). PGlite's COPY FROM '/dev/blob'
 * in binary format was cheaper still (0.12 ms) but exists only in process, not over the
 * wire protocol that servers and the database thread use.
 */
export async function insertChunks(
  db: Db,
  chunks: ChunkInsert[],
  rowsPerStatementWanted = CHUNK_ROWS_PER_STATEMENT,
): Promise<void> {
  const size = rowsPerStatement(CHUNK_COLUMNS, rowsPerStatementWanted);
  for (const batch of statementBatches(chunks, size)) {
    await db
      .insertInto('knowledge_chunks')
      .values(
        batch.map((chunk) => ({
          document_id: chunk.document_id,
          entry_id: chunk.entry_id,
          locale: chunk.locale,
          kind: chunk.kind,
          ordinal: chunk.ordinal,
          text: chunk.text,
          tokens: chunk.tokens,
          embedding: chunk.embedding ? vectorParameter(chunk.embedding) : null,
          embedding_model: chunk.embedding_model ?? null,
          embedding_dim: chunk.embedding_dim ?? null,
        })),
      )
      .execute();
  }
}

export interface DocumentFilter {
  status?: KnowledgeDocumentStatus;
  kind?: 'faq' | 'policy';
  /** Words anywhere in the id, title, questions or text (case-insensitive). */
  text?: string;
}

export async function listDocuments(db: Db, filter: DocumentFilter = {}) {
  let query = db
    .selectFrom('knowledge_documents as d')
    .leftJoin('knowledge_chunks as c', 'c.document_id', 'd.id')
    .select([
      'd.id',
      'd.source',
      'd.source_path',
      'd.kind',
      'd.entry_id',
      'd.locale',
      'd.title',
      'd.category',
      'd.auto_reply',
      'd.content_hash',
      'd.updated_at',
    ])
    .select(['d.status', 'd.held_reasons', 'd.reviewed_by', 'd.reviewed_at', 'd.edited_by'])
    .select((eb) => eb.fn.count<number>('c.id').as('chunks'))
    .groupBy('d.id')
    .orderBy('d.source')
    .orderBy('d.source_path');
  if (filter.status) query = query.where('d.status', '=', filter.status);
  if (filter.kind) query = query.where('d.kind', '=', filter.kind);
  for (const word of (filter.text ?? '').split(/\s+/).filter(Boolean).slice(0, 8)) {
    const pattern = `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('d.entry_id', 'ilike', pattern),
        eb('d.title', 'ilike', pattern),
        eb('d.body', 'ilike', pattern),
        eb(sql<string>`d.metadata::text`, 'ilike', pattern),
      ]),
    );
  }
  return query.execute();
}

/** One document with everything needed to chunk it again (approval of a held document). */
export async function documentById(db: Db, id: string) {
  return db.selectFrom('knowledge_documents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What an approval or a rejection reports about the document it changed. */
const reviewedDocumentColumns = [
  'id',
  'kind',
  'source',
  'source_path',
  'entry_id',
  'locale',
  'title',
  'held_reasons',
] as const;

/** Makes a held document active; undefined when it is not held (gone, or approved already). */
export async function approveHeldDocument(db: Db, id: string, reviewer: Reviewer) {
  return db
    .updateTable('knowledge_documents')
    .set({
      status: 'active',
      reviewed_by: reviewer.name,
      reviewed_at: reviewer.at,
      updated_at: reviewer.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'held')
    .returning(reviewedDocumentColumns)
    .executeTakeFirst();
}

/** Deletes a document only while it is held (a rejection); undefined otherwise. */
export async function deleteHeldDocument(db: Db, id: string) {
  return db
    .deleteFrom('knowledge_documents')
    .where('id', '=', id)
    .where('status', '=', 'held')
    .returning(reviewedDocumentColumns)
    .executeTakeFirst();
}

/** Titles and paraphrases of the active FAQ entries: what the entry and answerability models learn. */
export async function activeFaqQuestionRows(db: Db) {
  return db
    .selectFrom('knowledge_documents')
    .select(['entry_id', 'locale', 'title', 'metadata'])
    .where('kind', '=', 'faq')
    .where('status', '=', 'active')
    .orderBy('document_key')
    .execute();
}

/** The answer chunks of active FAQ entries with their document's metadata (tags). */
export async function activeFaqAnswerChunks(db: Db) {
  return db
    .selectFrom('knowledge_chunks as c')
    .innerJoin('knowledge_documents as d', 'd.id', 'c.document_id')
    .select(['c.entry_id', 'c.locale', 'c.text', 'd.metadata'])
    .where('d.kind', '=', 'faq')
    .where('c.kind', '=', 'answer')
    .where('d.status', '=', 'active')
    .orderBy('c.id')
    .execute();
}

/** Every chunk of an active document, for the in-memory lexical index. */
export async function activeChunks(db: Db) {
  return db
    .selectFrom('knowledge_chunks as c')
    .innerJoin('knowledge_documents as d', 'd.id', 'c.document_id')
    .select(['c.entry_id', 'c.locale', 'c.kind', 'c.text'])
    .where('d.status', '=', 'active')
    .orderBy('c.id')
    .execute();
}

export async function counts(db: Db): Promise<{ documents: number; chunks: number }> {
  const row = await sql<{ documents: number; chunks: number }>`
    select (select count(*) from knowledge_documents)::int as documents,
           (select count(*) from knowledge_chunks)::int as chunks`.execute(db);
  return row.rows[0]!;
}

/** The FAQ answers (or policy bodies) of active entries, by id and locale: a held one is never quoted. */
export async function entryDocuments(db: Db, entryIds: string[]) {
  if (entryIds.length === 0) return [];
  return db
    .selectFrom('knowledge_documents')
    .select(['entry_id', 'locale', 'title', 'body', 'kind', 'category', 'auto_reply'])
    .where('entry_id', 'in', entryIds)
    .where('status', '=', 'active')
    .execute();
}

export async function chunksWithoutEmbedding(db: Db, model: string, limit: number) {
  return db
    .selectFrom('knowledge_chunks')
    .select(['id', 'text'])
    .where((eb) => eb.or([eb('embedding_model', 'is', null), eb('embedding_model', '!=', model)]))
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function allChunkTexts(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('knowledge_chunks').select('text').orderBy('id').execute();
  return rows.map((row) => row.text);
}

export async function setEmbeddings(
  db: Db,
  model: string,
  rows: { id: string; embedding: number[] }[],
): Promise<void> {
  if (rows.length === 0) return;
  const dimension = rows[0]!.embedding.length;
  const values = sql.join(
    rows.map((row) => sql`(${row.id}::bigint, ${vectorParameter(row.embedding)}::vector)`),
  );
  await sql`
    update knowledge_chunks as c
       set embedding = v.embedding, embedding_model = ${model}, embedding_dim = ${dimension}
      from (values ${values}) as v(id, embedding)
     where c.id = v.id`.execute(db);
}

/**
 * A vector in pgvector's binary wire form (int16 dimension, int16 zero, float4 big-endian
 * each). node-postgres sends a Buffer parameter as binary, and the server reads it with the
 * vector type's receive function: no float text to print here or parse in the database.
 */
export function encodeVector(vector: ArrayLike<number>): Buffer {
  const buffer = Buffer.allocUnsafe(4 + 4 * vector.length);
  buffer.writeInt16BE(vector.length, 0);
  buffer.writeInt16BE(0, 2);
  for (let i = 0; i < vector.length; i++) buffer.writeFloatBE(vector[i]!, 4 + 4 * i);
  return buffer;
}

/** A vector as a query parameter; typed as the column's text form for Kysely. */
function vectorParameter(vector: ArrayLike<number>) {
  return sql<string>`${encodeVector(vector)}`;
}

export function toVectorText(vector: ArrayLike<number>): string {
  let text = '[';
  for (let i = 0; i < vector.length; i++)
    text += (i ? ',' : '') + (Math.round(vector[i]! * 1e6) / 1e6).toString();
  return `${text}]`;
}

function indexName(model: string): string {
  let hash = 0;
  for (const char of model) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `knowledge_chunks_hnsw_${hash.toString(36)}`;
}

/** Runs `work` in a transaction, or in the caller's when `db` is one (for SET LOCAL). */
async function inTransaction<T>(db: Db, work: (transaction: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * Memory for building an HNSW index. pgvector builds the graph in memory up to
 * maintenance_work_mem, then goes on far more slowly on disk: 97,400 256-d chunks took 606 s
 * at PGlite's default 64 MB and 220 s at 512 MB (random vectors, bench/kb/write-paths.ts
 * --build 97400; a 127 MB index; the build takes only what it needs). Set for the build's
 * transaction only.
 */
const INDEX_BUILD_MEMORY = '512MB';

/**
 * HNSW cosine index for one embedding model: a partial expression index, because the
 * column has no fixed dimension and rows of other models must never be compared.
 */
export async function ensureVectorIndex(db: Db, model: string, dimension: number): Promise<void> {
  await inTransaction(db, async (transaction) => {
    await sql`set local maintenance_work_mem = ${sql.lit(INDEX_BUILD_MEMORY)}`.execute(transaction);
    await sql`
      create index if not exists ${sql.id(indexName(model))} on knowledge_chunks
      using hnsw ((embedding::vector(${sql.lit(dimension)})) vector_cosine_ops)
      with (m = 16, ef_construction = 64)
      where embedding_model = ${sql.lit(model)}`.execute(transaction);
  });
}

/**
 * Refreshes the planner's statistics of the knowledge tables after a large load. PGlite
 * runs no autovacuum: with the statistics of an empty table, keyword search over 100k
 * chunks was planned as a sequential scan.
 */
export async function analyzeKnowledgeTables(db: Db): Promise<void> {
  await sql`analyze knowledge_documents, knowledge_chunks, knowledge_terms`.execute(db);
}

/** Drops the model's vector index: bulk loads insert far faster without it, then rebuild. */
export async function dropVectorIndex(db: Db, model: string): Promise<void> {
  await sql`drop index if exists ${sql.id(indexName(model))}`.execute(db);
}

export interface ChunkHit {
  id: number;
  entry_id: string;
  locale: string;
  kind: string;
  text: string;
  score: number;
}

/** hnsw.ef_search's default: the candidate list a search keeps, so at most this many rows come back. */
const DEFAULT_EF_SEARCH = 40;

/**
 * Nearest chunks of one model by cosine, best first, through the model's HNSW index.
 *
 * A locale filter is applied to the index's candidates: with a plain HNSW scan, a locale
 * that few of the query's neighbours have returns fewer rows than asked, or none. pgvector
 * 0.8's iterative scan keeps walking the graph until enough rows pass the filter (bounded by
 * hnsw.max_scan_tuples); "relaxed order" may return rows slightly out of order, so they
 * are sorted again here. Recall against an exact search: bench/kb/scale.ts.
 */
export async function searchByVector(
  db: Db,
  model: string,
  vector: ArrayLike<number>,
  options: { locale?: string; limit: number },
): Promise<ChunkHit[]> {
  const dimension = vector.length;
  const target = sql`${encodeVector(vector)}::vector(${sql.lit(dimension)})`;
  const distance = sql`(embedding::vector(${sql.lit(dimension)}) <=> ${target})`;
  const locale = options.locale ? sql`and locale = ${options.locale}` : sql``;
  const query = sql<ChunkHit>`
    select id, entry_id, locale, kind, text, 1 - ${distance} as score
      from knowledge_chunks
     where embedding_model = ${sql.lit(model)} ${locale}
     order by ${distance}
     limit ${options.limit}`;
  const widerList = options.limit > DEFAULT_EF_SEARCH;
  const iterative = options.locale !== undefined && (await supportsIterativeScan(db));
  const result =
    widerList || iterative
      ? await inTransaction(db, async (transaction) => {
          if (widerList)
            await sql`set local hnsw.ef_search = ${sql.lit(options.limit)}`.execute(transaction);
          if (iterative)
            await sql`set local hnsw.iterative_scan = relaxed_order`.execute(transaction);
          return query.execute(transaction);
        })
      : await query.execute(db);
  return result.rows
    .map((row) => ({ ...row, score: Number(row.score) }))
    .sort((a, b) => b.score - a.score);
}

const iterativeScanSupport = new WeakMap<Db, Promise<boolean>>();

/** pgvector >= 0.8 (iterative index scans); older servers reject the setting's name. */
function supportsIterativeScan(db: Db): Promise<boolean> {
  let supported = iterativeScanSupport.get(db);
  if (!supported) {
    supported = sql<{ version: string }>`
      select extversion as version from pg_extension where extname = 'vector'`
      .execute(db)
      .then((result) => {
        const [major = 0, minor = 0] = (result.rows[0]?.version ?? '0').split('.').map(Number);
        return major > 0 || minor >= 8;
      })
      .catch((error: unknown) => {
        iterativeScanSupport.delete(db);
        throw error;
      });
    iterativeScanSupport.set(db, supported);
  }
  return supported;
}

export interface KeywordStatistics {
  chunks: number;
  averageLength: number;
  documentFrequency: Map<string, number>;
}

/** Corpus size, average chunk length and the document frequency of the given terms. */
export async function keywordStatistics(db: Db, terms: string[]): Promise<KeywordStatistics> {
  const totals = await db
    .selectFrom('knowledge_term_totals')
    .select(['chunks', 'tokens'])
    .executeTakeFirst();
  const rows = terms.length
    ? await db
        .selectFrom('knowledge_terms')
        .select(['term', 'df'])
        .where('term', 'in', terms)
        .execute()
    : [];
  const chunks = Number(totals?.chunks ?? 0);
  return {
    chunks,
    averageLength: chunks ? Number(totals?.tokens ?? 0) / chunks : 0,
    documentFrequency: new Map(rows.map((row) => [row.term, Number(row.df)])),
  };
}

export interface KeywordCandidate {
  id: number;
  entry_id: string;
  locale: string;
  kind: string;
  text: string;
  tokens: string;
}

/**
 * Chunks containing any of `terms` (the caller passes the selective ones), best
 * ts_rank first: the candidate set that BM25 then scores in full.
 */
export async function keywordCandidates(
  db: Db,
  terms: string[],
  options: { locale?: string; limit: number },
): Promise<KeywordCandidate[]> {
  const clean = [...new Set(terms.filter((term) => /^[\p{L}\p{N}]+$/u.test(term)))].slice(0, 64);
  if (clean.length === 0) return [];
  const query = clean.map((term) => `'${term}'`).join(' | ');
  const locale = options.locale ? sql`and locale = ${options.locale}` : sql``;
  const result = await sql<KeywordCandidate>`
    select id, entry_id, locale, kind, text, tokens
      from knowledge_chunks, to_tsquery('simple', ${query}) as q
     where tsv @@ q ${locale}
     order by ts_rank(tsv, q, 1) desc
     limit ${options.limit}`.execute(db);
  return result.rows;
}

export async function activeModelState(db: Db, kind: string) {
  return db
    .selectFrom('model_states')
    .select(['model', 'state'])
    .where('kind', '=', kind)
    .where('active', '=', true)
    .executeTakeFirst();
}

export async function saveActiveModelState(
  db: Db,
  kind: string,
  model: string,
  state: unknown,
): Promise<void> {
  await db.updateTable('model_states').set({ active: false }).where('kind', '=', kind).execute();
  await db
    .insertInto('model_states')
    .values({ model, kind, state: JSON.stringify(state), active: true })
    .onConflict((oc) =>
      oc.column('model').doUpdateSet({ active: true, state: JSON.stringify(state) }),
    )
    .execute();
}
