/**
 * Training threads: the trainings a start-up runs when the model cache has nothing for them (the
 * triage models, the entry model and its out-of-fold copies for the score calibration, the
 * answerability model) are independent, CPU-bound and seconds long each. On threads they run
 * side by side on the machine's cores, and beside the database's work on the main thread,
 * instead of one after another. A job is a plain function of plain data registered in
 * training-jobs.ts; the thread runs that same function, so its result is the one the calling
 * thread would have computed.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Threads for training: none on one core (a thread would only take turns with the main one). */
const THREADS = availableParallelism() > 1 ? Math.min(4, availableParallelism()) : 0;
/** A thread with nothing to do for this long is stopped (a start's trainings come in bursts). */
const IDLE_MS = 30_000;

interface Job {
  id: number;
  job: string;
  args: unknown;
  /** The same job on the calling thread, should the thread itself fail (not the job). */
  here(): unknown;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

interface TrainingThread {
  worker: Worker;
  ready: Promise<void>;
  busy: Job | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

const queue: Job[] = [];
const threads: TrainingThread[] = [];
let nextId = 1;
let threadLimit = THREADS;

/** Sets how many training threads may run (0: every job on the calling thread). For tests. */
export function setTrainingThreads(count: number): void {
  threadLimit = count;
}

/**
 * Runs `job(args)` on a training thread, or here when threads are off. `job` must be one of the
 * functions training-jobs.ts registers (found there by its name); `args` and its result must be
 * plain data (objects, arrays, typed arrays, Maps).
 */
export function inTrainingThread<Args, Result>(
  job: (args: Args) => Result,
  args: Args,
): Promise<Result> {
  if (threadLimit <= 0) return Promise.resolve().then(() => job(args));
  return new Promise<Result>((resolve, reject) => {
    queue.push({
      id: nextId++,
      job: job.name,
      args,
      here: () => job(args),
      resolve: resolve as (result: unknown) => void,
      reject,
    });
    dispatch();
  });
}

function dispatch(): void {
  while (queue.length) {
    let thread = threads.find((candidate) => !candidate.busy);
    if (!thread && threads.length < threadLimit) thread = startThread();
    if (!thread) return;
    const job = queue.shift()!;
    thread.busy = job;
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    // A busy thread keeps the process alive (its caller awaits it); an idle one does not.
    thread.worker.ref();
    const busyThread = thread;
    void thread.ready.then(() =>
      busyThread.worker.postMessage({ id: job.id, job: job.job, args: job.args }),
    );
  }
}

function startThread(): TrainingThread {
  const worker = new Worker(new URL('./training-thread.mjs', import.meta.url));
  let started!: () => void;
  const thread: TrainingThread = {
    worker,
    ready: new Promise<void>((resolve) => (started = resolve)),
    busy: undefined,
    idleTimer: undefined,
  };
  worker.on(
    'message',
    (message: { ready?: true; id?: number; result?: unknown; error?: string }) => {
      if (message.ready) return started();
      const job = thread.busy;
      if (!job || job.id !== message.id) return;
      thread.busy = undefined;
      if (message.error !== undefined) job.reject(new Error(`training thread: ${message.error}`));
      else job.resolve(message.result);
      idle(thread);
      dispatch();
    },
  );
  worker.on('error', () => broken(thread));
  worker.on('exit', () => {
    remove(thread);
    if (thread.busy) broken(thread);
  });
  threads.push(thread);
  return thread;
}

function idle(thread: TrainingThread): void {
  thread.worker.unref();
  thread.idleTimer = setTimeout(() => {
    remove(thread);
    void thread.worker.terminate();
  }, IDLE_MS);
  thread.idleTimer.unref();
}

/**
 * A thread that could not start or died (not a job that threw): its job and every later one run
 * on the calling thread. Slower, never wrong: the same functions compute the same results.
 */
function broken(thread: TrainingThread): void {
  const job = thread.busy;
  thread.busy = undefined;
  remove(thread);
  void thread.worker.terminate();
  threadLimit = 0;
  const waiting = [...(job ? [job] : []), ...queue.splice(0)];
  for (const each of waiting) {
    try {
      each.resolve(each.here());
    } catch (error) {
      each.reject(error as Error);
    }
  }
}

function remove(thread: TrainingThread): void {
  const index = threads.indexOf(thread);
  if (index >= 0) threads.splice(index, 1);
}
