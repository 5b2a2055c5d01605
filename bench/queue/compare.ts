/**
 * Job queue benchmark (issue 14): our database claim queues (the intake's per-conversation
 * claim and the outbox's batch lease, through the service's own repository functions) against
 * pg-boss 10, on an embedded in-memory PGlite (as the service opens it: node-postgres over
 * createPgConfig, one connection) and on a throwaway PostgreSQL 15 server (skipped, with a
 * message, where Debian's binaries are missing).
 *
 * Drain: N jobs (customer messages, 5 per conversation, written in bursts) are enqueued by W
 * concurrent senders, then W workers claim and complete until none is left. Reported: enqueue
 * and drain rates, the claim query's p50/p99, claims that found nothing while jobs were left,
 * order breaks (a message started while an earlier one of its conversation was unfinished) and
 * WAL bytes per job. Trickle: one job every 250 ms; the time from the commit to the handler.
 *
 * Usage: npx tsx bench/queue/compare.ts [jobs=2000] [workers=4] [pglite|server|both]
 */
import { loadavg } from 'node:os';
import { type BenchDatabase, openPglite, openServer } from './bench-database.js';
import { claimPlans, type ClaimPlanRow } from './claim-plans.js';
import { drainIntake, drainOutbox, trickleIntake } from './claim-queue.js';
import { drainFetch, drainWork, startBoss, trickleWork } from './pg-boss-queue.js';
import { startPostgresServer } from './postgres-server.js';
import { type DrainResult, makeJobs, percentile, type TrickleResult } from './workload.js';

const jobCount = Number(process.argv[2] ?? 2000);
const workers = Number(process.argv[3] ?? 4);
const which = process.argv[4] ?? 'both';
// 4 jobs/s: half of what 4 batch-1 `work` pollers can take (2 jobs/s each at 0.5 s polling).
const trickleJobs = 12;
const orderJobs = 200;
/** Triaged messages before the burst, for statistics gathered when the queue was quiet. */
const history = 10_000;
const orderHandlerMs = 20;
const trickleIntervalMs = 250;

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
const fixed = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);

function drainTable(results: DrainResult[]): string {
  const lines = [
    '| queue | jobs | enqueue jobs/s | drain jobs/s | claim p50 ms | claim p99 ms | empty claims | order breaks | WAL bytes/job |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const jobs = r.capped ? `${r.jobs} of ${r.enqueued} (time cap)` : `${r.jobs}`;
    lines.push(
      `| ${r.queue} | ${jobs} | ${fixed(r.enqueuePerSecond, 0)} | ${fixed(r.jobsPerSecond, 0)} | ` +
        `${fixed(percentile(r.claimMs, 50), 2)} | ${fixed(percentile(r.claimMs, 99), 2)} | ` +
        `${fixed(r.emptyClaims, 0)} | ${fixed(r.orderBreaks, 0)} | ${fixed(r.walBytesPerJob, 0)} |`,
    );
  }
  return lines.join('\n');
}

function orderTable(results: DrainResult[]): string {
  const lines = ['| queue | jobs/s | empty claims | order breaks |', '|---|---|---|---|'];
  for (const r of results) {
    lines.push(
      `| ${r.queue} | ${fixed(r.jobsPerSecond, 0)} | ${fixed(r.emptyClaims, 0)} | ${fixed(r.orderBreaks, 0)} |`,
    );
  }
  return lines.join('\n');
}

function trickleTable(results: TrickleResult[]): string {
  const lines = ['| queue | jobs | pick-up p50 ms | pick-up p99 ms |', '|---|---|---|---|'];
  for (const r of results) {
    lines.push(
      `| ${r.queue} | ${r.pickupMs.length}/${r.jobs} | ${fixed(percentile(r.pickupMs, 50))} | ` +
        `${fixed(percentile(r.pickupMs, 99))} |`,
    );
  }
  return lines.join('\n');
}

function planTable(rows: ClaimPlanRow[]): string {
  const lines = [
    '| planner statistics | service claim ms | head sub-select claim ms | pg-boss fetch ms |',
    '|---|---|---|---|',
  ];
  for (const row of rows)
    lines.push(
      `| ${row.statistics} | ${fixed(row.serviceMs, 2)} | ${fixed(row.headMs, 2)} | ` +
        `${fixed(row.pgBossMs, 2)} |`,
    );
  return lines.join('\n');
}

async function measure(database: BenchDatabase): Promise<void> {
  console.log(`\n### ${database.name}: ${jobCount} jobs, ${workers} workers (load ${load()})`);
  const jobs = makeJobs(jobCount);
  let sectionStart = performance.now();
  const took = () => {
    const seconds = (performance.now() - sectionStart) / 1000;
    sectionStart = performance.now();
    return `${seconds.toFixed(0)} s`;
  };
  const bossStart = performance.now();
  const boss = await startBoss(database, workers);
  const bossMs = performance.now() - bossStart;
  console.log(`\npg-boss schema created and started in ${bossMs.toFixed(0)} ms`);
  try {
    const plans = await claimPlans(database, boss, jobs);
    console.log(`\nOne claim with ${jobCount} messages waiting (median of 5; ${took()}):\n`);
    console.log(planTable(plans));

    const drains: DrainResult[] = [];
    drains.push(await drainIntake(database, jobs, { workers }));
    drains.push(await drainIntake(database, jobs, { workers, history, capMs: 5000 }));
    drains.push(await drainIntake(database, jobs, { workers, history, claim: 'head' }));
    drains.push(await drainOutbox(database, jobs, workers, 20));
    for (const policy of ['standard', 'singleton'] as const)
      drains.push(await drainFetch(database, boss, jobs, { workers, batchSize: 1, policy }));
    // 0.5 s polling lets batch-1 workers do 2 jobs/s each: a few hundred jobs fill the cap.
    drains.push(
      await drainWork(database, boss, jobs.slice(0, 100), { workers, batchSize: 1, capMs: 5000 }),
    );
    drains.push(
      await drainWork(database, boss, jobs.slice(0, 1000), {
        workers,
        batchSize: 20,
        capMs: 20_000,
      }),
    );
    console.log(`\nDrain (enqueue, then ${workers} workers until empty; ${took()}):\n`);
    console.log(drainTable(drains));

    // Order needs handlers that take time: with instant ones two jobs of a conversation
    // rarely overlap. 20 ms stands in for triage (30-70 ms a message in bench/triage).
    const ordered = jobs.slice(0, orderJobs);
    const handlerMs = orderHandlerMs;
    const orderRuns = [await drainIntake(database, ordered, { workers, handlerMs })];
    for (const policy of ['standard', 'singleton'] as const)
      orderRuns.push(
        await drainFetch(database, boss, ordered, { workers, batchSize: 1, policy, handlerMs }),
      );
    console.log(`\n${ordered.length} jobs, handlers that take ${handlerMs} ms (${took()}):\n`);
    console.log(orderTable(orderRuns));

    const trickle = makeJobs(trickleJobs);
    const intervalMs = trickleIntervalMs;
    const trickles: TrickleResult[] = [
      await trickleIntake(database, trickle, { workers, intervalMs }),
      await trickleWork(database, boss, trickle, { workers, intervalMs, notify: false }),
      await trickleWork(database, boss, trickle, { workers, intervalMs, notify: true }),
    ];
    console.log(`\nOne job every ${intervalMs} ms, ${workers} workers (${took()}):\n`);
    console.log(trickleTable(trickles));
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
  console.log(`\n(load at the end ${load()})`);
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`Node ${process.version}, load average ${load()} (1 / 5 / 15 min)`);
  if (which !== 'server') {
    const database = await openPglite();
    try {
      await measure(database);
    } finally {
      await database.close();
    }
  }
  if (which !== 'pglite') {
    const server = await startPostgresServer();
    if ('skipped' in server) {
      console.log(`\nPostgres server skipped: ${server.skipped}`);
      return;
    }
    const stop = () => server.stop();
    process.once('SIGINT', () => {
      stop();
      process.exit(130);
    });
    try {
      console.log(`\n${server.version}, fsync and synchronous_commit on (server defaults)`);
      const database = await openServer(server.url, workers + 2);
      try {
        await measure(database);
      } finally {
        await database.close();
      }
    } finally {
      stop();
    }
  }
  console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();
