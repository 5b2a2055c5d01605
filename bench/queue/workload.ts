/**
 * The queue benchmark's workload and bookkeeping, shared by every queue under test: the jobs
 * (customer messages of conversations, written in bursts), a tracker that counts order breaks
 * within a conversation, and the figures of one run.
 */

export interface Job {
  /** Position in the enqueue order. */
  index: number;
  conversation: number;
  /** The message's place within its conversation (0, 1, ...). */
  seq: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so every queue gets the same jobs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` jobs, `perConversation` per conversation. Customers write in bursts: the jobs come
 * in blocks of ten conversations whose messages are shuffled together, so a conversation's
 * messages sit a few places apart in the queue (in order among themselves).
 */
export function makeJobs(count: number, perConversation = 5): Job[] {
  const next = random(14);
  const jobs: Job[] = [];
  const block = 10 * perConversation;
  for (let start = 0; start < count; start += block) {
    const size = Math.min(block, count - start);
    const slots: number[] = [];
    for (let i = 0; i < size; i++) slots.push(Math.floor((start + i) / perConversation));
    for (let i = slots.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [slots[i], slots[j]] = [slots[j]!, slots[i]!];
    }
    for (const conversation of slots) jobs.push({ index: jobs.length, conversation, seq: 0 });
  }
  const written = new Map<number, number>();
  for (const job of jobs) {
    job.seq = written.get(job.conversation) ?? 0;
    written.set(job.conversation, job.seq + 1);
  }
  return jobs;
}

/**
 * Counts order breaks: a job that starts while an earlier message of its conversation is not
 * finished (still waiting or still in a worker's hands).
 */
export function orderTracker() {
  const finished = new Map<number, Set<number>>();
  const firstUnfinished = new Map<number, number>();
  let breaks = 0;
  let started = 0;
  let done = 0;
  return {
    start(job: Pick<Job, 'conversation' | 'seq'>) {
      started++;
      if (job.seq > (firstUnfinished.get(job.conversation) ?? 0)) breaks++;
    },
    finish(job: Pick<Job, 'conversation' | 'seq'>) {
      done++;
      const set = finished.get(job.conversation) ?? new Set<number>();
      set.add(job.seq);
      finished.set(job.conversation, set);
      let first = firstUnfinished.get(job.conversation) ?? 0;
      while (set.has(first)) first++;
      firstUnfinished.set(job.conversation, first);
    },
    get breaks() {
      return breaks;
    },
    get started() {
      return started;
    },
    get done() {
      return done;
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One queue's run: enqueue, then drain by W workers. */
export interface DrainResult {
  queue: string;
  enqueued: number;
  enqueuePerSecond: number;
  /** Jobs done (all of them unless capped). */
  jobs: number;
  jobsPerSecond: number;
  /** Milliseconds of the claim (fetch) query, when the loop is ours to time. */
  claimMs: number[];
  /** Claims or fetches that found nothing claimable while jobs were left. */
  emptyClaims: number;
  orderBreaks: number;
  /** WAL written per job, enqueue to done (undefined where the database cannot tell). */
  walBytesPerJob?: number;
  /** Stopped at the time cap before the queue was empty. */
  capped?: boolean;
}

/** Pick-up latency under a steady arrival rate: stored (committed) to handler start. */
export interface TrickleResult {
  queue: string;
  jobs: number;
  pickupMs: number[];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` `count` times with up to `concurrency` at once. */
export async function inParallel(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

export function perJob(total: number | undefined, jobs: number): number | undefined {
  return total === undefined ? undefined : total / jobs;
}

/**
 * Runs `work` for every job with up to `concurrency` at once, but a conversation's jobs one
 * after another, as a channel delivers one customer's messages: concurrent senders could
 * otherwise commit a conversation's messages out of order, and no queue could keep an order
 * it was never given.
 */
export async function inConversationOrder(
  jobs: Job[],
  concurrency: number,
  work: (job: Job) => Promise<void>,
): Promise<void> {
  const previous = new Map<number, Promise<void>>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const before = previous.get(job.conversation);
        const done = (async () => {
          await before;
          await work(job);
        })();
        previous.set(job.conversation, done);
        await done;
      }
    }),
  );
}
