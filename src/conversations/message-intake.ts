/**
 * Receiving a customer message: store it first, then triage it, then (in one transaction)
 * record the result with its consequence: a bot reply queued in the outbox, or a ticket.
 * The same `(channel, externalMessageId)` delivered again, even concurrently, gets the
 * same outcome: the unique constraints on messages, triage results and tickets decide
 * who does the work, not process memory, so it holds across processes too.
 */
import type { Kysely } from 'kysely';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { ChannelDirectory } from '../channels/channel.js';
import { appendAuditEntry } from '../audit/audit.repository.js';
import type { Database } from '../db/tables.js';
import type { ServiceMetrics } from '../metrics/metrics.js';
import { ConflictError, UnavailableError } from '../errors/domain-errors.js';
import { storeOutboundReply } from '../outbox/outbound-reply.js';
import type { ServiceHours } from '../sla/service-hours.js';
import { openOrUpdateTicket } from '../tickets/open-ticket.js';
import { findOpenTicket } from '../tickets/ticket.repository.js';
import type { Clock } from '../time/clock.js';
import type { TriageEngine } from '../triage/engine.js';
import { handoffAcknowledgement } from '../triage/handoff-acknowledgement.js';
import { redactPersonalData } from '../triage/pii.js';
import type { Taxonomy } from '../triage/taxonomy.js';
import { type TriageResult, urgencyLevels } from '../triage/triage.js';
import type { HistoryTurn } from '../triage/conversation-context.js';
import { conversationHistory } from './conversation-history.js';
import { upsertConversation } from './conversation.repository.js';
import {
  botReplyTo,
  findMessageByExternalId,
  insertInboundMessage,
  markTriaged,
  messageForTriage,
  messageProcessing,
  reclaimMessage,
  staleMessageIds,
} from './message.repository.js';
import {
  insertTriageResult,
  linkTriageResultToTicket,
  triageOutcome,
} from './triage-result.repository.js';
import type { InboundMessage, MessageOutcome } from './message-contract.js';
import { fallbackTriageResult } from './fallback-result.js';

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
  /** How long a repeat delivery waits for the first one's outcome before answering 503. */
  duplicateWaitMs?: number;
  /**
   * Messages handled at once; more wait their turn in arrival order. Triage and the embedded
   * database share one thread, so admitting everyone at once only interleaves their steps
   * and lets some requests starve. Default 4.
   */
  concurrency?: number;
  /** Counts received messages and stored decisions for /metrics. */
  metrics?: Pick<ServiceMetrics, 'messageReceived' | 'decisionMade'>;
}

export interface MessageIntake {
  receive(message: InboundMessage): Promise<MessageOutcome>;
  /** Triage stored messages whose processing was cut short (a crash); returns how many. */
  recoverUnprocessed(): Promise<number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const urgencyLevelSchema = z.enum(urgencyLevels);

export function createMessageIntake(options: MessageIntakeOptions): MessageIntake {
  const { db, clock, logger } = options;
  const claimTimeoutMs = options.claimTimeoutMs ?? 60_000;
  const duplicateWaitMs = options.duplicateWaitMs ?? 30_000;
  const admit = pLimit(options.concurrency ?? 4);

  async function triageSafely(
    text: string,
    locale: string | undefined,
    channel: string,
    receivedAt: Date,
    history: HistoryTurn[] = [],
    conversation?: { agentHolds: boolean; openTicket: boolean },
  ): Promise<TriageResult> {
    try {
      return await options.triage.triage(
        { text, locale, channel, ...(history.length ? { history } : {}) },
        { receivedAt, conversation },
      );
    } catch (error) {
      // The message is stored; a broken step must still leave it with a human.
      logger.error({ err: error }, 'triage failed; handing the message off');
      return fallbackTriageResult(text, receivedAt, (error as Error).message, options.serviceHours);
    }
  }

  async function process(messageId: string, locale?: string): Promise<void> {
    const message = await messageForTriage(db, messageId);
    const receivedAt = new Date(message.created_at);
    // The conversation so far: a follow-up ("还没到账", "still nothing") is read with it.
    const history = await conversationHistory(db, message.conversation_id, {
      id: message.id,
      createdAt: receivedAt,
    });
    const openTicket = await findOpenTicket(db, message.conversation_id);
    // The policy (decide.ts) keeps the bot silent while an agent holds the conversation or a ticket
    // is open, and keeps a bare "谢谢" or "在吗" with that ticket.
    const conversation = {
      agentHolds: message.conversation_status === 'agent',
      openTicket: Boolean(openTicket),
    };
    const result = await triageSafely(
      message.text,
      locale,
      message.channel,
      receivedAt,
      history,
      conversation,
    );
    const smallTalkOnTicket = Boolean(
      result.smallTalk && openTicket && result.decision.action === 'handoff',
    );

    const stored = await db.transaction().execute(async (trx) => {
      const stored = await insertTriageResult(trx, messageId, result, clock.now());
      if (!stored) return false; // another worker finished this message first
      const now = clock.now();
      // The bot's messages in this conversation (an answer, or the hand-off acknowledgement) go
      // through the same outbox as agents' replies.
      const sendAsBot = (authorId: string, text: string) =>
        storeOutboundReply(
          trx,
          {
            conversation: {
              id: message.conversation_id,
              channel: message.channel,
              externalId: message.conversation_external_id,
              customerId: message.customer_id,
            },
            inReplyTo: { id: messageId, externalId: message.external_message_id },
            author: 'bot',
            authorId,
            text,
          },
          { channels: options.channels, now },
        );
      if (result.decision.action === 'auto_reply') {
        await sendAsBot(result.provider, result.reply.text);
      } else if (smallTalkOnTicket) {
        await linkTriageResultToTicket(trx, stored.id, openTicket!.id);
      } else {
        const ticket = await openOrUpdateTicket(
          trx,
          {
            conversationId: message.conversation_id,
            messageId,
            result,
            subject: redactPersonalData(message.text).text.slice(0, 120),
            receivedAt,
          },
          options,
        );
        await linkTriageResultToTicket(trx, stored.id, ticket.id);
        // The customer hears that a person has it and by when, once per ticket: a bot message
        // through the outbox, so it does not stop the agents' first-response clock.
        const category = options.taxonomy.categories.find(
          (candidate) => candidate.key === result.category,
        );
        if (ticket.created && category?.handoffAcknowledgement !== false) {
          await sendAsBot(
            'handoff-acknowledgement',
            handoffAcknowledgement({
              language: result.reply.language || result.language,
              dueAt: ticket.firstResponseDueAt,
              receivedAt,
              timezone: options.serviceHours.timezone,
              apologise:
                result.sentiment.label === 'negative' ||
                result.category === 'complaint' ||
                ['high', 'critical'].includes(result.urgency.level),
            }),
          );
        }
      }
      await markTriaged(trx, messageId);
      await appendAuditEntry(trx, {
        actorType: 'bot',
        actorId: result.provider,
        action: result.decision.action === 'auto_reply' ? 'message.auto_reply' : 'message.handoff',
        subjectType: 'message',
        subjectId: messageId,
        details: {
          category: result.category,
          urgency: result.urgency.score,
          reasons: result.decision.reasons,
        },
        at: now,
      });
      return true;
    });
    // Counted once committed: a rolled-back or lost race stored nothing.
    if (stored) options.metrics?.decisionMade('messages', result);
  }

  async function outcome(messageId: string, duplicate: boolean): Promise<MessageOutcome> {
    const row = await triageOutcome(db, messageId);
    const { result } = row;
    const base = {
      messageId,
      conversationId: row.conversation_id,
      action: result.decision.action,
      duplicate,
    };
    if (row.action === 'auto_reply') {
      const reply = await botReplyTo(db, messageId);
      if (!reply) throw new Error(`message ${messageId} was answered but its reply is missing`);
      return {
        ...base,
        reply: { messageId: reply.id, text: reply.text, citations: result.reply.citations },
      };
    }
    if (!row.ticket_id) return base;
    // The hand-off acknowledgement, when one was sent for this message.
    const acknowledgement = await botReplyTo(db, messageId);
    return {
      ...base,
      ...(acknowledgement
        ? { reply: { messageId: acknowledgement.id, text: acknowledgement.text, citations: [] } }
        : {}),
      ticket: {
        id: row.ticket_id,
        status: row.ticket_status!,
        urgency: { score: row.urgency_score!, level: urgencyLevelSchema.parse(row.urgency_level) },
        firstResponseDueAt: row.first_response_due_at
          ? new Date(row.first_response_due_at).toISOString()
          : null,
        resolutionDueAt: row.resolution_due_at
          ? new Date(row.resolution_due_at).toISOString()
          : null,
      },
    };
  }

  /** Takes over a message whose claim has expired; true when this caller now owns it. */
  async function reclaim(messageId: string): Promise<boolean> {
    const now = clock.now();
    return reclaimMessage(db, messageId, {
      now,
      claimedBefore: new Date(now.getTime() - claimTimeoutMs),
    });
  }

  async function awaitOutcome(messageId: string): Promise<MessageOutcome> {
    const deadline = Date.now() + duplicateWaitMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      if ((await messageProcessing(db, messageId)) === 'triaged') return outcome(messageId, true);
      if (await reclaim(messageId)) {
        await process(messageId);
        return outcome(messageId, true);
      }
      if (Date.now() > deadline) {
        throw new UnavailableError(
          'This message is stored and still being processed; deliver it again shortly for its outcome.',
        );
      }
      await sleep(wait);
    }
  }

  return {
    receive: (input) => admit(() => receive(input)),
    recoverUnprocessed,
  };

  async function receive(input: InboundMessage): Promise<MessageOutcome> {
    {
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
          now,
        });
        return { conversation, inserted };
      });
      if (inserted) {
        options.metrics?.messageReceived(input.channel);
        await process(inserted.id, input.locale);
        return outcome(inserted.id, false);
      }
      const existing = await findMessageByExternalId(db, input.channel, input.externalMessageId);
      if (existing.conversation_id !== conversation.id) {
        throw new ConflictError(
          `Message ${input.externalMessageId} was already received in another conversation of channel ${input.channel}.`,
        );
      }
      return awaitOutcome(existing.id);
    }
  }

  async function recoverUnprocessed(): Promise<number> {
    {
      const stale = await staleMessageIds(
        db,
        new Date(clock.now().getTime() - claimTimeoutMs),
        100,
      );
      let recovered = 0;
      for (const id of stale) {
        if (!(await reclaim(id))) continue;
        await process(id);
        recovered++;
      }
      return recovered;
    }
  }
}
