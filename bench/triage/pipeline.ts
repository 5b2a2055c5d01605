/**
 * Triage pipeline per message: starts the service in-process as the CLI does (embedded database,
 * shipped knowledge base, local models, no LLM), warms up on texts it will not measure, then
 * triages the fixed message set one after another and prints p50/p90/p99 wall and CPU time per
 * message, each step's share (the engine's onStep hook) and the database queries per message.
 *
 *   npx tsx bench/triage/pipeline.ts [--set shipped|all] [--warmup 150] [--data-dir DIR]
 *     [--cpu-prof out.cpuprofile]
 *
 * `shipped`: the shipped triage and safety suites (420 texts); `all` adds the blind sets' files.
 * Warm-up texts come from the blind sets and are never measured (with `all` every text is
 * measured, so the first 150 run once before as the warm-up). CPU time is process.cpuUsage()
 * (user + system, all threads: PGlite runs on this thread, GC helpers on others). The database
 * time is the wall time of each statement sent: on memory:// PGlite runs it on this thread, so it
 * is the statement's cost (a data folder's PGlite runs in a worker thread since 0b461c6: there it
 * is the round trip). `--data-dir` keeps the database in a folder (the second run
 * skips ingestion); `--cpu-prof` writes a V8 CPU profile of the measured messages only.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import pg from 'pg';
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
const measuredTexts = new Set(measured.map((message) => message.request.text));
const warmup =
  set === 'all'
    ? all.slice(0, warmupCount)
    : all.filter((message) => !measuredTexts.has(message.request.text)).slice(-warmupCount);

const startedAt = performance.now();
const service = await startService(
  parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MODEL_PROVIDER: 'local' }),
  { logger: silentLogger() },
);
const startSeconds = (performance.now() - startedAt) / 1000;

/**
 * Counts and times every statement sent to the database, by its first words: node-postgres's
 * Client.query is where every Kysely query goes (PGlite too, through its node-postgres adapter),
 * including a transaction's begin, settings and commit.
 */
const queries = new Map<string, { count: number; ms: number }>();
const clientQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  const started = performance.now();
  const first = args[0] as string | { text?: string } | undefined;
  const text = typeof first === 'string' ? first : (first?.text ?? '(query object)');
  const shape = text.replace(/\s+/g, ' ').trim().slice(0, 70);
  const record = () => {
    const entry = queries.get(shape) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += performance.now() - started;
    queries.set(shape, entry);
  };
  const result = clientQuery.apply(this, args);
  if (result instanceof Promise) return result.finally(record);
  record();
  return result;
} as typeof pg.Client.prototype.query;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const ms = (value: number) => value.toFixed(2);

try {
  for (const message of warmup) await service.triage.triage(message.request);
  queries.clear();

  const wall: number[] = [];
  const cpu: number[] = [];
  const steps = new Map<string, number[]>();
  const onStep = (step: string, elapsed: number) => {
    const times = steps.get(step) ?? [];
    times.push(elapsed);
    steps.set(step, times);
  };
  const profiler = profileOut ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  for (const message of measured) {
    let inSteps = 0;
    const cpuBefore = process.cpuUsage();
    const before = performance.now();
    await service.triage.triage(message.request, {
      onStep: (step, elapsed) => {
        inSteps += elapsed;
        onStep(step, elapsed);
      },
    });
    const elapsed = performance.now() - before;
    const used = process.cpuUsage(cpuBefore);
    wall.push(elapsed);
    cpu.push((used.user + used.system) / 1000);
    onStep('(engine, outside the steps)', elapsed - inSteps);
  }
  if (profiler && profileOut) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(profileOut, JSON.stringify(profile));
    profiler.disconnect();
  }

  const n = measured.length;
  console.log(
    `service started in ${startSeconds.toFixed(1)} s; ${warmup.length} warm-up texts; ${n} messages measured (set ${set})`,
  );
  console.log('| per message | p50 ms | p90 ms | p99 ms | mean ms |');
  console.log('|---|---|---|---|---|');
  for (const [name, values] of [
    ['wall', wall],
    ['CPU', cpu],
  ] as const)
    console.log(
      `| ${name} | ${ms(quantile(values, 0.5))} | ${ms(quantile(values, 0.9))} | ${ms(quantile(values, 0.99))} | ${ms(sum(values) / n)} |`,
    );
  console.log('');
  console.log('| step | mean ms | p50 ms | p99 ms | share of wall |');
  console.log('|---|---|---|---|---|');
  const wallTotal = sum(wall);
  for (const [name, values] of [...steps].sort((a, b) => sum(b[1]) - sum(a[1])))
    console.log(
      `| ${name} | ${ms(sum(values) / n)} | ${ms(quantile(values, 0.5))} | ${ms(quantile(values, 0.99))} | ${((100 * sum(values)) / wallTotal).toFixed(1)} % |`,
    );
  console.log('');
  const counted = [...queries.values()];
  console.log(
    `database: ${(sum(counted.map((q) => q.count)) / n).toFixed(2)} queries and ${ms(sum(counted.map((q) => q.ms)) / n)} ms per message`,
  );
  console.log('| query | per message | mean ms | ms per message |');
  console.log('|---|---|---|---|');
  for (const [shape, { count, ms: spent }] of [...queries].sort((a, b) => b[1].ms - a[1].ms))
    console.log(
      `| \`${shape}\` | ${(count / n).toFixed(2)} | ${ms(spent / count)} | ${ms(spent / n)} |`,
    );
} finally {
  await service.close();
}
