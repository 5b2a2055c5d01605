/**
 * Load benchmark of `POST /v1/messages`: N concurrent clients post distinct customer
 * messages for D seconds to a server started as `npm start` starts it (embedded PGlite,
 * local provider, its own data folder). Afterwards the server is stopped and the database
 * is opened to count: every acknowledged message must be stored and triaged (zero lost).
 * Usage: npx tsx bench/load/messages.ts [clients=200] [seconds=60]
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';

const clients = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 60);
const apiKey = 'bench-integration-key-000000000';

/**
 * Each client has its own kept-alive connection (as a channel worker would). Node's fetch
 * shares one pool per origin, which queues requests on the client side and hides the
 * server's own ordering.
 */
function post(
  agent: Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const texts = readFileSync('evals/data/triage.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => (JSON.parse(line) as { text: string }).text);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'triage-load-'));
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      API_KEYS: `${apiKey}:integration`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
      if (
        await fetch(`${base}/healthz`).then(
          (response) => response.ok,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    console.error(`server up; ${clients} clients for ${seconds} s`);

    const latencies: number[] = [];
    // When the requests slower than 10 s were sent (ms after the start), to see who waits.
    const slowStarts: number[] = [];
    const errors = new Map<string, number>();
    const acknowledged = new Set<string>();
    const actions = { auto_reply: 0, handoff: 0 };
    const deadline = performance.now() + seconds * 1000;
    let sequence = 0;
    const runStarted = performance.now();
    let slowFirst = 0;

    async function client(id: number) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let first = true; performance.now() < deadline; first = false) {
        const n = sequence++;
        const externalMessageId = `load-${id}-${n}`;
        const started = performance.now();
        try {
          const response = await post(
            agent,
            `${base}/v1/messages`,
            JSON.stringify({
              channel: 'load',
              externalMessageId,
              conversationId: `load-conv-${id}-${n}`,
              customer: { id: `customer-${id}` },
              text: texts[n % texts.length],
            }),
            { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          );
          const body = response.json as {
            action?: 'auto_reply' | 'handoff';
            error?: { code: string };
          };
          if (response.status !== 200) {
            errors.set(
              `${response.status} ${body.error?.code}`,
              (errors.get(`${response.status} ${body.error?.code}`) ?? 0) + 1,
            );
            continue;
          }
          latencies.push(performance.now() - started);
          if (performance.now() - started > 10_000) {
            slowStarts.push(Math.round(started - runStarted));
            if (first) slowFirst++;
          }
          acknowledged.add(externalMessageId);
          actions[body.action!]++;
        } catch (error) {
          const key = (error as Error).message;
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
      agent.destroy();
    }
    const started = performance.now();
    await Promise.all(Array.from({ length: clients }, (_, id) => client(id)));
    const elapsed = (performance.now() - started) / 1000;

    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));

    const database = await openDatabase({ dataDir });
    const stored = await database.db
      .selectFrom('messages')
      .leftJoin('triage_results', 'triage_results.message_id', 'messages.id')
      .select(['messages.external_message_id', 'triage_results.id as triage_id'])
      .where('messages.channel', '=', 'load')
      .where('messages.direction', '=', 'inbound')
      .execute();
    await database.close();
    const storedIds = new Set(stored.map((row) => row.external_message_id));
    const lost = [...acknowledged].filter((id) => !storedIds.has(id)).length;
    const untriaged = stored.filter((row) => !row.triage_id).length;

    latencies.sort((a, b) => a - b);
    const report = {
      clients,
      seconds: Number(elapsed.toFixed(1)),
      acknowledged: acknowledged.size,
      throughputPerSecond: Number((acknowledged.size / elapsed).toFixed(1)),
      latencyMs: {
        p50: Math.round(percentile(latencies, 50)),
        p99: Math.round(percentile(latencies, 99)),
        max: Math.round(latencies.at(-1) ?? NaN),
      },
      errors: Object.fromEntries(errors),
      slowerThan10s: {
        count: slowStarts.length,
        sentWithinMs: slowStarts.length ? Math.max(...slowStarts) : null,
        firstRequestOfClient: slowFirst,
      },
      storedInbound: stored.length,
      lost,
      untriaged,
      actions,
      machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
    };
    console.log(JSON.stringify(report, null, 2));
    if (lost || untriaged || errors.size) process.exitCode = 1;
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
