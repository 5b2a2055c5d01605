/**
 * Load benchmark of `POST /v1/messages`: N concurrent clients post distinct customer
 * messages for D seconds to a server started as `npm start` starts it (embedded PGlite,
 * local provider, its own data folder). The server acknowledges once a message is stored
 * (202) and triages in the background: the benchmark reports the acknowledgement latency,
 * then waits until the backlog (`triage_intake_backlog` on /metrics) is empty and reports
 * how long that took and the processed messages per second over the whole run. A 429 is a
 * refusal with Retry-After: the client waits that long and delivers the same message again,
 * as a channel would. Afterwards the server is stopped and the database is opened to count:
 * every acknowledged message must be stored and triaged (zero lost).
 * With instances=2, two servers share one database (PGlite with pgvector served over the wire
 * protocol by a process of its own, src/testing/shared-database.ts) and the clients alternate.
 * Usage: npx tsx bench/load/messages.ts [clients=200] [seconds=60] [instances=1]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { type SharedDatabase, startSharedDatabase } from '../../src/testing/shared-database.js';

const clients = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 60);
const instances = Number(process.argv[4] ?? 1);
const apiKey = 'bench-integration-key-000000000';
const adminKey = 'bench-admin-key-00000000000000000';

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
): Promise<{ status: number; json: unknown; retryAfter?: string }> {
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
            resolve({
              status: response.statusCode ?? 0,
              json: JSON.parse(text),
              retryAfter: response.headers['retry-after'],
            });
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
  // Two instances share a database served by a process of its own; one uses its data folder.
  const shared: SharedDatabase | undefined =
    instances > 1 ? await startSharedDatabase(join(dataDir, 'shared')) : undefined;
  const servers: ChildProcess[] = [];
  const bases: string[] = [];
  const startServer = async () => {
    const port = await freePort();
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: {
        ...process.env,
        PORT: String(port),
        ...(shared ? { DATABASE_URL: shared.url } : { DATA_DIR: dataDir }),
        LOG_LEVEL: 'warn',
        API_KEYS: `${apiKey}:integration,${adminKey}:admin`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    servers.push(server);
    const base = `http://127.0.0.1:${port}`;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
      if (
        await fetch(`${base}/readyz`).then(
          (response) => response.ok,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    bases.push(base);
  };
  try {
    // One after the other: the first migrates and syncs the knowledge base, the next finds it done.
    for (let n = 0; n < instances; n++) await startServer();
    const base = bases[0]!;
    console.error(`${instances} server(s) up; ${clients} clients for ${seconds} s`);

    const latencies: number[] = [];
    const errors = new Map<string, number>();
    const acknowledged = new Set<string>();
    let refused = 0;
    const deadline = performance.now() + seconds * 1000;
    let sequence = 0;

    async function client(id: number) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      while (performance.now() < deadline) {
        const n = sequence++;
        const externalMessageId = `load-${id}-${n}`;
        const body = JSON.stringify({
          channel: 'load',
          externalMessageId,
          conversationId: `load-conv-${id}-${n}`,
          customer: { id: `customer-${id}` },
          text: texts[n % texts.length],
        });
        // A refused message is delivered again after Retry-After, as a channel would.
        for (;;) {
          const started = performance.now();
          try {
            const response = await post(agent, `${bases[id % bases.length]}/v1/messages`, body, {
              'content-type': 'application/json',
              authorization: `Bearer ${apiKey}`,
            });
            if (response.status === 429) {
              refused++;
              await new Promise((resolve) =>
                setTimeout(resolve, Number(response.retryAfter ?? 1) * 1000),
              );
              continue;
            }
            if (response.status !== 202 && response.status !== 200) {
              const key = `${response.status} ${(response.json as { error?: { code: string } }).error?.code}`;
              errors.set(key, (errors.get(key) ?? 0) + 1);
              break;
            }
            latencies.push(performance.now() - started);
            acknowledged.add(externalMessageId);
          } catch (error) {
            const key = (error as Error).message;
            errors.set(key, (errors.get(key) ?? 0) + 1);
          }
          break;
        }
      }
      agent.destroy();
    }

    async function backlog(): Promise<number> {
      const text = await (
        await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${adminKey}` } })
      ).text();
      const line = text.split('\n').find((row) => row.startsWith('triage_intake_backlog '));
      return Number(line?.split(' ')[1] ?? NaN);
    }

    const started = performance.now();
    await Promise.all(Array.from({ length: clients }, (_, id) => client(id)));
    const posting = (performance.now() - started) / 1000;
    const backlogAtEnd = await backlog();
    while ((await backlog()) > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    const drained = (performance.now() - started) / 1000;

    for (const server of servers) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }

    const database = await openDatabase(shared ? { databaseUrl: shared.url } : { dataDir });
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
    const triaged = stored.length - untriaged;
    const report = {
      clients,
      instances,
      postingSeconds: Number(posting.toFixed(1)),
      acknowledged: acknowledged.size,
      acknowledgedPerSecond: Number((acknowledged.size / posting).toFixed(1)),
      acknowledgementMs: {
        p50: Number(percentile(latencies, 50).toFixed(1)),
        p99: Number(percentile(latencies, 99).toFixed(1)),
        max: Math.round(latencies.at(-1) ?? NaN),
      },
      refused429: refused,
      errors: Object.fromEntries(errors),
      backlogWhenPostingEnded: backlogAtEnd,
      drainSecondsAfterPosting: Number((drained - posting).toFixed(1)),
      processedPerSecond: Number((triaged / drained).toFixed(1)),
      storedInbound: stored.length,
      lost,
      untriaged,
      machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
    };
    console.log(JSON.stringify(report, null, 2));
    if (lost || untriaged || errors.size) process.exitCode = 1;
  } finally {
    for (const server of servers) if (server.exitCode === null) server.kill('SIGKILL');
    await shared?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
