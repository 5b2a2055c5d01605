/**
 * Start-up benchmark: starts the service as `npm start` does (tsx, embedded database,
 * shipped knowledge base, local models) on a fresh data folder (first start: the database is
 * created, the knowledge base ingested, the models trained; the model cache in the folder is
 * empty), then again on the same folder (restart), and reports each separately: the time until
 * /healthz answers, the CPU seconds the server used until then (all its threads: unlike the
 * wall time, about the same on a busy machine), its peak memory, and where the time went by
 * stage (from the server's own `start-up:` log lines; a version without them shows none).
 * Usage: npx tsx bench/startup/startup.ts [runs=3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const runs = Number(process.argv[2] ?? 3);
const stages = ['database', 'migrate', 'models', 'ingest', 'retrieval', 'answerability'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** CPU seconds the process used so far (all its threads): comparable across machine loads. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime: fields 14 and 15 of stat, 12 and 13 counted from the one after the name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

interface StartResult {
  seconds: number;
  cpu: number;
  peakMb: number;
  /** Seconds per stage, as the server logged them. */
  stages: Map<string, number>;
}

async function startOnce(dataDir: string): Promise<StartResult> {
  const port = await freePort();
  const started = performance.now();
  const stageSeconds = new Map<string, number>();
  // `node --import tsx` is what `npm start` (tsx) runs, in one process we can measure.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Not a terminal: the server logs one JSON line per finished stage.
  createInterface({ input: child.stderr! }).on('line', (line) => {
    try {
      const entry = JSON.parse(line) as { stage?: string; ms?: number; phase?: string };
      if (entry.stage && entry.ms !== undefined && !entry.phase)
        stageSeconds.set(entry.stage, entry.ms / 1000);
    } catch {
      // not a log line
    }
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
    const cpu = cpuSeconds(child.pid!);
    // One request so the peak includes serving, not only start-up.
    await fetch(`http://127.0.0.1:${port}/v1/triage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '快递三天了还没到' }),
    });
    return { seconds, cpu, peakMb: peakRssMb(child.pid!), stages: stageSeconds };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const results: { first: StartResult; restart: StartResult; load: string }[] = [];
for (let run = 1; run <= runs; run++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'startup-bench-'));
  const load = loadavg()[0]!.toFixed(1);
  const first = await startOnce(dataDir);
  const restart = await startOnce(dataDir);
  results.push({ first, restart, load });
  rmSync(dataDir, { recursive: true, force: true });
}

for (const kind of ['first', 'restart'] as const) {
  console.log(
    kind === 'first'
      ? '\nFirst start (new data folder, empty model cache)'
      : '\nRestart (same data folder)',
  );
  console.log(
    `| run | load (1 min) | until /healthz s | CPU s | peak RSS MB | ${stages.join(' s | ')} s |`,
  );
  console.log(`|---|---|---|---|---|${stages.map(() => '---|').join('')}`);
  results.forEach((result, index) => {
    const start = result[kind];
    const cells = stages.map((stage) => start.stages.get(stage)?.toFixed(1) ?? '–');
    console.log(
      `| ${index + 1} | ${result.load} | ${start.seconds.toFixed(1)} | ${start.cpu.toFixed(1)} | ${start.peakMb} | ${cells.join(' | ')} |`,
    );
  });
}
