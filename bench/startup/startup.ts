/**
 * Start-up benchmark: starts the service as `npm start` does (tsx, embedded database,
 * shipped knowledge base, local models) on a fresh data folder, then again on the same
 * folder, and reports the time until /healthz answers and the server's peak memory.
 * Usage: npx tsx bench/startup/startup.ts [runs=3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 3);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

async function startOnce(dataDir: string): Promise<{ seconds: number; peakMb: number }> {
  const port = await freePort();
  const started = performance.now();
  // `node --import tsx` is what `npm start` (tsx) runs, in one process we can measure.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    // One request so the peak includes serving, not only start-up.
    await fetch(`http://127.0.0.1:${port}/v1/triage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '快递三天了还没到' }),
    });
    return { seconds, peakMb: peakRssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

console.log(
  '| run | first start (new data folder) s | peak RSS MB | second start (same folder) s | peak RSS MB |',
);
console.log('|---|---|---|---|---|');
for (let run = 1; run <= runs; run++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'startup-bench-'));
  const first = await startOnce(dataDir);
  const second = await startOnce(dataDir);
  console.log(
    `| ${run} | ${first.seconds.toFixed(1)} | ${first.peakMb} | ${second.seconds.toFixed(1)} | ${second.peakMb} |`,
  );
  rmSync(dataDir, { recursive: true, force: true });
}
