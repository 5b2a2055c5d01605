/**
 * Bulk writes against a real database (both drivers): chunk inserts larger than one
 * statement's parameter limit land whole, vectors survive their binary encoding, and a
 * bulk load leaves every document searchable by vector (through the HNSW index) and by keyword.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { localEmbedderSource } from '../models/embedder-source.js';
import { searchTokens } from '../text/tokenize.js';
import { openTestDatabase } from '../testing/database.js';
import { selfCalibratingScorer } from './calibration.js';
import type { LoadedDocument } from './document.js';
import * as repository from './kb.repository.js';
import { createKnowledgeBase } from './kb.service.js';

let database: DatabaseHandle;

beforeAll(async () => {
  database = await openTestDatabase();
  await database.db.deleteFrom('knowledge_documents').execute();
});

afterAll(async () => {
  await database?.close();
});

/** Deterministic unit vectors (mulberry32), distinct enough that each is its own nearest neighbour. */
function vectorOf(seed: number, dimension = 8): number[] {
  let state = seed >>> 0;
  const values = Array.from({ length: dimension }, () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  });
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

/** A made-up word per number, so keyword search can single a chunk out. */
const codeWord = (n: number) => `zq${n.toString(36)}x`;

describe('bulk chunk inserts', () => {
  const count = 7000;
  let rows: repository.ChunkInsert[];

  it('inserts more rows than one statement can carry, all of them', async () => {
    // 7,000 rows x 10 columns = 70,000 parameters: over Postgres's 65,535 per statement.
    expect(count * 10).toBeGreaterThan(repository.MAX_STATEMENT_PARAMETERS);
    const before = await repository.counts(database.db);
    const [documentId] = await repository.insertDocuments(database.db, [
      {
        source: 'test',
        sourcePath: 'bulk/many-chunks.txt',
        kind: 'policy',
        entryId: 'many-chunks',
        locale: 'en',
        title: 'Many chunks',
        category: null,
        autoReply: false,
        body: 'many chunks',
        contentHash: '0'.repeat(64),
        metadata: {},
      },
    ]);
    rows = Array.from({ length: count }, (_, ordinal) => {
      const text = `passage ${codeWord(ordinal)} of the bulk test`;
      return {
        document_id: documentId!,
        entry_id: 'many-chunks',
        locale: 'en',
        kind: 'passage' as const,
        ordinal,
        text,
        tokens: searchTokens(text).join(' '),
        embedding: vectorOf(ordinal),
        embedding_model: 'bulk-test-8',
        embedding_dim: 8,
      };
    });
    // Ask for everything in one statement: the repository must still split at the limit.
    await repository.insertChunks(database.db, rows, Number.POSITIVE_INFINITY);

    const after = await repository.counts(database.db);
    expect(after.chunks - before.chunks).toBe(count);
    const totals = await database.db
      .selectFrom('knowledge_term_totals')
      .select('chunks')
      .executeTakeFirstOrThrow();
    expect(Number(totals.chunks)).toBe(after.chunks);
  });

  it('stores each vector as sent (binary encoding, float4 precision)', async () => {
    const stored = await sql<{ ordinal: number; embedding: string }>`
      select ordinal, embedding::text as embedding from knowledge_chunks
       where embedding_model = 'bulk-test-8' and ordinal in (0, 3333, 6999)
       order by ordinal`.execute(database.db);
    expect(stored.rows.map((row) => row.ordinal)).toEqual([0, 3333, 6999]);
    for (const row of stored.rows) {
      const values = row.embedding.slice(1, -1).split(',').map(Number);
      const expected = vectorOf(row.ordinal).map(Math.fround);
      values.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
    }
  });

  it('finds any of them by vector through the HNSW index, and by keyword', async () => {
    await repository.ensureVectorIndex(database.db, 'bulk-test-8', 8);
    await repository.analyzeKnowledgeTables(database.db);
    for (const ordinal of [0, 4321, 6999]) {
      const [best] = await repository.searchByVector(
        database.db,
        'bulk-test-8',
        vectorOf(ordinal),
        {
          locale: 'en',
          limit: 5,
        },
      );
      expect(best?.text).toBe(rows[ordinal]!.text);
      expect(best?.score).toBeCloseTo(1, 5);
      const keyword = await repository.keywordCandidates(database.db, [codeWord(ordinal)], {
        locale: 'en',
        limit: 10,
      });
      expect(keyword.map((hit) => hit.text)).toEqual([rows[ordinal]!.text]);
    }
    const plan = await sql<{ 'QUERY PLAN': string }>`
      explain select id from knowledge_chunks
       where embedding_model = 'bulk-test-8' and locale = 'en'
       order by embedding::vector(8) <=> ${repository.encodeVector(vectorOf(1))}::vector(8)
       limit 40`.execute(database.db);
    expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(
      /Index Scan using knowledge_chunks_hnsw_/,
    );
  });

  it('returns as many rows as asked when a locale filter leaves few of the nearest', async () => {
    // Rows of another locale that sit right beside the query: a plain HNSW scan keeps only
    // 40 candidates, all 'zh', and the 'en' filter would leave none of them.
    const [documentId] = await repository.insertDocuments(database.db, [
      {
        source: 'test',
        sourcePath: 'bulk/neighbours.txt',
        kind: 'policy',
        entryId: 'neighbours',
        locale: 'zh',
        title: 'neighbours',
        category: null,
        autoReply: false,
        body: 'neighbours',
        contentHash: '0'.repeat(64),
        metadata: {},
      },
    ]);
    const query = vectorOf(100_000);
    await repository.insertChunks(
      database.db,
      Array.from({ length: 200 }, (_, ordinal) => ({
        document_id: documentId!,
        entry_id: 'neighbours',
        locale: 'zh',
        kind: 'passage' as const,
        ordinal,
        text: `neighbour ${ordinal}`,
        tokens: `neighbour ${ordinal}`,
        embedding: query.map((value, i) => value + (i === ordinal % 8 ? 1e-3 : 0)),
        embedding_model: 'bulk-test-8',
        embedding_dim: 8,
      })),
    );
    const hits = await repository.searchByVector(database.db, 'bulk-test-8', query, {
      locale: 'en',
      limit: 40,
    });
    expect(hits).toHaveLength(40);
    expect(hits.every((hit) => hit.locale === 'en')).toBe(true);
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});

describe('bulk load', () => {
  it('loads documents in batches, each file replaced once, all searchable', async () => {
    await database.db.deleteFrom('knowledge_documents').execute();
    const kb = createKnowledgeBase({
      db: database.db,
      embedders: localEmbedderSource(),
      scorer: selfCalibratingScorer({ db: database.db }),
    });
    // More chunks than one bulk-load transaction holds (2,000), so there are two batches;
    // two documents of one file fall in different batches and both must stay.
    const documents: LoadedDocument[] = Array.from({ length: 2500 }, (_, n) => ({
      kind: 'policy',
      entryId: `doc-${n}`,
      locale: 'en',
      title: `Notice ${n}`,
      text: `Parcel notice ${codeWord(n)}: the courier left the parcel at the front desk.`,
      sourcePath: n === 2400 ? 'bulk/5' : `bulk/${n}`,
      contentHash: '0'.repeat(64),
    }));
    // A search before the load builds the in-memory lexical index over no documents.
    expect(await kb.search('Parcel notice', { locale: 'en' })).toEqual([]);
    const result = await kb.bulkLoad(documents);
    expect(result.chunks).toBeGreaterThanOrEqual(documents.length);

    const stored = await database.db
      .selectFrom('knowledge_documents')
      .select(['entry_id', 'source_path'])
      .where('source_path', '=', 'bulk/5')
      .orderBy('entry_id')
      .execute();
    expect(stored.map((row) => row.entry_id)).toEqual(['doc-2400', 'doc-5']);
    expect((await kb.counts()).documents).toBe(documents.length);

    const indexes = await sql<{ indexname: string }>`
      select indexname from pg_indexes
       where tablename = 'knowledge_chunks' and indexname like 'knowledge_chunks_hnsw_%'`.execute(
      database.db,
    );
    expect(indexes.rows.length).toBeGreaterThan(0);
    const analyzed = await sql<{ last_analyze: Date | null }>`
      select last_analyze from pg_stat_user_tables where relname = 'knowledge_chunks'`.execute(
      database.db,
    );
    expect(analyzed.rows[0]?.last_analyze).not.toBeNull();

    for (const n of [0, 1999, 2001, 2499]) {
      const [best] = await kb.search(`Parcel notice ${codeWord(n)}`, { locale: 'en' });
      expect(best?.id).toBe(`doc-${n}`);
      // The lexical index was rebuilt by the load, not left as it was before.
      const candidates = await kb.candidates(`Parcel notice ${codeWord(n)}`, { locale: 'en' });
      expect(candidates.find((candidate) => candidate.entryId === `doc-${n}`)?.lexicalRank).toBe(0);
    }
  });
});
