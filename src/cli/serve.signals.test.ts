/**
 * Stopping the server the way systemd, Docker and PM2 do: SIGTERM to the process they
 * started (`npm start`, or the shell npm exec puts in front of `npx triage`) must stop the
 * whole process tree and free the port. A behaviour test with generous bounds, not a timing test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../testing/free-port.js';

const root = join(import.meta.dirname, '..', '..');
let knowledgeBase: string;
const started: ChildProcess[] = [];

beforeAll(async () => {
  // Taxonomy, sentiment and service hours only: the server starts in seconds, not minutes.
  knowledgeBase = await mkdtemp(join(tmpdir(), 'triage-signals-kb-'));
  for (const file of await readdir(join(root, 'knowledge-base'))) {
    if (file.endsWith('.yaml'))
      await cp(join(root, 'knowledge-base', file), join(knowledgeBase, file));
  }
});

afterAll(async () => {
  // Whatever a failed run left behind: its own process group, nothing else.
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(knowledgeBase, { recursive: true, force: true });
});

/** Starts `command` in a process group of its own (so the test can see every process in it). */
function start(
  command: string,
  args: string[],
  port: number,
  extraEnv: Record<string, string> = {},
) {
  const child = spawn(command, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...extraEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: 'memory://',
      KNOWLEDGE_BASE_DIR: knowledgeBase,
      LOG_LEVEL: 'info',
      ADMIN_PASSWORD: 'signals-test-password-1',
      npm_config_update_notifier: 'false',
    },
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, exited, output: () => output };
}

async function waitForHealth(port: number, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`server never answered /healthz:\n${output()}`);
}

/** Whether any process is left in the group the test started. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let attempt = 0; attempt < 120; attempt++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

const portClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('stopping the server with SIGTERM', () => {
  it('`npm start`: SIGTERM to the npm process stops the server, frees the port, exits 0', async () => {
    const port = await freePort();
    const server = start('npm', ['start'], port);
    await waitForHealth(port, server.output);
    process.kill(server.child.pid!, 'SIGTERM');
    expect(await server.exited).toBe(0);
    expect(
      await waitUntil(() => !groupAlive(server.child.pid!)),
      `processes left:\n${server.output()}`,
    ).toBe(true);
    expect(await portClosed(port)).toBe(true);
    expect(server.output()).toContain('"msg":"stopped"');
  }, 300_000);

  it('`npx triage serve`: SIGTERM to the shell npm exec runs it in stops the server too', async () => {
    // npm exec runs the bin as `sh -c 'triage' serve` and passes SIGTERM to that shell only;
    // this is that shell, with the variable npm sets for it (network-free, unlike real npx).
    const port = await freePort();
    const server = start('sh', ['-c', 'node bin/triage.js serve'], port, {
      npm_lifecycle_event: 'npx',
    });
    await waitForHealth(port, server.output);
    process.kill(server.child.pid!, 'SIGTERM');
    await server.exited;
    expect(
      await waitUntil(() => !groupAlive(server.child.pid!)),
      `processes left:\n${server.output()}`,
    ).toBe(true);
    expect(await portClosed(port)).toBe(true);
    expect(server.output()).toContain('"msg":"stopped"');
  }, 300_000);
});
