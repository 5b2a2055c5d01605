/**
 * Triage pipeline per message: starts the service in-process as the CLI does (embedded in-memory
 * database, shipped knowledge base, local models, no LLM), warms up on texts it will not measure,
 * then triages the fixed message set one after another and prints p50/p90/p99 wall and CPU time
 * per message and each step's share (the engine's onStep hook).
 *
 *   npx tsx bench/triage/pipeline.ts [--set shipped|all] [--warmup 150] [--data-dir DIR]
 *     [--cpu-prof out.cpuprofile]
 *
 * `shipped`: the shipped triage and safety suites (420 texts); `all` adds the blind sets' files.
 * Warm-up texts come from the blind sets after the measured ones, so no measured text is seen
 * twice (a per-text cache would otherwise look like a speed-up). CPU time is process.cpuUsage()
 * (user + system, all threads: PGlite runs on this thread, GC helpers on others).
 * `--data-dir` keeps the database in a folder (the second run skips ingestion: quicker to iterate);
 * `--cpu-prof` writes a V8 CPU profile of the measured messages only (not of start-up).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseConfig } from '../../src/config/env.js';
import { startService } from '../../src/service.js';
import { silentLogger } from '../../src/testing/logger.js';
import { benchMessages } from './messages.js';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const set = option('--set') === 'all' ? 'all' : 'shipped';
const warmupCount = Number(option('--warmup') ?? 150);
const dataDir = option('--data-dir') ?? 'memory://';
const profileOut = option('--cpu-prof');

const all = benchMessages('all');
const measured = set === 'all' ? all : benchMessages('shipped');
// Warm-up from the end of the full list (blind multi-turn and injection rows): distinct texts.
const measuredTexts = new Set(measured.map((message) => message.request.text));
const warmup = all
  .filter((message) => !measuredTexts.has(message.request.text))
  .slice(-warmupCount);
if (set === 'all') warmup.splice(0); // every text is measured: no unseen ones to warm up on
if (set === 'all')
  console.log('(--set all: no separate warm-up texts; first 150 messages run twice)');

const startedAt = performance.now();
const service = await startService(
  parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MODEL_PROVIDER: 'local' }),
  { logger: silentLogger() },
);
const startSeconds = (performance.now() - startedAt) / 1000;

try {
  if (set === 'all')
    for (const message of all.slice(0, 150)) await service.triage.triage(message.request);
  for (const message of warmup) await service.triage.triage(message.request);

  const wall: number[] = [];
  const cpu: number[] = [];
  const steps = new Map<string, number[]>();
  const onStep = (step: string, ms: number) => {
    const times = steps.get(step) ?? [];
    times.push(ms);
    steps.set(step, times);
  };
  let stepTotal = 0;
  const total = (step: string, ms: number) => {
    stepTotal += ms;
    onStep(step, ms);
  };
  const profiler = profileOut ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  for (const message of measured) {
    const cpuBefore = process.cpuUsage();
    const before = performance.now();
    stepTotal = 0;
    await service.triage.triage(message.request, { onStep: total });
    const elapsed = performance.now() - before;
    const used = process.cpuUsage(cpuBefore);
    wall.push(elapsed);
    cpu.push((used.user + used.system) / 1000);
    onStep('(engine outside steps)', elapsed - stepTotal);
  }
  if (profiler && profileOut) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(profileOut, JSON.stringify(profile));
    profiler.disconnect();
  }

  const quantile = (values: number[], q: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  };
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const ms = (value: number) => value.toFixed(2);
  console.log(
    `service started in ${startSeconds.toFixed(1)} s; ${warmup.length} warm-up texts; ${measured.length} messages measured (set ${set})`,
  );
  console.log('| per message | p50 ms | p90 ms | p99 ms | mean ms |');
  console.log('|---|---|---|---|---|');
  for (const [name, values] of [
    ['wall', wall],
    ['CPU', cpu],
  ] as const)
    console.log(
      `| ${name} | ${ms(quantile(values, 0.5))} | ${ms(quantile(values, 0.9))} | ${ms(quantile(values, 0.99))} | ${ms(mean(values))} |`,
    );
  console.log('');
  console.log('| step | runs | mean ms | p50 ms | p99 ms | share of wall |');
  console.log('|---|---|---|---|---|---|');
  const wallSum = wall.reduce((sum, value) => sum + value, 0);
  for (const [name, values] of [...steps.entries()].sort(
    (a, b) => b[1].reduce((s, v) => s + v, 0) - a[1].reduce((s, v) => s + v, 0),
  )) {
    const sum = values.reduce((s, v) => s + v, 0);
    console.log(
      `| ${name} | ${values.length} | ${ms(sum / measured.length)} | ${ms(quantile(values, 0.5))} | ${ms(quantile(values, 0.99))} | ${((100 * sum) / wallSum).toFixed(1)} % |`,
    );
  }
} finally {
  await service.close();
}
