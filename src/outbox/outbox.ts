/**
 * The durable outbox: a reply is written in the same transaction as the message it
 * delivers, and a worker sends due rows through the channel port until the receiver
 * takes them. A row survives receiver outages and restarts; a delivered row is never
 * sent again, and every attempt carries the same delivery id for receivers to dedupe.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { appendAuditEntry } from '../audit/audit.repository.js';
import { type ChannelDirectory, DeliveryError } from '../channels/channel.js';
import type { Database } from '../db/tables.js';
import type { Clock } from '../time/clock.js';
import {
  claimDueDeliveries,
  insertDelivery,
  markDelivered,
  markFailed,
  type OutboundPayload,
  scheduleRetry,
} from './outbox.repository.js';

export type { OutboundPayload } from './outbox.repository.js';

/**
 * Queues a delivery; rows for a channel without an adapter are kept as `skipped`. A hand-off
 * is queued only for a channel whose adapter tells its agents about them (returns null otherwise).
 */
export async function enqueueDelivery(
  trx: Transaction<Database> | Kysely<Database>,
  payload: OutboundPayload,
  options: { channels: ChannelDirectory; now: Date },
): Promise<string | null> {
  const sender = options.channels(payload.channel);
  if (payload.type === 'conversation.handoff' && !sender?.handoff) return null;
  return insertDelivery(trx, {
    payload,
    status: sender ? 'pending' : 'skipped',
    now: options.now,
  });
}

export interface OutboxWorkerOptions {
  db: Kysely<Database>;
  channels: ChannelDirectory;
  clock: Clock;
  logger: Logger;
  /** How often to look for due rows. Default 1 s. */
  pollMs?: number;
  /** Attempts before a row is marked failed (and a human must look). Default 12 (~17 h). */
  maxAttempts?: number;
  /** Wait before attempt n+1 (n from 1). Default: 2^n seconds, capped at 4 h, with jitter. */
  backoffMs?: (attempt: number) => number;
  /** A claimed row is left alone this long (a crashed worker's claim then expires). */
  leaseMs?: number;
  batchSize?: number;
}

export interface OutboxWorker {
  /** One pass over due rows; returns how many were delivered. */
  deliverDue(): Promise<{ delivered: number; failed: number; retried: number }>;
  start(): void;
  stop(): Promise<void>;
}

export const defaultBackoffMs = (attempt: number) =>
  Math.min(2 ** attempt * 1000, 4 * 3_600_000) * (0.8 + Math.random() * 0.4);

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, channels, clock, logger } = options;
  const maxAttempts = options.maxAttempts ?? 12;
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  const leaseMs = options.leaseMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function deliverDue() {
    const counts = { delivered: 0, failed: 0, retried: 0 };
    // The lease makes claiming safe across processes.
    const rows = await claimDueDeliveries(db, {
      now: clock.now(),
      leaseMs,
      limit: options.batchSize ?? 20,
    });
    for (const row of rows) {
      const sender = channels(row.channel);
      const payload = row.payload;
      try {
        if (!sender) throw new DeliveryError(`no adapter for channel ${row.channel}`, false);
        if (payload.type === 'conversation.handoff') {
          if (!sender.handoff)
            throw new DeliveryError(`channel ${row.channel} takes no hand-offs`, false);
          await sender.handoff({ ...payload, deliveryId: row.id });
        } else {
          await sender.send({ ...payload, deliveryId: row.id });
        }
        await markDelivered(db, row.id, clock.now());
        counts.delivered++;
      } catch (error) {
        const message = (error as Error).message;
        const permanent = error instanceof DeliveryError && !error.retryable;
        const exhausted = row.attempts >= maxAttempts;
        if (permanent || exhausted) {
          await db.transaction().execute(async (trx) => {
            await markFailed(trx, row.id, message);
            await appendAuditEntry(trx, {
              actorType: 'system',
              actorId: 'outbox',
              action: 'delivery.failed',
              subjectType: 'message',
              subjectId: payload.messageId,
              details: { attempts: row.attempts, error: message },
              at: clock.now(),
            });
          });
          logger.error(
            { outboxId: row.id, attempts: row.attempts, error: message },
            'reply delivery failed for good',
          );
          counts.failed++;
        } else {
          const next = new Date(clock.now().getTime() + backoffMs(row.attempts));
          await scheduleRetry(db, row.id, { at: next, error: message });
          logger.warn(
            { outboxId: row.id, attempts: row.attempts, next: next.toISOString(), error: message },
            'reply delivery will be retried',
          );
          counts.retried++;
        }
      }
    }
    return counts;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = deliverDue()
        .catch((error) => logger.error({ err: error }, 'outbox pass failed'))
        .finally(schedule);
    }, options.pollMs ?? 1000);
    timer.unref();
  }

  return {
    deliverDue,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
