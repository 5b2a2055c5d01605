/**
 * Receiving a customer message: it is stored (one transaction with its conversation) and
 * acknowledged; background workers (intake-workers.ts) triage it and record the outcome, an
 * automatic answer through the outbox or a ticket. A caller that wants the outcome inline asks
 * to wait for it, up to a cap. The same `(channel, externalMessageId)` delivered again, even
 * concurrently or to another instance, is recognised by the unique constraint on messages.
 * When the backlog of untriaged messages passes a bound, new messages are refused with a
 * retry time instead of queuing without end: the channel keeps them and delivers again.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ChannelDirectory } from '../channels/channel.js';
import type { Database } from '../db/tables.js';
import type { Notifications } from '../db/notifications.js';
import { BusyError, ConflictError } from '../errors/domain-errors.js';
import type { ServiceMetrics } from '../metrics/metrics.js';
import type { ServiceHours } from '../sla/service-hours.js';
import type { Clock } from '../time/clock.js';
import type { TriageEngine } from '../triage/engine.js';
import type { Taxonomy } from '../triage/taxonomy.js';
import { upsertConversation } from './conversation.repository.js';
import { createIntakeWorkers } from './intake-workers.js';
import type { InboundMessage, MessageAccepted, MessageOutcome } from './message-contract.js';
import { readMessageOutcome } from './message-outcome.js';
import { createMessageProcessor, type MessageProcessorOptions } from './message-processor.js';
import {
  findMessageByExternalId,
  insertInboundMessage,
  messageProcessing,
  releaseAllClaims,
  unprocessedBacklog,
} from './message.repository.js';

export interface MessageIntakeOptions {
  db: Kysely<Database>;
  triage: TriageEngine;
  taxonomy: Taxonomy;
  serviceHours: ServiceHours;
  channels: ChannelDirectory;
  clock: Clock;
  logger: Logger;
  /** A message claimed this long ago and still untriaged is taken over (its worker died). */
  claimTimeoutMs?: number;
  /** Background workers in this process. Default 4. */
  concurrency?: number;
  /** Untriaged messages past which new ones are refused (429). Default 2000. */
  maxBacklog?: number;
  /** How often idle workers look for work stored by other instances or left by a crash. */
  pollMs?: number;
  /** LISTEN/NOTIFY between instances on one database server (wake-ups only). */
  notifications?: Notifications;
  /** Counts received messages and stored decisions for /metrics. */
  metrics?: Pick<ServiceMetrics, 'messageReceived' | 'decisionMade'>;
  /** Satisfaction surveys: a bare rating answering one is stored, not triaged (src/csat/). */
  csat?: MessageProcessorOptions['csat'];
  /** Teams new tickets are routed to (knowledge-base/teams.yaml). */
  routing?: MessageProcessorOptions['routing'];
}

export type ReceiveResult =
  | { status: 'processed'; outcome: MessageOutcome }
  | { status: 'queued'; accepted: MessageAccepted };

export interface MessageIntake {
  /** Stores the message; with `waitMs`, waits that long at most for its outcome. */
  receive(message: InboundMessage, options?: { waitMs?: number }): Promise<ReceiveResult>;
  /**
   * Starts looking for work this process was not told about (other instances, a crash). With
   * `sole`, this process is the only one on the database (the embedded data folder is locked to
   * it), so claims left by an earlier run are released at once instead of after the timeout.
   */
  start(options?: { sole?: boolean }): Promise<void>;
  /** Stops taking work and waits for the messages in hand. */
  stop(): Promise<void>;
  /** Resolves when no message is being triaged here (tests and benchmarks). */
  idle(): Promise<void>;
  /** Untriaged messages and the arrival of the oldest. */
  backlog(): Promise<{ count: number; oldest: Date | null }>;
}

/** The backlog is read at most this often: under a burst every request would ask. */
const BACKLOG_CACHE_MS = 200;

export function createMessageIntake(options: MessageIntakeOptions): MessageIntake {
  const { db, clock } = options;
  const maxBacklog = options.maxBacklog ?? 2000;
  const process = createMessageProcessor(options);
  const notifications = options.notifications;
  // Receives in progress: workers wait for them, so a burst is acknowledged first and triaged
  // after (the backlog bound stops the burst from starving triage for long).
  let receiving = 0;
  let quiet: { promise: Promise<void>; resolve: () => void } | undefined;
  const receivesDone = () => quiet?.promise ?? Promise.resolve();
  const workers = createIntakeWorkers({
    db,
    clock,
    logger: options.logger,
    process,
    concurrency: options.concurrency ?? 4,
    claimTimeoutMs: options.claimTimeoutMs ?? 60_000,
    pollMs: options.pollMs ?? 1000,
    yieldTo: receivesDone,
    ...(notifications
      ? {
          subscribe: (wake: () => void) => notifications.listen('triage_messages', () => wake()),
        }
      : {}),
  });

  let backlogRead:
    { at: number; value: Promise<{ count: number; oldest: Date | null }> } | undefined;
  function cachedBacklog() {
    const now = Date.now();
    if (!backlogRead || now - backlogRead.at > BACKLOG_CACHE_MS)
      backlogRead = { at: now, value: unprocessedBacklog(db) };
    return backlogRead.value;
  }

  async function refuseWhenFull(): Promise<void> {
    const { count } = await cachedBacklog();
    if (count < maxBacklog) return;
    // How long this process needs to work off the excess at its recent pace (1-60 s).
    const rate = workers.drainRate();
    const seconds = rate > 0 ? Math.ceil((count - maxBacklog + 1) / rate) : 5;
    throw new BusyError(
      `${count} messages are waiting to be triaged (limit ${maxBacklog}); this one was not stored. Deliver it again after the Retry-After time.`,
      Math.min(60, Math.max(1, seconds)),
    );
  }

  /** Counts the caller among the receives in progress while `work` runs. */
  async function asReceive<T>(work: () => Promise<T>): Promise<T> {
    if (receiving++ === 0) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      quiet = { promise, resolve };
    }
    try {
      return await work();
    } finally {
      if (--receiving === 0) {
        quiet?.resolve();
        quiet = undefined;
      }
    }
  }

  /** Stores the message (or finds the earlier delivery); only this part goes before triage. */
  async function store(input: InboundMessage) {
    await refuseWhenFull();
    const now = clock.now();
    // One transaction: a message that cannot be stored leaves no empty conversation behind.
    const { conversation, inserted } = await db.transaction().execute(async (trx) => {
      const conversation = await upsertConversation(trx, {
        channel: input.channel,
        externalId: input.conversationId,
        customerId: input.customer.id,
        customerName: input.customer.name ?? null,
        now,
      });
      const inserted = await insertInboundMessage(trx, {
        conversationId: conversation.id,
        channel: input.channel,
        externalMessageId: input.externalMessageId,
        customerId: input.customer.id,
        text: input.text,
        sentAt: input.sentAt ?? null,
        locale: input.locale ?? null,
        now,
      });
      // Other instances' workers wake on commit.
      if (inserted && notifications) await notifications.notify(trx, 'triage_messages');
      return { conversation, inserted };
    });
    if (inserted) {
      options.metrics?.messageReceived(input.channel);
      workers.wake();
      return { conversationId: conversation.id, messageId: inserted.id, duplicate: false };
    }
    const existing = await findMessageByExternalId(db, input.channel, input.externalMessageId);
    if (existing.conversation_id !== conversation.id) {
      throw new ConflictError(
        `Message ${input.externalMessageId} was already received in another conversation of channel ${input.channel}.`,
      );
    }
    return { conversationId: conversation.id, messageId: existing.id, duplicate: true };
  }

  async function receive(
    input: InboundMessage,
    receiveOptions: { waitMs?: number } = {},
  ): Promise<ReceiveResult> {
    const { conversationId, messageId, duplicate } = await asReceive(() => store(input));
    const waitMs = receiveOptions.waitMs ?? 0;
    const triaged =
      waitMs > 0
        ? await workers.waitFor(messageId, Date.now() + waitMs)
        : duplicate && (await messageProcessing(db, messageId)) === 'triaged';
    if (triaged)
      return { status: 'processed', outcome: await readMessageOutcome(db, messageId, duplicate) };
    return {
      status: 'queued',
      accepted: { messageId, conversationId, status: 'queued', duplicate },
    };
  }

  return {
    receive,
    async start(startOptions = {}) {
      if (startOptions.sole) {
        const released = await releaseAllClaims(db);
        if (released)
          options.logger.warn(
            { count: released },
            'messages an earlier run was triaging when it stopped are triaged again',
          );
      }
      await workers.start();
    },
    stop: () => workers.stop(),
    idle: () => workers.idle(),
    backlog: () => unprocessedBacklog(db),
  };
}
