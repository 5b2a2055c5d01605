/**
 * Our own database queues under the benchmark, through the service's own functions: the
 * intake (a stored customer message is the job: insertInboundMessage, claimNextMessage,
 * markTriaged; the trickle run uses createIntakeWorkers itself) and the outbox
 * (insertDelivery, claimDueDeliveries in batches, markDelivered).
 */
import { randomUUID } from 'node:crypto';
import {
  claimNextMessage,
  insertInboundMessage,
  markTriaged,
} from '../../src/conversations/message.repository.js';
import { createIntakeWorkers } from '../../src/conversations/intake-workers.js';
import {
  claimDueDeliveries,
  insertDelivery,
  markDelivered,
} from '../../src/outbox/outbox.repository.js';
import { claimHeadOfConversation } from './head-claim.js';
import { silentLogger } from '../../src/testing/logger.js';
import { systemClock } from '../../src/time/clock.js';
import { type BenchDatabase, resetQueueTables } from './bench-database.js';
import {
  type DrainResult,
  type Job,
  inConversationOrder,
  inParallel,
  orderTracker,
  perJob,
  sleep,
  type TrickleResult,
} from './workload.js';

const claimTimeoutMs = 60_000;

function conversationIds() {
  const ids = new Map<number, string>();
  return (conversation: number) => {
    let id = ids.get(conversation);
    if (!id) ids.set(conversation, (id = randomUUID()));
    return id;
  };
}

/** Stores the jobs as customer messages; returns message id -> job. */
async function storeMessages(
  database: BenchDatabase,
  jobs: Job[],
  senders: number,
  createdAt: (job: Job) => Date,
): Promise<Map<string, Job>> {
  const conversationId = conversationIds();
  const byId = new Map<string, Job>();
  await inConversationOrder(jobs, senders, async (job) => {
    const row = await insertInboundMessage(database.db, {
      conversationId: conversationId(job.conversation),
      channel: 'bench',
      externalMessageId: `m-${job.index}`,
      customerId: `c-${job.conversation}`,
      text: 'Where is my order?',
      sentAt: null,
      locale: null,
      now: createdAt(job),
    });
    byId.set(row!.id, job);
  });
  return byId;
}

export interface IntakeDrainOptions {
  workers: number;
  /** The service's claim, or the variant in head-claim.ts. */
  claim?: 'service' | 'head';
  /** Triaged messages stored and analyzed before the burst (0: a new table, no statistics). */
  history?: number;
  /** Time a job spends in its handler (triage stand-in); 0 measures the queue alone. */
  handlerMs?: number;
  /** Stop after this long even if jobs are left. */
  capMs?: number;
}

/** The intake queue: enqueue every job, then W workers claim and mark triaged until empty. */
export async function drainIntake(
  database: BenchDatabase,
  jobs: Job[],
  options: IntakeDrainOptions,
): Promise<DrainResult> {
  const { workers, handlerMs = 0, capMs = Infinity } = options;
  const claim = options.claim === 'head' ? claimHeadOfConversation : claimNextMessage;
  await resetQueueTables(database, { history: options.history });
  const wal = await database.walPosition();
  // Distinct creation times in enqueue order (the claim orders by created_at, then id).
  const base = Date.now() - jobs.length;
  const enqueueStart = performance.now();
  const byId = await storeMessages(database, jobs, workers, (job) => new Date(base + job.index));
  const enqueueSeconds = (performance.now() - enqueueStart) / 1000;

  const tracker = orderTracker();
  const claimMs: number[] = [];
  let emptyClaims = 0;
  const start = performance.now();
  const running = () => tracker.done < jobs.length && performance.now() - start < capMs;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (running()) {
        const now = new Date();
        const before = performance.now();
        const claimed = await claim(database.db, {
          now,
          staleBefore: new Date(now.getTime() - claimTimeoutMs),
        });
        claimMs.push(performance.now() - before);
        if (!claimed) {
          emptyClaims++;
          await sleep(10);
          continue;
        }
        const job = byId.get(claimed.id)!;
        tracker.start(job);
        if (handlerMs > 0) await sleep(handlerMs);
        tracker.finish(job);
        await markTriaged(database.db, claimed.id);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const capped = tracker.done < jobs.length;
  const sql = options.claim === 'head' ? 'head sub-select, not in the service' : 'service SQL';
  const statistics = options.history ? 'statistics from a quiet queue' : 'no statistics';
  return {
    queue: `ours: intake claim (${sql}; ${statistics})`,
    enqueued: jobs.length,
    enqueuePerSecond: jobs.length / enqueueSeconds,
    jobs: tracker.done,
    jobsPerSecond: tracker.done / seconds,
    claimMs,
    emptyClaims,
    orderBreaks: tracker.breaks,
    walBytesPerJob: capped ? undefined : perJob(await database.walBytesSince(wal), jobs.length),
    capped,
  };
}

/** The outbox: W workers lease due rows in batches and mark each delivered. */
export async function drainOutbox(
  database: BenchDatabase,
  jobs: Job[],
  workers: number,
  batchSize: number,
): Promise<DrainResult> {
  await resetQueueTables(database);
  const wal = await database.walPosition();
  const enqueueStart = performance.now();
  await inParallel(jobs.length, workers, async (index) => {
    const now = new Date();
    await insertDelivery(database.db, {
      payload: {
        type: 'message.outbound',
        messageId: randomUUID(),
        channel: 'bench',
        conversationId: `conversation-${jobs[index]!.conversation}`,
        customerId: 'customer',
        inReplyTo: null,
        author: 'bot',
        text: 'Your order left the warehouse today.',
        createdAt: now.toISOString(),
      },
      status: 'pending',
      now,
    });
  });
  const enqueueSeconds = (performance.now() - enqueueStart) / 1000;

  const claimMs: number[] = [];
  let delivered = 0;
  let emptyClaims = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (delivered < jobs.length) {
        const before = performance.now();
        const rows = await claimDueDeliveries(database.db, {
          now: new Date(),
          leaseMs: 60_000,
          limit: batchSize,
        });
        claimMs.push(performance.now() - before);
        if (rows.length === 0) {
          emptyClaims++;
          await sleep(10);
          continue;
        }
        for (const row of rows) {
          await markDelivered(database.db, row.id, new Date());
          delivered++;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    queue: `ours: outbox lease (batch ${batchSize}, no order)`,
    enqueued: jobs.length,
    enqueuePerSecond: jobs.length / enqueueSeconds,
    jobs: jobs.length,
    jobsPerSecond: jobs.length / seconds,
    claimMs,
    emptyClaims,
    orderBreaks: NaN,
    walBytesPerJob: perJob(await database.walBytesSince(wal), jobs.length),
  };
}

/**
 * Pick-up latency of the service's intake workers: a message is stored every `intervalMs`
 * and the workers are woken in this process, as the intake route wakes them.
 */
export async function trickleIntake(
  database: BenchDatabase,
  jobs: Job[],
  { workers, intervalMs }: { workers: number; intervalMs: number },
): Promise<TrickleResult> {
  await resetQueueTables(database);
  const storedAt = new Map<number, number>();
  const byId = new Map<string, Job>();
  const pickupMs: number[] = [];
  const intake = createIntakeWorkers({
    db: database.db,
    clock: systemClock,
    logger: silentLogger(),
    concurrency: workers,
    claimTimeoutMs,
    pollMs: 1000,
    async process(messageId) {
      const pickedAt = performance.now();
      // A worker faster than the insert's continuation: find the job by the message's row.
      const job = byId.get(messageId) ?? jobs[await jobIndexOf(database, messageId)]!;
      pickupMs.push(pickedAt - storedAt.get(job.index)!);
      await markTriaged(database.db, messageId);
      return true;
    },
  });
  await intake.start();
  const conversationId = conversationIds();
  for (const job of jobs) {
    storedAt.set(job.index, performance.now());
    const row = await insertInboundMessage(database.db, {
      conversationId: conversationId(job.conversation),
      channel: 'bench',
      externalMessageId: `t-${job.index}`,
      customerId: `c-${job.conversation}`,
      text: 'Where is my order?',
      sentAt: null,
      locale: null,
      now: new Date(),
    });
    storedAt.set(job.index, performance.now());
    byId.set(row!.id, job);
    intake.wake();
    await sleep(intervalMs);
  }
  const deadline = Date.now() + 30_000;
  while (pickupMs.length < jobs.length && Date.now() < deadline) await sleep(20);
  await intake.stop();
  return { queue: 'ours: intake workers (wake in process, 1 s poll)', jobs: jobs.length, pickupMs };
}

async function jobIndexOf(database: BenchDatabase, messageId: string): Promise<number> {
  const row = await database.db
    .selectFrom('messages')
    .select('external_message_id')
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
  return Number(row.external_message_id!.slice('t-'.length));
}
