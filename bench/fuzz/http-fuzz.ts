/**
 * HTTP fuzzing: starts the service as `npm start` does (in-memory database, a random port on
 * 127.0.0.1, API keys for each role), sends N malformed requests over every route in the
 * access policy plus raw socket junk, and fails (exit 1) on any response of 500 or more, any
 * error outside the error shape, or a server that no longer answers /healthz. Bounded in
 * count and time; deterministic per seed (`--only <index>` replays one request).
 * Usage: npx tsx bench/fuzz/http-fuzz.ts [--count 10000] [--raw 500] [--seed 1] [--concurrency 8]
 *        [--max-seconds 900] [--kb-dir knowledge-base] [--only <index>]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { contractViolation, type FuzzResponse } from './check.js';
import { type FuzzKeys, type FuzzRequest, fuzzRequest, rawRequest } from './requests.js';
import { freePort } from '../../src/testing/free-port.js';

const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    raw: { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    'max-seconds': { type: 'string', default: '900' },
    'kb-dir': { type: 'string' },
    only: { type: 'string' },
  },
});
const count = Number(options.count);
const rawCount = Number(options.raw);
const seed = Number(options.seed);
const concurrency = Number(options.concurrency);
const deadline = Date.now() + Number(options['max-seconds']) * 1000;
const root = join(import.meta.dirname, '..', '..');
const keys: FuzzKeys = {
  admin: 'fuzz-admin-key-0000000000001',
  agent: 'fuzz-agent-key-0000000000001',
  integration: 'fuzz-integration-key-00000001',
};

function send(agent: Agent, port: number, fuzz: FuzzRequest): Promise<FuzzResponse> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...fuzz.headers };
    if (fuzz.body) headers['content-length'] = fuzz.body.byteLength;
    let outgoing: ReturnType<typeof request>;
    try {
      outgoing = request(
        {
          host: '127.0.0.1',
          port,
          method: fuzz.method,
          path: fuzz.path,
          headers,
          agent,
          timeout: 60_000,
        },
        onResponse,
      );
    } catch (error) {
      // Node's client refuses some request lines and headers itself: nothing reached the server.
      resolve({ status: -2, contentType: '', body: `client refused: ${(error as Error).message}` });
      return;
    }
    function onResponse(response: import('node:http').IncomingMessage) {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', (error) =>
        resolve({ status: -1, contentType: '', body: `response error: ${error.message}` }),
      );
    }
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer in 60 s')));
    outgoing.on('error', (error) =>
      resolve({ status: -1, contentType: '', body: `connection: ${error.message}` }),
    );
    outgoing.end(fuzz.body);
  });
}

/** Sends raw bytes, returns the status line's code (0 when the server just closed) and the body. */
function sendRaw(port: number, bytes: Uint8Array): Promise<FuzzResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const contentType = /\r\ncontent-type: *([^\r\n]*)/i.exec(head)?.[1] ?? '';
      resolve({ status, contentType, body: rest.join('\r\n\r\n') });
    };
    // No half-close after writing: Node's server drops a connection whose client has ended
    // before it answers. The server closes after an error or `Connection: close`; else time out.
    socket.setTimeout(3_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', finish);
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

function describeRequest(fuzz: FuzzRequest): string {
  const body = fuzz.body
    ? ` body(${fuzz.body.byteLength} B)=${JSON.stringify(Buffer.from(fuzz.body).toString('utf8').slice(0, 160))}`
    : '';
  return `${fuzz.kind}: ${fuzz.method} ${fuzz.path.slice(0, 160)} headers=${JSON.stringify(fuzz.headers).slice(0, 200)}${body}`;
}

async function startServer(port: number): Promise<{ child: ChildProcess; log: () => string }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'triage.js'), 'serve'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: 'fuzz-admin-password-1',
      API_KEYS: `${keys.admin}:admin:fuzz-admin,${keys.agent}:agent:fuzz-agent,${keys.integration}:integration:fuzz-bot`,
      ...(options['kb-dir'] ? { KNOWLEDGE_BASE_DIR: options['kb-dir'] } : {}),
    },
  });
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  for (let attempt = 0; attempt < 900; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited during start:\n${log}`);
    const health = await sendRaw(
      port,
      new TextEncoder().encode(
        'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      ),
    );
    if (health.status === 200) return { child, log: () => log };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`server did not answer /healthz within 15 minutes:\n${log}`);
}

async function main(): Promise<void> {
  const port = await freePort();
  console.log(`starting the service on 127.0.0.1:${port} (in-memory database) …`);
  const startedAt = performance.now();
  const server = await startServer(port);
  // However this script ends, the server it started ends with it.
  process.on('exit', () => server.child.kill('SIGKILL'));
  console.log(
    `ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s; seed ${seed}, ${count} requests + ${rawCount} raw, concurrency ${concurrency}`,
  );
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

  const statusCounts = new Map<string, number>();
  const kindCounts = new Map<string, number>();
  const failures: string[] = [];
  let sent = 0;
  const tally = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  const indexes =
    options.only !== undefined
      ? [Number(options.only)]
      : Array.from({ length: count }, (_, index) => index);
  const fuzzStarted = performance.now();
  let next = 0;
  async function worker() {
    while (next < indexes.length && Date.now() < deadline) {
      const index = indexes[next++]!;
      const fuzz = fuzzRequest(seed, index, keys);
      const response = await send(agent, port, fuzz);
      sent++;
      tally(kindCounts, fuzz.kind);
      if (response.status === -2) {
        tally(statusCounts, 'not sent (refused by the client)');
        continue;
      }
      if (response.status === -1) {
        tally(statusCounts, 'no answer');
        failures.push(`#${index} ${response.body} — ${describeRequest(fuzz)}`);
        continue;
      }
      tally(statusCounts, String(response.status));
      const violation = contractViolation(fuzz.method, response);
      if (violation) failures.push(`#${index} ${violation} — ${describeRequest(fuzz)}`);
      if (options.only !== undefined)
        console.log(describeRequest(fuzz), '\n→', response.status, response.body.slice(0, 500));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));

  const rawCounts = new Map<string, number>();
  if (options.only === undefined) {
    for (let index = 0; index < rawCount && Date.now() < deadline; index++) {
      const response = await sendRaw(port, rawRequest(seed, index));
      tally(rawCounts, response.status ? String(response.status) : 'closed');
      const violation =
        response.status && response.body
          ? contractViolation('GET', response)
          : response.status >= 500
            ? `status ${response.status}`
            : undefined;
      if (violation)
        failures.push(
          `raw #${index} ${violation} — ${JSON.stringify(Buffer.from(rawRequest(seed, index)).toString('latin1').slice(0, 120))}`,
        );
    }
  }
  const seconds = (performance.now() - fuzzStarted) / 1000;

  const health = await sendRaw(
    port,
    new TextEncoder().encode(
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    ),
  );
  agent.destroy();
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  const unhandled = server
    .log()
    .split('\n')
    .filter((line) => line.includes('"unhandled error"'));

  const sorted = (map: Map<string, number>) =>
    [...map]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${key}: ${value}`)
      .join(', ');
  console.log(
    `\n${sent} requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s) on ${cpus().length} cores, seed ${seed}`,
  );
  console.log(`status: ${sorted(statusCounts)}`);
  console.log(`kinds:  ${sorted(kindCounts)}`);
  if (options.only === undefined) console.log(`raw:    ${sorted(rawCounts)}`);
  console.log(
    `server log: ${unhandled.length} unhandled errors; /healthz after the run: ${health.status}`,
  );
  const incomplete = sent < indexes.length;
  if (incomplete)
    console.log(`stopped at the time limit after ${sent} of ${indexes.length} requests`);
  if (health.status !== 200) failures.push(`/healthz answered ${health.status} after the run`);
  if (failures.length) {
    console.log(`\n${failures.length} failures (replay one with --seed ${seed} --only <index>):`);
    for (const failure of failures.slice(0, 30)) console.log(`  ${failure}`);
  }
  process.exit(failures.length || incomplete ? 1 : 0);
}

await main();
