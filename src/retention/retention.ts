/**
 * The retention job: with RETENTION_DAYS set, text older than that many days is redacted,
 * not deleted. Messages, triage results (reply, quoted evidence, order and tracking numbers),
 * outbox payloads and audit details about the message lose their text; tickets their draft,
 * subject and quoted reasons, and their agent actions the draft, sent text and reason; quiet
 * conversations the customer's name. Rows, times, categories, scores and codes stay, so every
 * count and KPI over a past range comes out the same after the text is gone.
 *
 * Safe on any number of instances: each batch is claimed with SKIP LOCKED in one transaction,
 * and redacting is idempotent.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Database } from '../db/tables.js';
import type { Clock } from '../time/clock.js';
import {
  auditEntriesAbout,
  claimExpiredMessages,
  claimExpiredTickets,
  forgetCustomerNames,
  outboxRowsOfMessages,
  redactAgentActionTexts,
  redactMessageTexts,
  redactTicket,
  replaceAuditDetails,
  replaceOutboxPayload,
  replaceTriageResult,
  triageResultsOfMessages,
} from './retention.repository.js';
import {
  REDACTED,
  redactAuditDetails,
  redactOutboxPayload,
  redactReasonText,
  redactTriageResult,
} from './redaction.js';

export interface RetentionWorkerOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  /** Days text is kept; undefined: kept for good (the worker does nothing). */
  retentionDays: number | undefined;
  /** Time between passes. Default one hour (a day's granularity needs no more). */
  intervalMs?: number;
  /** Rows per transaction. Default 200. */
  batchSize?: number;
}

export interface RetentionCounts {
  messages: number;
  tickets: number;
  conversations: number;
}

export interface RetentionWorker {
  readonly retentionDays: number | undefined;
  /** One full pass: redacts everything past the period; returns how many of each. */
  runOnce(): Promise<RetentionCounts>;
  start(): void;
  stop(): Promise<void>;
}

const reasonsSchema = z.array(z.string());

export function createRetentionWorker(options: RetentionWorkerOptions): RetentionWorker {
  const { db, clock, logger, retentionDays } = options;
  const batchSize = options.batchSize ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  // A stop during a long pass (the first one may face years of backlog) ends it between batches.
  let stopRequested = false;

  /** One batch of messages and what repeats their text; returns how many messages. */
  async function redactMessageBatch(cutoff: Date, now: Date): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const ids = await claimExpiredMessages(trx, { cutoff, limit: batchSize });
      for (const row of await triageResultsOfMessages(trx, ids))
        await replaceTriageResult(trx, row.id, redactTriageResult(row.result));
      for (const row of await outboxRowsOfMessages(trx, ids)) {
        await replaceOutboxPayload(trx, row.id, {
          payload: redactOutboxPayload(row.payload),
          lastError: row.last_error === null ? null : REDACTED,
        });
      }
      for (const row of await auditEntriesAbout(trx, 'message', ids))
        await replaceAuditDetails(trx, row.id, redactAuditDetails(row.details));
      await redactMessageTexts(trx, ids, now);
      return ids.length;
    });
  }

  async function redactTicketBatch(cutoff: Date, now: Date): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const tickets = await claimExpiredTickets(trx, { cutoff, limit: batchSize });
      for (const ticket of tickets) {
        const reasons = reasonsSchema.parse(ticket.reasons).map(redactReasonText);
        await redactTicket(trx, ticket.id, { reasons, now });
      }
      const ids = tickets.map((ticket) => ticket.id);
      await redactAgentActionTexts(trx, ids);
      for (const row of await auditEntriesAbout(trx, 'ticket', ids))
        await replaceAuditDetails(trx, row.id, redactAuditDetails(row.details));
      return ids.length;
    });
  }

  async function runOnce(): Promise<RetentionCounts> {
    const counts: RetentionCounts = { messages: 0, tickets: 0, conversations: 0 };
    if (retentionDays === undefined) return counts;
    const now = clock.now();
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    for (let done = batchSize; done === batchSize && !stopRequested;) {
      done = await redactMessageBatch(cutoff, now);
      counts.messages += done;
    }
    for (let done = batchSize; done === batchSize && !stopRequested;) {
      done = await redactTicketBatch(cutoff, now);
      counts.tickets += done;
    }
    for (let done = batchSize; done === batchSize && !stopRequested;) {
      done = await forgetCustomerNames(db, { cutoff, limit: batchSize });
      counts.conversations += done;
    }
    if (counts.messages || counts.tickets || counts.conversations)
      logger.info(
        { ...counts, retentionDays },
        'retention: text past the retention period redacted',
      );
    return counts;
  }

  function schedule(delayMs: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error) => logger.error({ err: error }, 'retention pass failed'))
        .finally(() => schedule(options.intervalMs ?? 3_600_000));
    }, delayMs);
    timer.unref();
  }

  return {
    retentionDays,
    runOnce,
    start() {
      if (!stopped || retentionDays === undefined) return;
      stopped = false;
      stopRequested = false;
      // The first pass soon after start rather than an hour later, but not in start-up's rush.
      schedule(10_000);
    },
    async stop() {
      stopped = true;
      stopRequested = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
