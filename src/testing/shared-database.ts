/**
 * A PGlite database with pgvector served in a child process (shared-database-server.ts), for
 * tests and benchmarks that run several `triage serve` processes on one DATABASE_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SharedDatabase {
  url: string;
  process: ChildProcess;
  /** SIGTERM, then wait for the child to close the folder and exit. */
  stop(): Promise<void>;
}

const entry = fileURLToPath(new URL('./shared-database-server.ts', import.meta.url));

export async function startSharedDatabase(dataDir: string, port = 0): Promise<SharedDatabase> {
  // The child loads TypeScript through tsx, as bin/triage.js does for the CLI.
  const child = spawn(process.execPath, ['--import', 'tsx', entry, dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`shared database exited with ${code}`)));
    child.once('error', reject);
  });
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
