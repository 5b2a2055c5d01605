/**
 * pg-boss 10 under the benchmark, used as the service would have to use it: the customer
 * message is stored and its job sent in one transaction (pg-boss's per-call `db` option on the
 * transaction's connection), so a crash cannot keep one without the other. Workers either use
 * `fetch` + `complete` in a loop of our own (the cost of pg-boss's SQL, comparable to our
 * claim loop) or `work` (pg-boss's own polling workers, as documented).
 */
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { BenchDatabase } from './bench-database.js';
import { resetQueueTables } from './bench-database.js';
import {
  type DrainResult,
  type Job,
  inConversationOrder,
  orderTracker,
  perJob,
  sleep,
  type TrickleResult,
} from './workload.js';

type JobData = { index: number };

/** pg-boss's `db` option: its SQL on one of our connections (or our pool). */
export const executeOn = (client: pg.Pool | pg.PoolClient): PgBoss.Db => ({
  executeSql: (text, values) => client.query(text, values),
});

/** pg-boss on the benchmark's database: through its `db` adapter on PGlite, its own pool on a server. */
export async function startBoss(database: BenchDatabase, workers: number): Promise<PgBoss> {
  const common = { supervise: false, schedule: false, migrate: true } as const;
  const boss = database.url
    ? new PgBoss({ ...common, connectionString: database.url, max: workers + 2 })
    : new PgBoss({ ...common, db: executeOn(database.pool) });
  boss.on('error', (error) => console.error(`pg-boss: ${error.message}`));
  await boss.start();
  return boss;
}

/** Stores each job's message and sends its job in one transaction; returns the rate. */
async function enqueue(
  database: BenchDatabase,
  boss: PgBoss,
  queue: string,
  jobs: Job[],
  senders: number,
  keyed: boolean,
): Promise<number> {
  const conversations = new Map<number, string>();
  const conversationId = (conversation: number) => {
    let id = conversations.get(conversation);
    if (!id) conversations.set(conversation, (id = randomUUID()));
    return id;
  };
  const start = performance.now();
  await inConversationOrder(jobs, senders, async (job) => {
    const client = await database.pool.connect();
    try {
      await client.query('begin');
      await client.query(
        `insert into messages (conversation_id, channel, external_message_id, direction, author,
           author_id, text, processing)
         values ($1, 'bench', $2, 'inbound', 'customer', $3, 'Where is my order?', 'triaged')`,
        [conversationId(job.conversation), `${queue}-${job.index}`, `c-${job.conversation}`],
      );
      await boss.send(
        queue,
        { index: job.index },
        {
          db: executeOn(client),
          ...(keyed ? { singletonKey: conversationId(job.conversation) } : {}),
        },
      );
      await client.query('commit');
    } finally {
      client.release();
    }
  });
  return jobs.length / ((performance.now() - start) / 1000);
}

/** W loops of fetch (batch), handle, complete: pg-boss's SQL without its polling. */
export async function drainFetch(
  database: BenchDatabase,
  boss: PgBoss,
  jobs: Job[],
  options: {
    workers: number;
    batchSize: number;
    policy: 'standard' | 'singleton';
    /** Time a job spends in its handler (triage stand-in); 0 measures the queue alone. */
    handlerMs?: number;
  },
): Promise<DrainResult> {
  const queue = `bench-fetch-${options.policy}-${options.batchSize}-${options.handlerMs ?? 0}`;
  await resetQueueTables(database);
  await boss.createQueue(queue, { name: queue, policy: options.policy });
  const wal = await database.walPosition();
  const enqueuePerSecond = await enqueue(
    database,
    boss,
    queue,
    jobs,
    options.workers,
    options.policy === 'singleton',
  );
  const tracker = orderTracker();
  const claimMs: number[] = [];
  let emptyClaims = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: options.workers }, async () => {
      while (tracker.done < jobs.length) {
        const before = performance.now();
        const fetched = await boss.fetch<JobData>(queue, { batchSize: options.batchSize });
        claimMs.push(performance.now() - before);
        if (fetched.length === 0) {
          emptyClaims++;
          await sleep(10);
          continue;
        }
        // A batch is handled one job after another, in the order pg-boss returned it.
        for (const { data } of fetched) {
          tracker.start(jobs[data.index]!);
          if (options.handlerMs) await sleep(options.handlerMs);
          tracker.finish(jobs[data.index]!);
        }
        await boss.complete(
          queue,
          fetched.map((job) => job.id),
        );
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const ordering = options.policy === 'singleton' ? 'singleton key = conversation' : 'no order';
  return {
    queue: `pg-boss: fetch+complete loop (batch ${options.batchSize}, ${ordering})`,
    enqueued: jobs.length,
    enqueuePerSecond,
    jobs: jobs.length,
    jobsPerSecond: jobs.length / seconds,
    claimMs,
    emptyClaims,
    orderBreaks: tracker.breaks,
    walBytesPerJob: perJob(await database.walBytesSince(wal), jobs.length),
  };
}

/** W of pg-boss's own `work` pollers (every 0.5 s, its minimum), stopped at `capMs`. */
export async function drainWork(
  database: BenchDatabase,
  boss: PgBoss,
  jobs: Job[],
  options: { workers: number; batchSize: number; capMs: number },
): Promise<DrainResult> {
  const queue = `bench-work-${options.batchSize}`;
  await resetQueueTables(database);
  await boss.createQueue(queue, { name: queue });
  const enqueuePerSecond = await enqueue(database, boss, queue, jobs, options.workers, false);
  const tracker = orderTracker();
  const start = performance.now();
  let last = start;
  for (let i = 0; i < options.workers; i++) {
    await boss.work<JobData>(
      queue,
      { batchSize: options.batchSize, pollingIntervalSeconds: 0.5 },
      async (fetched) => {
        for (const { data } of fetched) {
          tracker.start(jobs[data.index]!);
          tracker.finish(jobs[data.index]!);
        }
        last = performance.now();
      },
    );
  }
  while (tracker.done < jobs.length && performance.now() - start < options.capMs) await sleep(20);
  await boss.offWork(queue);
  const capped = tracker.done < jobs.length;
  return {
    queue: `pg-boss: work() (batch ${options.batchSize}, 0.5 s polling, no order)`,
    enqueued: jobs.length,
    enqueuePerSecond,
    jobs: tracker.done,
    jobsPerSecond: tracker.done / ((last - start) / 1000),
    claimMs: [],
    emptyClaims: NaN,
    orderBreaks: tracker.breaks,
    capped,
  };
}

/**
 * Pick-up latency of `work` (batch 1, 0.5 s polling) when a job is stored every
 * `intervalMs`; with `notify`, the sender wakes a worker in this process after each commit
 * (boss.notifyWorker), as our intake route wakes its workers.
 */
export async function trickleWork(
  database: BenchDatabase,
  boss: PgBoss,
  jobs: Job[],
  options: { workers: number; intervalMs: number; notify: boolean },
): Promise<TrickleResult> {
  const queue = `bench-trickle-${options.notify ? 'notify' : 'poll'}`;
  await resetQueueTables(database);
  await boss.createQueue(queue, { name: queue });
  const storedAt = new Map<number, number>();
  const pickupMs: number[] = [];
  const workerIds: string[] = [];
  for (let i = 0; i < options.workers; i++) {
    workerIds.push(
      await boss.work<JobData>(
        queue,
        { batchSize: 1, pollingIntervalSeconds: 0.5 },
        async (fetched) => {
          for (const { data } of fetched) {
            pickupMs.push(performance.now() - storedAt.get(data.index)!);
          }
        },
      ),
    );
  }
  for (const job of jobs) {
    // Overwritten at the commit; a worker that is faster than this continuation sees the start.
    storedAt.set(job.index, performance.now());
    await enqueue(database, boss, queue, [job], 1, false);
    storedAt.set(job.index, performance.now());
    if (options.notify) boss.notifyWorker(workerIds[job.index % workerIds.length]!);
    await sleep(options.intervalMs);
  }
  const deadline = Date.now() + 30_000;
  while (pickupMs.length < jobs.length && Date.now() < deadline) await sleep(20);
  await boss.offWork(queue);
  return {
    queue: `pg-boss: work() (batch 1, 0.5 s polling${options.notify ? ', notifyWorker after send' : ''})`,
    jobs: jobs.length,
    pickupMs,
  };
}
