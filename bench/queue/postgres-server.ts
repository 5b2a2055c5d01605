/**
 * A throwaway PostgreSQL 15 server for the queue benchmark: Debian's binaries, a new cluster
 * in a temporary folder, listening on 127.0.0.1 at a free port, removed again on stop.
 * initdb refuses root, so as root the server runs as the `postgres` user (runuser). Returns
 * undefined, with the reason, when the binaries are not installed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const postgresBinaries = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  url: string;
  version: string;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgresServer(): Promise<PostgresServer | { skipped: string }> {
  const initdb = join(postgresBinaries, 'initdb');
  if (!existsSync(initdb)) return { skipped: `no PostgreSQL binaries in ${postgresBinaries}` };
  const asRoot = process.getuid?.() === 0;
  const folder = mkdtempSync(join(tmpdir(), 'queue-bench-pg-'));
  const dataDir = join(folder, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(folder, uid, gid);
    chmodSync(folder, 0o700);
  }
  const run = (binary: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(postgresBinaries, binary), ...args])
      : execFileSync(join(postgresBinaries, binary), args);
  const port = await freePort();
  run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  // Server defaults otherwise (fsync and synchronous_commit on): what a production server does.
  run('pg_ctl', [
    '-D',
    dataDir,
    '-l',
    join(folder, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c max_connections=50`,
    'start',
  ]);
  const version = run('postgres', ['--version']).toString().trim();
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    version,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
