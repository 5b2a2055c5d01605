/**
 * How chunks (with 256-d vectors) reach PGlite fastest, and what the HNSW build's memory
 * does: the measurements behind kb.repository.ts's insertChunks and ensureVectorIndex.
 *
 * Chunk writes, each into a fresh on-disk database with the documents already there, in
 * transactions of 10,000 chunks: multi-row INSERT with vectors as float text (the old path) or
 * in pgvector's binary form (Buffer parameters) at three statement sizes, and PGlite's
 * COPY FROM '/dev/blob' in text and in binary format. The texts are the scale corpus's
 * (bench/kb/scale-corpus.ts); the vectors are pseudo-random unit vectors, printed with six
 * decimals like real ones, since only their encoding matters here.
 *
 * With `--build N`, N chunks are loaded and the HNSW index is built at maintenance_work_mem
 * 64MB (PGlite's default) and at 512MB (what ensureVectorIndex sets).
 *
 * Usage: npx tsx bench/kb/write-paths.ts [chunks=10000] [--build 97400]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite, type Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/tables.js';
import * as repository from '../../src/kb/kb.repository.js';
import { searchTokens } from '../../src/text/tokenize.js';
import { scaleCorpus } from './scale-corpus.js';

const args = process.argv.slice(2);
const buildSize = args.includes('--build') ? Number(args[args.indexOf('--build') + 1]) : 0;
const chunkCount = Number(
  args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--build') ?? 10_000,
);
const DIMENSION = 256;
/** Chunks per transaction: more than the largest statement, so statement sizes can differ. */
const TRANSACTION_CHUNKS = 10_000;

/** Deterministic unit vectors (mulberry32). */
function vectorOf(seed: number): number[] {
  let state = seed >>> 0;
  const values = Array.from({ length: DIMENSION }, () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  });
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

interface Engine {
  pglite: PGlite;
  db: Kysely<Database>;
  close(): Promise<void>;
}

async function openEngine(): Promise<Engine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-write-paths-'));
  const path = join(dataDir, 'pgdata');
  mkdirSync(path, { recursive: true });
  const pglite = await PGlite.create(path, { extensions: { vector } });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }),
  });
  await migrateToLatest(db);
  return {
    pglite,
    db,
    async close() {
      await db.destroy();
      await pglite.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Row = Omit<repository.ChunkInsert, 'embedding'> & { embedding: number[] };

/** One document per chunk, inserted up front (not timed). */
async function prepareRows(db: Kysely<Database>, count: number): Promise<Row[]> {
  const texts = scaleCorpus();
  if (!texts) process.exit(0);
  const chosen = Array.from({ length: count }, (_, i) => texts[i % texts.length]!);
  const ids = await repository.insertDocuments(
    db,
    chosen.map((row, i) => ({
      source: 'bench',
      sourcePath: `bench/${i}`,
      kind: 'policy',
      entryId: `doc-${i}`,
      locale: row.locale,
      title: `doc ${i}`,
      category: null,
      autoReply: false,
      body: row.text,
      contentHash: '0'.repeat(64),
      metadata: {},
    })),
  );
  return chosen.map((row, i) => ({
    document_id: ids[i]!,
    entry_id: `doc-${i}`,
    locale: row.locale,
    kind: 'passage',
    ordinal: 0,
    text: row.text,
    tokens: searchTokens(row.text).join(' '),
    embedding: vectorOf(i),
    embedding_model: 'bench-256',
    embedding_dim: DIMENSION,
  }));
}

const COPY_COLUMNS =
  'document_id, entry_id, locale, kind, ordinal, text, tokens, embedding, embedding_model, embedding_dim';

/** COPY's text format: tab-separated, backslash escapes. */
function copyText(rows: Row[]): Blob {
  const escape = (value: string) =>
    value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const lines = rows.map((row) =>
    [
      row.document_id,
      escape(row.entry_id),
      row.locale,
      row.kind,
      String(row.ordinal),
      escape(row.text),
      escape(row.tokens),
      repository.toVectorText(row.embedding),
      row.embedding_model,
      String(row.embedding_dim),
    ].join('\t'),
  );
  return new Blob([`${lines.join('\n')}\n`]);
}

/** COPY's binary format: a header, then per row a field count and length-prefixed fields. */
function copyBinary(rows: Row[]): Blob {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  const field = (value: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeInt32BE(value.length);
    parts.push(length, value);
  };
  const int32 = (value: number) => {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32BE(value);
    return buffer;
  };
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(10);
    parts.push(count);
    field(Buffer.from(row.document_id.replace(/-/g, ''), 'hex'));
    field(Buffer.from(row.entry_id));
    field(Buffer.from(row.locale));
    field(Buffer.from(row.kind));
    field(int32(row.ordinal));
    field(Buffer.from(row.text));
    field(Buffer.from(row.tokens));
    field(repository.encodeVector(row.embedding));
    field(Buffer.from(row.embedding_model!));
    field(int32(row.embedding_dim!));
  }
  const end = Buffer.alloc(2);
  end.writeInt16BE(-1);
  parts.push(end);
  return new Blob([Buffer.concat(parts)]);
}

type Writer = (engine: Engine, rows: Row[]) => Promise<void>;

const writers: [string, Writer][] = [
  [
    'INSERT, vectors as float text, 2,000 rows per statement',
    ({ db }, rows) =>
      db.transaction().execute(async (transaction) => {
        for (let start = 0; start < rows.length; start += 2000)
          await transaction
            .insertInto('knowledge_chunks')
            .values(
              rows
                .slice(start, start + 2000)
                .map((row) => ({ ...row, embedding: repository.toVectorText(row.embedding) })),
            )
            .execute();
      }),
  ],
  ...[500, 2000, repository.rowsPerStatement(10)].map((size): [string, Writer] => [
    `INSERT, vectors binary, ${size.toLocaleString('en')} rows per statement`,
    ({ db }, rows) =>
      db.transaction().execute((transaction) => repository.insertChunks(transaction, rows, size)),
  ]),
  [
    "COPY FROM '/dev/blob', text format",
    ({ pglite }, rows) =>
      pglite.transaction(async (transaction: PGliteTransaction) => {
        await transaction.query(`copy knowledge_chunks (${COPY_COLUMNS}) from '/dev/blob'`, [], {
          blob: copyText(rows),
        });
      }),
  ],
  [
    "COPY FROM '/dev/blob', binary format",
    ({ pglite }, rows) =>
      pglite.transaction(async (transaction: PGliteTransaction) => {
        await transaction.query(
          `copy knowledge_chunks (${COPY_COLUMNS}) from '/dev/blob' with (format binary)`,
          [],
          { blob: copyBinary(rows) },
        );
      }),
  ],
];

async function timeWriter(name: string, write: Writer): Promise<string> {
  const engine = await openEngine();
  try {
    const rows = await prepareRows(engine.db, chunkCount);
    const startLoad = loadavg()[0]!.toFixed(1);
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let start = 0; start < rows.length; start += TRANSACTION_CHUNKS)
      await write(engine, rows.slice(start, start + TRANSACTION_CHUNKS));
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const stored = await sql<{
      n: number;
    }>`select count(*)::int as n from knowledge_chunks`.execute(engine.db);
    if (stored.rows[0]!.n !== rows.length)
      throw new Error(`${name}: ${stored.rows[0]!.n} rows stored`);
    const cpuMs = (used.user + used.system) / 1000;
    return `| ${name} | ${Math.round(rows.length / (elapsed / 1000))} | ${(cpuMs / rows.length).toFixed(3)} | ${startLoad} |`;
  } finally {
    await engine.close();
  }
}

async function timeBuilds(count: number): Promise<string[]> {
  const engine = await openEngine();
  try {
    const rows = await prepareRows(engine.db, count);
    for (let start = 0; start < rows.length; start += TRANSACTION_CHUNKS)
      await repository.insertChunks(engine.db, rows.slice(start, start + TRANSACTION_CHUNKS));
    const lines: string[] = [];
    for (const memory of ['64MB', '512MB']) {
      const startLoad = loadavg()[0]!.toFixed(1);
      const started = performance.now();
      const cpu = process.cpuUsage();
      await engine.db.transaction().execute(async (transaction) => {
        await sql`set local maintenance_work_mem = ${sql.lit(memory)}`.execute(transaction);
        await sql`create index bench_hnsw on knowledge_chunks
          using hnsw ((embedding::vector(256)) vector_cosine_ops) with (m = 16, ef_construction = 64)
          where embedding_model = 'bench-256'`.execute(transaction);
      });
      const used = process.cpuUsage(cpu);
      lines.push(
        `| ${count} | ${memory} | ${((performance.now() - started) / 1000).toFixed(1)} | ${((used.user + used.system) / 1e6).toFixed(1)} | ${startLoad} |`,
      );
      await sql`drop index bench_hnsw`.execute(engine.db);
    }
    return lines;
  } finally {
    await engine.close();
  }
}

console.log(`${chunkCount} chunks per writer, transactions of ${TRANSACTION_CHUNKS}`);
console.log('| writer | chunks/s | CPU ms per chunk | load avg |');
console.log('|---|---|---|---|');
for (const [name, write] of writers) console.log(await timeWriter(name, write));
if (buildSize) {
  console.log('\n| chunks | maintenance_work_mem | HNSW build s | CPU s | load avg |');
  console.log('|---|---|---|---|---|');
  for (const line of await timeBuilds(buildSize)) console.log(line);
}
