/**
 * The intake's background workers: stored customer messages are the queue (no second copy to
 * keep consistent). A worker claims the next message in the database, triages it, and claims
 * again until none is left; per-conversation order and "one worker per message" hold across
 * workers and instances because the claim is decided by the database (claimNextMessage).
 * New messages wake the workers at once (in this process, and through a notification from
 * other instances); a slow poll finds what a notification missed and what a crashed worker
 * left claimed.
 */
import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/tables.js';
import type { Clock } from '../time/clock.js';
import { claimNextMessage, messageProcessing } from './message.repository.js';
import type { MessageProcessor } from './message-processor.js';

export interface IntakeWorkersOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  process: MessageProcessor;
  /** Workers in this process: more overlap waiting on an LLM; CPU work shares one thread. */
  concurrency: number;
  /** A message claimed this long ago and still untriaged is taken over (its worker died). */
  claimTimeoutMs: number;
  /** How often idle workers look for work nobody told them about. */
  pollMs: number;
  /**
   * Resolves when workers may take the next message: acknowledging new messages goes first,
   * since triage and the embedded database share one thread with the HTTP server.
   */
  yieldTo?: () => Promise<void>;
  /** Wake-ups from other instances (LISTEN); returns how to stop listening. */
  subscribe?: (wake: () => void) => Promise<() => Promise<void>>;
}

export interface IntakeWorkers {
  /** New work may be waiting: start a worker if one is free. */
  wake(): void;
  /** Starts polling (and listening) for work stored elsewhere or left by a crash. */
  start(): Promise<void>;
  /** Stops claiming and waits for the messages in hand. */
  stop(): Promise<void>;
  /** Resolves true once the message is triaged (here or elsewhere), false at the deadline. */
  waitFor(messageId: string, deadline: number): Promise<boolean>;
  /** Messages this process triaged per second, over the last ones (for Retry-After). */
  drainRate(): number;
  /** Resolves when no worker is busy (tests and benchmarks). */
  idle(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createIntakeWorkers(options: IntakeWorkersOptions): IntakeWorkers {
  const { db, clock, logger } = options;
  const done = new EventEmitter();
  // Every waiting request listens; there can be hundreds.
  done.setMaxListeners(0);
  const running = new Set<Promise<void>>();
  const finishedAt: number[] = [];
  let stopped = false;
  let started = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;

  async function claim() {
    const now = clock.now();
    return claimNextMessage(db, {
      now,
      staleBefore: new Date(now.getTime() - options.claimTimeoutMs),
    });
  }

  async function work(): Promise<void> {
    while (!stopped) {
      await options.yieldTo?.();
      if (stopped) return;
      const next = await claim();
      if (!next) return;
      // There was work: another worker may find more.
      wake();
      try {
        await options.process(next.id, next.locale);
      } catch (error) {
        // Left claimed: after the claim timeout a worker here or elsewhere tries it again.
        logger.error({ err: error, messageId: next.id }, 'processing a stored message failed');
      } finally {
        finishedAt.push(Date.now());
        if (finishedAt.length > 200) finishedAt.shift();
        done.emit(next.id);
      }
    }
  }

  function wake(): void {
    if (stopped || running.size >= options.concurrency) return;
    const worker = work()
      .catch((error) => logger.error({ err: error }, 'intake worker stopped on an error'))
      .finally(() => running.delete(worker));
    running.add(worker);
  }

  function poll(): void {
    if (stopped) return;
    wake();
    pollTimer = setTimeout(poll, options.pollMs);
    pollTimer.unref();
  }

  return {
    wake,
    async start() {
      if (started || stopped) return;
      started = true;
      if (options.subscribe) unsubscribe = await options.subscribe(wake);
      poll();
    },
    async stop() {
      stopped = true;
      clearTimeout(pollTimer);
      await unsubscribe?.();
      await Promise.all(running);
    },
    async waitFor(messageId, deadline) {
      for (;;) {
        if ((await messageProcessing(db, messageId)) === 'triaged') return true;
        const left = deadline - Date.now();
        if (left <= 0) return false;
        // Woken by this process's worker at once; a message another instance has is polled for.
        let onDone: (() => void) | undefined;
        await Promise.race([
          new Promise<void>((resolve) => done.once(messageId, (onDone = resolve))),
          sleep(Math.min(left, 250)),
        ]);
        if (onDone) done.off(messageId, onDone);
      }
    },
    drainRate() {
      if (finishedAt.length < 2) return 0;
      const seconds = (Date.now() - finishedAt[0]!) / 1000;
      return seconds > 0 ? finishedAt.length / seconds : 0;
    },
    async idle() {
      while (running.size) await Promise.all(running);
    },
  };
}
