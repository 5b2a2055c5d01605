/**
 * Two `triage serve` processes on one database, as a deployment with a Postgres server runs
 * them. The database here is PGlite (with pgvector) served over the wire protocol by this test
 * process (src/db/pglite-server.ts), since the machine's Postgres has no pgvector. Shown:
 * messages posted to both instances, some of them to both at once, are each triaged exactly once
 * and every instance's workers take part; a document uploaded through one instance is searched
 * by the other with the same results within seconds, and a delete likewise.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { type PGliteServer, startPGliteServer } from '../db/pglite-server.js';
import { freePort } from '../testing/free-port.js';

const root = join(import.meta.dirname, '..', '..');
const integrationKey = 'instances-integration-key-01';
const adminKey = 'instances-admin-key-0000000001';
const started: ChildProcess[] = [];
let knowledgeBase: string;
let pglite: PGlite;
let server: PGliteServer;
let database: DatabaseHandle;
let databaseUrl: string;

beforeAll(async () => {
  // The taxonomy and its models, and a few FAQ entries: enough to answer and to hand off.
  knowledgeBase = await mkdtemp(join(tmpdir(), 'triage-instances-kb-'));
  for (const file of await readdir(join(root, 'knowledge-base')))
    if (file.endsWith('.yaml'))
      await cp(join(root, 'knowledge-base', file), join(knowledgeBase, file));
  await mkdir(join(knowledgeBase, 'faq'));
  for (const entry of ['refund_timeline', 'invoice_howto', 'shipping_time', 'order_cancel'])
    for (const locale of ['en', 'zh'])
      await cp(
        join(root, 'knowledge-base', 'faq', `${entry}.${locale}.md`),
        join(knowledgeBase, 'faq', `${entry}.${locale}.md`),
      );
  pglite = await PGlite.create('memory://', { extensions: { vector } });
  server = await startPGliteServer({ pglite, port: 0 });
  databaseUrl = `postgres://postgres:postgres@127.0.0.1:${server.port}/postgres`;
  database = await openDatabase({ databaseUrl, poolSize: 2 });
}, 60_000);

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  await database?.close();
  await server?.close();
  await pglite?.close();
  await rm(knowledgeBase, { recursive: true, force: true });
});

async function serve(): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/triage.js', 'serve'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      KNOWLEDGE_BASE_DIR: knowledgeBase,
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: 'instances-password-1',
      API_KEYS: `${integrationKey}:integration,${adminKey}:admin`,
      INTAKE_POLL_MS: '200',
    },
  });
  started.push(child);
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 1200; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    const ok = await fetch(`${base}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { child, base };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server did not start: ${output}`);
}

const authorised = (key: string) => ({ authorization: `Bearer ${key}` });

function post(base: string, n: number) {
  return fetch(`${base}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorised(integrationKey) },
    body: JSON.stringify({
      channel: 'instances',
      externalMessageId: `instances-${n}`,
      conversationId: `instances-conv-${n % 9}`,
      customer: { id: `instances-customer-${n % 9}` },
      text: n % 2 ? 'How long does a refund take to reach my card?' : '发票怎么开？',
    }),
  });
}

/** Decisions this instance stored for messages (its own counter on /metrics). */
async function decisionsMade(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`, { headers: authorised(adminKey) })).text();
  return text
    .split('\n')
    .filter(
      (line) => line.startsWith('triage_decisions_total{') && line.includes('source="messages"'),
    )
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function search(base: string, q: string) {
  const response = await fetch(`${base}/v1/kb/search?${new URLSearchParams({ q, limit: '5' })}`, {
    headers: authorised(adminKey),
  });
  return ((await response.json()) as { matches: { id: string; score: number }[] }).matches.map(
    (match) => `${match.id}:${match.score.toFixed(9)}`,
  );
}

it('shares the work without duplicates and agrees on the knowledge base', async () => {
  const first = await serve();
  // The first instance has migrated and synced the folder; the second finds both done.
  const second = await serve();

  // 60 messages spread over both instances, and the first 20 delivered to both at once.
  const responses = await Promise.all([
    ...Array.from({ length: 60 }, (_, n) => post(n % 2 ? first.base : second.base, n)),
    ...Array.from({ length: 20 }, (_, n) => post(n % 2 ? second.base : first.base, n)),
  ]);
  expect(responses.every((response) => [200, 202].includes(response.status))).toBe(true);
  const db = database.db;
  await expect
    .poll(
      async () =>
        Number(
          (
            await db
              .selectFrom('messages')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('channel', '=', 'instances')
              .where('direction', '=', 'inbound')
              .where('processing', '=', 'triaged')
              .executeTakeFirstOrThrow()
          ).n,
        ),
      { timeout: 120_000, interval: 500 },
    )
    .toBe(60);
  const stored = await db
    .selectFrom('messages')
    .select('id')
    .where('channel', '=', 'instances')
    .where('direction', '=', 'inbound')
    .execute();
  expect(stored).toHaveLength(60);
  const ids = stored.map((row) => row.id);
  // One decision per message: one triage result, one audit entry, one bot message.
  const results = await db
    .selectFrom('triage_results')
    .select('message_id')
    .where('message_id', 'in', ids)
    .execute();
  expect(results).toHaveLength(60);
  const audits = await db
    .selectFrom('audit_log')
    .select('subject_id')
    .where('subject_id', 'in', ids)
    .where('action', 'in', ['message.auto_reply', 'message.handoff'])
    .execute();
  expect(audits).toHaveLength(60);
  const replies = await db
    .selectFrom('messages')
    .select('reply_to_message_id')
    .where('reply_to_message_id', 'in', ids)
    .where('author', '=', 'bot')
    .execute();
  expect(new Set(replies.map((row) => row.reply_to_message_id)).size).toBe(replies.length);
  // Each instance's workers took their share; together they decided each message once.
  const decided = await Promise.all([first.base, second.base].map(decisionsMade));
  expect(decided.every((count) => count > 0)).toBe(true);
  expect(decided[0]! + decided[1]!).toBe(60);

  // A document uploaded through the first instance: the second searches it alike within seconds.
  const question = 'Can I pay for my order with seashells from the lagoon?';
  const form = new FormData();
  form.append(
    'file',
    new File(
      [
        `---\nid: seashell_payment\nlocale: en\ntitle: Paying with seashells\ncategory: payment_promo\nautoReply: false\nquestions:\n  - ${question}\n  - Do you take lagoon seashells as payment?\n  - Is a bag of seashells accepted instead of money?\n  - Will the checkout let me settle the bill in seashells?\n  - My lagoon seashell collection, can it pay for the parcel?\n---\nWe do not accept seashells; pay by card or bank transfer.\n`,
      ],
      'seashells.md',
    ),
  );
  const upload = await fetch(`${first.base}/v1/kb/documents`, {
    method: 'POST',
    headers: authorised(adminKey),
    body: form,
  });
  expect(upload.status).toBe(201);
  const onFirst = await search(first.base, question);
  expect(onFirst[0]).toMatch(/^seashell_payment:/);
  await expect.poll(() => search(second.base, question), { timeout: 20_000 }).toEqual(onFirst);

  const { documents } = (await (
    await fetch(`${first.base}/v1/kb/documents`, { headers: authorised(adminKey) })
  ).json()) as { documents: { id: string; entryId: string }[] };
  const seashells = documents.find((document) => document.entryId === 'seashell_payment');
  expect(seashells).toBeDefined();
  const removed = await fetch(`${second.base}/v1/kb/documents/${seashells!.id}`, {
    method: 'DELETE',
    headers: authorised(adminKey),
  });
  expect(removed.status).toBe(204);
  const afterDelete = await search(second.base, question);
  expect(afterDelete.some((match) => match.startsWith('seashell_payment:'))).toBe(false);
  await expect.poll(() => search(first.base, question), { timeout: 20_000 }).toEqual(afterDelete);

  for (const { child } of [first, second]) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}, 600_000);
