/**
 * Nothing acknowledged is lost when the server is killed (`kill -9`): messages are
 * acknowledged once stored and triaged in the background, so a crash leaves some stored and
 * untriaged, some half-way through triage. The next start on the same data folder triages
 * every one of them, once. A behaviour test with generous bounds, not a timing test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../testing/free-port.js';

const root = join(import.meta.dirname, '..', '..');
const integrationKey = 'crash-test-integration-key-01';
const adminKey = 'crash-test-admin-key-000000001';
let knowledgeBase: string;
let dataDir: string;
const started: ChildProcess[] = [];
const COUNT = 150;

beforeAll(async () => {
  // Taxonomy, sentiment and service hours only: every message is handed off, quickly.
  knowledgeBase = await mkdtemp(join(tmpdir(), 'triage-crash-kb-'));
  for (const file of await readdir(join(root, 'knowledge-base'))) {
    if (file.endsWith('.yaml'))
      await cp(join(root, 'knowledge-base', file), join(knowledgeBase, file));
  }
  dataDir = await mkdtemp(join(tmpdir(), 'triage-crash-data-'));
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(knowledgeBase, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

async function serve(port: number) {
  const child = spawn(process.execPath, ['bin/triage.js', 'serve'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      KNOWLEDGE_BASE_DIR: knowledgeBase,
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: 'crash-test-password-1',
      API_KEYS: `${integrationKey}:integration,${adminKey}:admin`,
    },
  });
  started.push(child);
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server did not start: ${output}`);
}

const post = (port: number, n: number) =>
  fetch(`http://127.0.0.1:${port}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${integrationKey}` },
    body: JSON.stringify({
      channel: 'crash',
      externalMessageId: `crash-${n}`,
      conversationId: `crash-conv-${n % 7}`,
      customer: { id: `crash-customer-${n % 7}` },
      text: `第${n}条：我的订单还没发货，麻烦帮我看一下`,
    }),
  });

async function backlog(port: number): Promise<number> {
  const text = await (
    await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { authorization: `Bearer ${adminKey}` },
    })
  ).text();
  const line = text.split('\n').find((row) => row.startsWith('triage_intake_backlog '));
  return Number(line?.split(' ')[1]);
}

it('triages every acknowledged message after a kill -9, once', async () => {
  const port = await freePort();
  const first = await serve(port);
  const responses = await Promise.all(Array.from({ length: COUNT }, (_, n) => post(port, n)));
  expect(responses.every((response) => response.status === 202)).toBe(true);
  // The crash must find work undone, or the test shows nothing.
  expect(await backlog(port)).toBeGreaterThan(0);
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));

  const secondPort = await freePort();
  const second = await serve(secondPort);
  await expect.poll(() => backlog(secondPort), { timeout: 120_000, interval: 500 }).toBe(0);
  // Every message once: a repeat delivery of each is recognised and has its outcome.
  const repeats = await Promise.all(Array.from({ length: COUNT }, (_, n) => post(secondPort, n)));
  const bodies = (await Promise.all(repeats.map((response) => response.json()))) as {
    status: string;
    duplicate: boolean;
    action: string;
  }[];
  expect(bodies.every((body) => body.status === 'processed' && body.duplicate)).toBe(true);
  expect(new Set(bodies.map((body) => body.action))).toEqual(new Set(['handoff']));
  second.kill('SIGTERM');
  await new Promise((resolve) => second.once('exit', resolve));
}, 300_000);
