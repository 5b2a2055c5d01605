/**
 * The command line against a real embedded data folder: while a service holds the folder, a
 * second process (`kb ingest`, `migrate`) is refused at once with one line and the data is
 * untouched; once the service is gone, `kb ingest` adds a second folder beside the shipped
 * knowledge base and the upload, and a restart's start-up sync keeps all three.
 * Embedded PGlite only: the pg project has no data folder to lock.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/env.js';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { KNOWLEDGE_BASE_SOURCE, UPLOAD_SOURCE } from '../kb/kb.service.js';
import { type Service, startService } from '../service.js';
import { snapshotBlob, testDriver } from '../testing/database.js';
import { silentLogger } from '../testing/logger.js';

const repository = resolve(import.meta.dirname, '../..');
let dataDir: string;
let folder: string;
const open: { close(): Promise<void> }[] = [];

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  delete env.DATABASE_URL;
  const child = spawn(join(repository, 'node_modules/.bin/tsx'), ['src/cli/main.ts', ...args], {
    cwd: repository,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

const config = () =>
  parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'admin-password-1' });

async function snapshotOfDocuments(database: DatabaseHandle) {
  const rows = await database.db
    .selectFrom('knowledge_documents')
    .select(['source', 'source_path', 'content_hash'])
    .orderBy('document_key')
    .execute();
  const chunks = await sql<{ chunks: number; counted: number }>`
    select (select count(*) from knowledge_chunks)::int as chunks, (select chunks from knowledge_term_totals)::int as counted`.execute(
    database.db,
  );
  return { rows, ...chunks.rows[0]! };
}

const faq = (id: string, title: string, answer: string) =>
  [
    '---',
    `id: ${id}`,
    'locale: en',
    `title: ${title}`,
    'category: product_question',
    'autoReply: true',
    'questions:',
    ...[1, 2, 3, 4, 5].map((n) => `  - ${title} (${n})`),
    '---',
    answer,
    '',
  ].join('\n');

describe.skipIf(testDriver === 'pg')('triage CLI on a data folder', { timeout: 300_000 }, () => {
  let server: Service;
  let before: Awaited<ReturnType<typeof snapshotOfDocuments>>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'triage-data-'));
    folder = await mkdtemp(join(tmpdir(), 'kb-partner-'));
    await mkdir(join(folder, 'faq'));
    await writeFile(
      join(folder, 'faq/gift_card_balance.en.md'),
      faq(
        'gift_card_balance',
        'How do I check my gift card balance',
        'Open My account, then Gift cards.',
      ),
    );
    await writeFile(
      join(folder, 'faq/bulk_order_discount.en.md'),
      faq(
        'bulk_order_discount',
        'Do you discount bulk orders',
        'Orders of 50 units or more get 8 percent off.',
      ),
    );
    // The server: the shipped knowledge base in a real data folder, plus one upload.
    const database = await openDatabase({ dataDir, loadDataDir: await snapshotBlob() });
    server = await startService(config(), { database, logger: silentLogger(), ingest: false });
    open.push(server);
    await server.knowledgeBase.ingestUpload(
      'holiday-hours.en.txt',
      new TextEncoder().encode(
        'Holiday hours\n\nOn public holidays we answer from 10:00 to 16:00.',
      ),
    );
    before = await snapshotOfDocuments(server.database);
  }, 300_000);

  afterAll(async () => {
    for (const handle of open) await handle.close();
    for (const path of [dataDir, folder])
      if (path) await rm(path, { recursive: true, force: true });
  });

  it('refuses kb ingest and migrate while the server holds the folder, in one line, and leaves the data as it was', async () => {
    for (const args of [['kb', 'ingest', folder], ['migrate']]) {
      const { code, stdout, stderr } = await cli(args);
      expect(code, `triage ${args.join(' ')}`).toBe(1);
      expect(stdout).toBe('');
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`data folder ${dataDir} is in use by process ${process.pid} (`);
      expect(lines[0]).toMatch(
        /stop it first, or use its HTTP API instead \(knowledge-base uploads: POST \/v1\/kb\/documents\)/,
      );
    }
    expect(await snapshotOfDocuments(server.database)).toEqual(before);
  });

  it('once the server is gone, kb ingest adds the folder beside the shipped knowledge base and the upload', async () => {
    await server.close();
    open.splice(open.indexOf(server), 1);
    const { code, stdout, stderr } = await cli(['kb', 'ingest', folder, '--json']);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as { source: string; added: string[]; removed: string[] };
    expect(report).toMatchObject({ source: await realpath(folder), removed: [] });
    expect(report.added.sort()).toEqual([
      'faq/bulk_order_discount.en.md',
      'faq/gift_card_balance.en.md',
    ]);

    const database = await openDatabase({ dataDir });
    open.push(database);
    const after = await snapshotOfDocuments(database);
    expect(after.chunks).toBe(after.counted);
    const others = (rows: typeof before.rows) =>
      rows.filter((row) => row.source === KNOWLEDGE_BASE_SOURCE || row.source === UPLOAD_SOURCE);
    expect(others(after.rows)).toEqual(others(before.rows));
    expect(after.rows.filter((row) => row.source === report.source)).toHaveLength(2);
    await database.close();
    open.splice(open.indexOf(database), 1);
  });

  it('a restart on the same folder keeps the upload and the other folder (the start-up sync owns knowledge-base/ only)', async () => {
    const restarted = await startService(config(), { logger: silentLogger() });
    open.push(restarted);
    expect(restarted.ingestReport).toMatchObject({
      source: KNOWLEDGE_BASE_SOURCE,
      added: [],
      removed: [],
      failed: [],
    });
    const sources = new Map<string, number>();
    for (const row of await restarted.knowledgeBase.listDocuments())
      sources.set(row.source, (sources.get(row.source) ?? 0) + 1);
    expect(sources.get(UPLOAD_SOURCE)).toBe(1);
    expect(sources.get(await realpath(folder))).toBe(2);
    expect(sources.get(KNOWLEDGE_BASE_SOURCE)).toBe(
      before.rows.filter((row) => row.source === KNOWLEDGE_BASE_SOURCE).length,
    );
    expect(
      (await restarted.knowledgeBase.search('gift card balance', { locale: 'en' }))[0]?.id,
    ).toBe('gift_card_balance');
  });
});
