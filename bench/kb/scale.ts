/**
 * Knowledge-base scale benchmark on the embedded database: bulk-loads real customer texts
 * from the public data sets as one-chunk documents up to each size (default 1k, 10k, 100k
 * chunks), then times searches at each size:
 *
 * - vector side: `searchByVector` (HNSW, locale filter, top 40), recall@40 against an exact
 *   search (the same query with index scans off);
 * - keyword side: term statistics, `candidateTerms`, `keywordCandidates` and BM25 of the
 *   candidates (what the service's keyword search does), recall@40 against BM25 over every
 *   chunk of the locale;
 * - hybrid: `kb.search` (both sides, lexical index, entry model, calibration; top 5).
 *
 * Every search runs twice: in process (Kysely over node-postgres over PGlite) and over the
 * Postgres wire protocol (the same PGlite behind @electric-sql/pglite-socket, reached with
 * node-postgres as a server would be); at the largest size a third time, with the folder
 * opened as `npm start` opens it (`openDatabase`: PGlite on its own thread behind a Unix
 * socket). Bulk insert over the socket is measured on a fresh database at the first size of
 * at least 10k.
 *
 * Usage: npx tsx bench/kb/scale.ts [sizes=1000,10000,100000] [queries=200]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/tables.js';
import { selfCalibratingScorer } from '../../src/kb/calibration.js';
import type { LoadedDocument } from '../../src/kb/document.js';
import * as repository from '../../src/kb/kb.repository.js';
import { createKnowledgeBase, type KnowledgeBase } from '../../src/kb/kb.service.js';
import { candidateTerms } from '../../src/kb/keyword-terms.js';
import { bm25Score, keywordDocument, type TermStatistics } from '../../src/kb/ranking.js';
import { fixedEmbedderSource } from '../../src/models/embedder-source.js';
import { fitLocalEmbedder } from '../../src/models/local/embedder.js';
import type { Embedder } from '../../src/models/ports.js';
import { queryTokens, searchTokens } from '../../src/text/tokenize.js';
import { type Locale, scaleCorpus as corpus, type Text } from './scale-corpus.js';

const sizes = (process.argv[2] ?? '1000,10000,100000').split(',').map(Number);
const queryCount = Number(process.argv[3] ?? 200);
/** Exact searches scan the whole table: recall is measured on the first queries only. */
const recallQueries = Math.min(queryCount, 100);
const TOP = 40;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (value: number) => value.toFixed(1);
const p50p99 = (values: number[]) =>
  `${ms(percentile(values, 50))} / ${ms(percentile(values, 99))}`;
const load = () => loadavg()[0]!.toFixed(1);

/** Keeps a table row for the summary and prints it now, so a long run shows its figures as it goes. */
function progress(rows: string[], row: string): void {
  rows.push(row);
  console.log(row);
}

function documentsOf(texts: Text[], from: number): LoadedDocument[] {
  return texts.map((row, index) => ({
    kind: 'policy',
    entryId: `doc-${from + index}`,
    locale: row.locale,
    title: `doc ${from + index}`,
    text: row.text,
    sourcePath: `bench/${from + index}`,
    contentHash: '0'.repeat(64),
  }));
}

/** One PGlite on disk, reachable in process and over the wire protocol. */
async function openEngine(dataDir: string) {
  const path = join(dataDir, 'pgdata');
  mkdirSync(path, { recursive: true });
  const pglite = await PGlite.create(path, { extensions: { vector } });
  // The embedded adapter's configuration (src/db/database.ts): one connection to one backend.
  const inProcess = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }),
  });
  const server = new PGLiteSocketServer({
    db: pglite,
    port: 0,
    host: '127.0.0.1',
    maxConnections: 1,
  });
  await server.start();
  const socket = await openDatabase({
    databaseUrl: `postgres://postgres:postgres@${server.getServerConn()}/postgres`,
    poolSize: 1,
  });
  return {
    inProcess,
    socket: socket.db,
    async close() {
      await inProcess.destroy();
      await socket.close();
      await server.stop();
      await pglite.close();
    },
  };
}

function knowledgeBase(db: Kysely<Database>, embedder: Embedder): KnowledgeBase {
  return createKnowledgeBase({
    db,
    embedders: fixedEmbedderSource(embedder),
    scorer: selfCalibratingScorer({ db }),
  });
}

interface ScoredChunk {
  id: number;
  score: number;
}

/** The service's keyword side (kb.service.ts keywordHits) with BM25 scores, top 40. */
async function keywordSide(
  db: Kysely<Database>,
  query: string,
  locale: Locale,
  budget?: number,
): Promise<{ hits: ScoredChunk[]; statistics: TermStatistics; terms: string[] }> {
  const terms = [...new Set(queryTokens(query))];
  const stats = await repository.keywordStatistics(db, terms);
  const statistics: TermStatistics = {
    documentCount: stats.chunks,
    averageLength: stats.averageLength,
    documentFrequency: (term) => stats.documentFrequency.get(term) ?? 0,
  };
  const chosen = candidateTerms(terms, statistics.documentFrequency, stats.chunks, budget);
  const candidates = chosen.length
    ? await repository.keywordCandidates(db, chosen, { locale, limit: 400 })
    : [];
  const hits = candidates
    .map((candidate) => ({
      id: candidate.id,
      score: bm25Score(terms, keywordDocument(candidate.tokens.split(' ')), statistics),
    }))
    .sort((a, b) => b.score - a.score)
    .slice(0, TOP);
  return { hits, statistics, terms };
}

/** BM25 over every chunk of the locale that shares a term with the query. */
class ExhaustiveKeywordSearch {
  private readonly postings = new Map<string, number[]>();
  private readonly documents;

  constructor(private readonly rows: { id: number; locale: string; tokens: string }[]) {
    this.documents = rows.map((row, index) => {
      const tokens = row.tokens.split(' ');
      for (const token of new Set(tokens)) {
        let list = this.postings.get(token);
        if (!list) this.postings.set(token, (list = []));
        list.push(index);
      }
      return keywordDocument(tokens);
    });
  }

  top(terms: string[], locale: string, statistics: TermStatistics): ScoredChunk[] {
    const matching = new Set<number>();
    for (const term of terms)
      for (const index of this.postings.get(term) ?? [])
        if (this.rows[index]!.locale === locale) matching.add(index);
    return [...matching]
      .map((index) => ({
        id: this.rows[index]!.id,
        score: bm25Score(terms, this.documents[index]!, statistics),
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, TOP);
  }
}

/** Share of the exact top 40 found; a hit tied with the exact 40th counts (ties have no order). */
function recall(found: ScoredChunk[], exact: ScoredChunk[]): number {
  if (exact.length === 0) return 1;
  const cut = exact.at(-1)!.score - 1e-9;
  const exactIds = new Set(exact.map((hit) => hit.id));
  const good = found.filter((hit) => exactIds.has(hit.id) || hit.score >= cut).length;
  return Math.min(good, exact.length) / exact.length;
}

interface SearchFigures {
  dense: number[];
  keyword: number[];
  hybrid: number[];
  firstSearchMs: number;
}

async function timeSearches(
  db: Kysely<Database>,
  kb: KnowledgeBase,
  model: string,
  queries: Text[],
  vectors: number[][],
): Promise<SearchFigures> {
  const figures: SearchFigures = { dense: [], keyword: [], hybrid: [], firstSearchMs: 0 };
  // The first search loads what the service keeps in memory (lexical index, entry model).
  let started = performance.now();
  await kb.search(queries[0]!.text, { locale: queries[0]!.locale, limit: 5 });
  figures.firstSearchMs = performance.now() - started;
  for (const [index, query] of queries.entries()) {
    started = performance.now();
    await repository.searchByVector(db, model, vectors[index]!, {
      locale: query.locale,
      limit: TOP,
    });
    figures.dense.push(performance.now() - started);
    started = performance.now();
    await keywordSide(db, query.text, query.locale);
    figures.keyword.push(performance.now() - started);
    started = performance.now();
    await kb.search(query.text, { locale: query.locale, limit: 5 });
    figures.hybrid.push(performance.now() - started);
  }
  return figures;
}

async function recalls(
  db: Kysely<Database>,
  model: string,
  queries: Text[],
  vectors: number[][],
): Promise<{ dense: number; keyword: number; keywordUnbounded: number }> {
  const rows = await sql<{ id: number; locale: string; tokens: string }>`
    select id, locale, tokens from knowledge_chunks`.execute(db);
  const exhaustive = new ExhaustiveKeywordSearch(rows.rows);
  let dense = 0;
  let keyword = 0;
  let keywordUnbounded = 0;
  for (const [index, query] of queries.slice(0, recallQueries).entries()) {
    const options = { locale: query.locale, limit: TOP };
    const found = await repository.searchByVector(db, model, vectors[index]!, options);
    const exact = await db.transaction().execute(async (transaction) => {
      await sql`set local enable_indexscan = off`.execute(transaction);
      return repository.searchByVector(transaction, model, vectors[index]!, options);
    });
    dense += recall(found, exact);
    const side = await keywordSide(db, query.text, query.locale);
    const best = exhaustive.top(side.terms, query.locale, side.statistics);
    keyword += recall(side.hits, best);
    const unbounded = await keywordSide(db, query.text, query.locale, Number.POSITIVE_INFINITY);
    keywordUnbounded += recall(unbounded.hits, best);
  }
  return {
    dense: dense / recallQueries,
    keyword: keyword / recallQueries,
    keywordUnbounded: keywordUnbounded / recallQueries,
  };
}

/** The plan nodes that say which index each side's query uses. */
async function plans(db: Kysely<Database>, model: string, query: Text, vector: number[]) {
  const dimension = vector.length;
  const target = sql`${repository.encodeVector(vector)}::vector(${sql.lit(dimension)})`;
  const dense = await sql<{ 'QUERY PLAN': string }>`
    explain select id from knowledge_chunks
     where embedding_model = ${sql.lit(model)} and locale = ${query.locale}
     order by embedding::vector(${sql.lit(dimension)}) <=> ${target} limit ${TOP}`.execute(db);
  const side = await keywordSide(db, query.text, query.locale);
  const terms = candidateTerms(
    side.terms.filter((term) => /^[\p{L}\p{N}]+$/u.test(term)),
    side.statistics.documentFrequency,
    side.statistics.documentCount,
  );
  const keyword = await sql<{ 'QUERY PLAN': string }>`
    explain select id from knowledge_chunks, to_tsquery('simple', ${terms.map((t) => `'${t}'`).join(' | ')}) as q
     where tsv @@ q and locale = ${query.locale} order by ts_rank(tsv, q, 1) desc limit 400`.execute(
    db,
  );
  const scans = (result: { rows: { 'QUERY PLAN': string }[] }) =>
    result.rows
      .map((row) => row['QUERY PLAN'].trim().replace(/^->\s*/, ''))
      .filter((line) => /Scan/.test(line))
      .map((line) => line.replace(/\s+\(cost.*$/, ''))
      .join(', ');
  return { dense: scans(dense), keyword: scans(keyword) };
}

async function main() {
  const texts = corpus();
  if (!texts) return;
  const largest = Math.min(Math.max(...sizes), texts.length);
  if (texts.length < Math.max(...sizes))
    console.log(`note: the data sets give ${texts.length} distinct texts; largest size capped`);
  const fitStarted = performance.now();
  const sample = texts
    .filter((_, index) => index % Math.max(1, Math.floor(texts.length / 20000)) === 0)
    .map((t) => t.text);
  const embedder = fitLocalEmbedder(sample, { dimension: 256 });
  console.log(
    `embedder ${embedder.model} fitted on ${sample.length} texts in ${((performance.now() - fitStarted) / 1000).toFixed(1)} s; load average ${load()} on 2 cores`,
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'kb-scale-'));
  const engine = await openEngine(dataDir);
  await migrateToLatest(engine.inProcess);
  const kb = knowledgeBase(engine.inProcess, embedder);
  const loads: string[] = [];
  const searches: string[] = [];
  let loaded = 0;
  let socketInsert = '';
  let last:
    | {
        queries: Text[];
        vectors: number[][];
        row: (driver: string, figures: SearchFigures, loadRange: string, memory: number) => string;
      }
    | undefined;
  let indexedInsert = '';
  for (const size of sizes) {
    const target = Math.min(size, texts.length);
    const loadStarted = load();
    const result = await kb.bulkLoad(documentsOf(texts.slice(loaded, target), loaded));
    const rate = (elapsed: number) => Math.round(result.chunks / (elapsed / 1000));
    loaded = target;
    progress(
      loads,
      `| ${loaded} | ${rate(result.insertMs)} | ${rate(result.embedMs)} | ${(result.indexMs / 1000).toFixed(1)} | ${(result.analyzeMs / 1000).toFixed(1)} | ${(result.refreshMs / 1000).toFixed(1)} | ${loadStarted} |`,
    );

    const queries = Array.from({ length: queryCount }, (_, i) => texts[(i * 7919) % target]!);
    const vectors = await embedder.embed(queries.map((query) => query.text));
    const searchLoad = load();
    const quality = await recalls(engine.inProcess, embedder.model, queries, vectors);
    const local = await timeSearches(engine.inProcess, kb, embedder.model, queries, vectors);
    // A second service over the socket: its own lexical index and entry model, as another process would have.
    const remote = await timeSearches(
      engine.socket,
      knowledgeBase(engine.socket, embedder),
      embedder.model,
      queries,
      vectors,
    );
    const rss = Math.round(process.memoryUsage().rss / 1e6);
    const row = (driver: string, figures: SearchFigures, loadRange: string, memory: number) =>
      `| ${loaded} | ${driver} | ${p50p99(figures.dense)} | ${quality.dense.toFixed(3)} | ${p50p99(figures.keyword)} | ${quality.keyword.toFixed(3)} (${quality.keywordUnbounded.toFixed(3)}) | ${p50p99(figures.hybrid)} | ${(figures.firstSearchMs / 1000).toFixed(1)} | ${loadRange} | ${memory} |`;
    for (const [driver, figures] of [
      ['in process', local],
      ['pglite-socket', remote],
    ] as const)
      progress(searches, row(driver, figures, `${searchLoad}-${load()}`, rss));
    last = { queries, vectors, row };
    if (loaded === largest) {
      const plan = await plans(engine.inProcess, embedder.model, queries[1]!, vectors[1]!).catch(
        (error: unknown) => ({ dense: String(error), keyword: String(error) }),
      );
      console.log(`plans at ${loaded}: vector side: ${plan.dense}; keyword side: ${plan.keyword}`);
      indexedInsert = await insertIntoIndexedTable(
        engine.inProcess,
        embedder,
        texts.slice(0, 1000),
      );
    }
    if (!socketInsert && (target >= 10_000 || loaded === largest))
      socketInsert = await bulkLoadOverSocket(texts.slice(0, target), embedder);
  }
  await engine.close();
  if (last) {
    // The same folder as `npm start` opens it: PGlite on its own thread behind a Unix socket.
    const threaded = await openDatabase({ dataDir });
    const searchLoad = load();
    const figures = await timeSearches(
      threaded.db,
      knowledgeBase(threaded.db, embedder),
      embedder.model,
      last.queries,
      last.vectors,
    );
    const rss = Math.round(process.memoryUsage().rss / 1e6);
    progress(searches, last.row('database thread', figures, `${searchLoad}-${load()}`, rss));
    await threaded.close();
  }
  rmSync(dataDir, { recursive: true, force: true });

  console.log('\nBulk load (in process): chunks/s of the insert transactions alone, then the rest');
  console.log(
    '| chunks | insert chunks/s | embed chunks/s | HNSW build s | analyze s | in-memory refresh s | load avg |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const line of loads) console.log(line);
  console.log(`\nBulk load over pglite-socket (fresh database): ${socketInsert}`);
  console.log(`Insert with the HNSW index in place, at ${loaded} chunks: ${indexedInsert}`);
  console.log(
    `\nSearch, ${queryCount} queries (recall on the first ${recallQueries}): p50 / p99 ms; vector and keyword sides top ${TOP}, hybrid top 5`,
  );
  console.log(
    '| chunks | driver | vector p50 / p99 | vector recall@40 | keyword p50 / p99 | keyword recall@40 (no budget) | hybrid p50 / p99 | first search s | load avg | RSS MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const line of searches) console.log(line);
}

/**
 * 1,000 more chunks written the way ingestion writes a file (one transaction, multi-row
 * statements) while the HNSW index is in place: what a load that keeps the index pays per row.
 */
async function insertIntoIndexedTable(
  db: Kysely<Database>,
  embedder: Embedder,
  texts: Text[],
): Promise<string> {
  const vectors = await embedder.embed(texts.map((row) => row.text));
  const started = performance.now();
  const cpu = process.cpuUsage();
  await db.transaction().execute(async (transaction) => {
    const ids = await repository.insertDocuments(
      transaction,
      texts.map((row, index) => ({
        source: 'indexed-insert',
        sourcePath: `indexed/${index}`,
        kind: 'policy',
        entryId: `indexed-${index}`,
        locale: row.locale,
        title: `indexed ${index}`,
        category: null,
        autoReply: false,
        body: row.text,
        contentHash: '0'.repeat(64),
        metadata: {},
      })),
    );
    await repository.insertChunks(
      transaction,
      texts.map((row, index) => ({
        document_id: ids[index]!,
        entry_id: `indexed-${index}`,
        locale: row.locale,
        kind: 'passage',
        ordinal: 0,
        text: row.text,
        tokens: searchTokens(row.text).join(' '),
        embedding: vectors[index]!,
        embedding_model: embedder.model,
        embedding_dim: embedder.dimension,
      })),
    );
  });
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return `${texts.length} chunks, ${Math.round(texts.length / (elapsed / 1000))} chunks/s (${(cpuMs / texts.length).toFixed(2)} ms of CPU per chunk; load avg ${load()})`;
}

/** Bulk insert through the wire protocol, into a fresh database: chunks/s and index build. */
async function bulkLoadOverSocket(texts: Text[], embedder: Embedder): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-scale-socket-'));
  const engine = await openEngine(dataDir);
  try {
    await migrateToLatest(engine.socket);
    const started = load();
    const result = await knowledgeBase(engine.socket, embedder).bulkLoad(documentsOf(texts, 0));
    return `${result.chunks} chunks, insert ${Math.round(result.chunks / (result.insertMs / 1000))} chunks/s, HNSW build ${(result.indexMs / 1000).toFixed(1)} s, analyze ${(result.analyzeMs / 1000).toFixed(1)} s (load avg ${started})`;
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
