/**
 * Receiving a customer message: store it first, then triage it, then (in one transaction)
 * record the result with its consequence: a bot reply queued in the outbox, or a ticket.
 * The same `(channel, externalMessageId)` delivered again, even concurrently, gets the
 * same outcome: the unique constraints on messages, triage results and tickets decide
 * who does the work, not process memory, so it holds across processes too.
 */
import type { Kysely } from 'kysely';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { ChannelDirectory } from '../channels/channel.js';
import type { Database } from '../db/tables.js';
import { ApiError } from '../http/errors.js';
import { storeOutboundReply } from '../outbox/outbound-reply.js';
import type { ServiceHours } from '../sla/service-hours.js';
import { openOrUpdateTicket } from '../tickets/open-ticket.js';
import type { Clock } from '../time/clock.js';
import type { TriageEngine } from '../triage/engine.js';
import { handoffAcknowledgement } from '../triage/handoff-acknowledgement.js';
import { redactPersonalData } from '../triage/pii.js';
import { describeReason, reason } from '../triage/reasons.js';
import type { Taxonomy } from '../triage/taxonomy.js';
import type { TriageResult } from '../triage/triage.js';
import type { HistoryTurn } from '../triage/conversation-context.js';
import { conversationHistory } from './conversation-history.js';
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
}

export interface MessageIntake {
  receive(message: InboundMessage): Promise<MessageOutcome>;
  /** Triage stored messages whose processing was cut short (a crash); returns how many. */
  recoverUnprocessed(): Promise<number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const handedOver = reason('agent_handling');

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
  ): Promise<TriageResult> {
    try {
      return await options.triage.triage({ text, locale, channel, ...(history.length ? { history } : {}) }, { receivedAt });
    } catch (error) {
      // The message is stored; a broken step must still leave it with a human.
      logger.error({ err: error }, 'triage failed; handing the message off');
      return fallbackTriageResult(text, receivedAt, (error as Error).message, options.serviceHours);
    }
  }

  async function process(messageId: string, locale?: string): Promise<void> {
    const message = await db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select([
        'messages.id',
        'messages.text',
        'messages.channel',
        'messages.created_at',
        'messages.external_message_id',
        'conversations.id as conversation_id',
        'conversations.external_id as conversation_external_id',
        'conversations.customer_id',
        'conversations.status as conversation_status',
      ])
      .where('messages.id', '=', messageId)
      .executeTakeFirstOrThrow();
    const receivedAt = new Date(message.created_at);
    // The conversation so far: a follow-up ("还没到账", "still nothing") is read with it.
    const history = await conversationHistory(db, message.conversation_id, { id: message.id, createdAt: receivedAt });
    let result = await triageSafely(message.text, locale, message.channel, receivedAt, history);

    const openTicket = await db
      .selectFrom('tickets')
      .select('id')
      .where('conversation_id', '=', message.conversation_id)
      .where('status', 'in', ['open', 'pending_customer'])
      .executeTakeFirst();
    // A bare "谢谢" or "在吗" on an open ticket is kept with it and changes nothing there;
    // without a ticket it is answered briefly and never opens one, even after an agent's reply.
    const smallTalkOnTicket = Boolean(result.smallTalk && openTicket);
    if (smallTalkOnTicket) {
      const kept = reason('small_talk_on_ticket', { kind: result.smallTalk! });
      result = {
        ...result,
        decision: { action: 'handoff', reasons: [describeReason(kept)], details: [kept] },
        reply: { ...result.reply, text: '', kind: 'handoff_draft' },
        reasons: [...result.reasons, describeReason(kept)],
        details: [...(result.details ?? []), kept],
      };
    } else if (result.decision.action === 'auto_reply' && !result.smallTalk && (message.conversation_status === 'agent' || openTicket)) {
      result = {
        ...result,
        decision: {
          action: 'handoff',
          reasons: [...result.decision.reasons, describeReason(handedOver)],
          details: [...(result.decision.details ?? []), handedOver],
        },
        reply: { ...result.reply, kind: 'handoff_draft' },
        reasons: [...result.reasons, describeReason(handedOver)],
        details: [...(result.details ?? []), handedOver],
      };
    }

    await db.transaction().execute(async (trx) => {
      const stored = await trx
        .insertInto('triage_results')
        .values({
          message_id: messageId,
          category: result.category,
          action: result.decision.action,
          urgency_score: result.urgency.score,
          provider: result.provider,
          result: JSON.stringify(result),
          created_at: clock.now(),
        })
        .onConflict((conflict) => conflict.column('message_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!stored) return; // another worker finished this message first
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
        await trx.updateTable('triage_results').set({ ticket_id: openTicket!.id }).where('id', '=', stored.id).execute();
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
        await trx.updateTable('triage_results').set({ ticket_id: ticket.id }).where('id', '=', stored.id).execute();
        // The customer hears that a person has it and by when, once per ticket: a bot message
        // through the outbox, so it does not stop the agents' first-response clock.
        const category = options.taxonomy.categories.find((candidate) => candidate.key === result.category);
        if (ticket.created && category?.handoffAcknowledgement !== false) {
          await sendAsBot(
            'handoff-acknowledgement',
            handoffAcknowledgement({
              language: result.reply.language || result.language,
              dueAt: ticket.firstResponseDueAt,
              receivedAt,
              timezone: options.serviceHours.timezone,
              apologise: result.sentiment.label === 'negative' || result.category === 'complaint' || ['high', 'critical'].includes(result.urgency.level),
            }),
          );
        }
      }
      await trx.updateTable('messages').set({ processing: 'triaged' }).where('id', '=', messageId).execute();
      await trx
        .insertInto('audit_log')
        .values({
          actor_type: 'bot',
          actor_id: result.provider,
          action: result.decision.action === 'auto_reply' ? 'message.auto_reply' : 'message.handoff',
          subject_type: 'message',
          subject_id: messageId,
          details: JSON.stringify({ category: result.category, urgency: result.urgency.score, reasons: result.decision.reasons }),
          at: now,
        })
        .execute();
    });
  }

  async function outcome(messageId: string, duplicate: boolean): Promise<MessageOutcome> {
    const row = await db
      .selectFrom('triage_results')
      .innerJoin('messages', 'messages.id', 'triage_results.message_id')
      .leftJoin('tickets', 'tickets.id', 'triage_results.ticket_id')
      .select([
        'messages.conversation_id',
        'triage_results.action',
        'triage_results.result',
        'tickets.id as ticket_id',
        'tickets.status as ticket_status',
        'tickets.urgency_score',
        'tickets.urgency_level',
        'tickets.first_response_due_at',
        'tickets.resolution_due_at',
      ])
      .where('triage_results.message_id', '=', messageId)
      .executeTakeFirstOrThrow();
    const result = row.result as TriageResult;
    const base = { messageId, conversationId: row.conversation_id, action: result.decision.action, duplicate };
    if (row.action === 'auto_reply') {
      const reply = await db
        .selectFrom('messages')
        .select(['id', 'text'])
        .where('reply_to_message_id', '=', messageId)
        .where('author', '=', 'bot')
        .executeTakeFirstOrThrow();
      return { ...base, reply: { messageId: reply.id, text: reply.text, citations: result.reply.citations } };
    }
    if (!row.ticket_id) return base;
    // The hand-off acknowledgement, when one was sent for this message.
    const acknowledgement = await db
      .selectFrom('messages')
      .select(['id', 'text'])
      .where('reply_to_message_id', '=', messageId)
      .where('author', '=', 'bot')
      .executeTakeFirst();
    return {
      ...base,
      ...(acknowledgement ? { reply: { messageId: acknowledgement.id, text: acknowledgement.text, citations: [] } } : {}),
      ticket: {
        id: row.ticket_id,
        status: row.ticket_status!,
        urgency: { score: row.urgency_score!, level: row.urgency_level as TriageResult['urgency']['level'] },
        firstResponseDueAt: row.first_response_due_at ? new Date(row.first_response_due_at).toISOString() : null,
        resolutionDueAt: row.resolution_due_at ? new Date(row.resolution_due_at).toISOString() : null,
      },
    };
  }

  /** Takes over a message whose claim has expired; true when this caller now owns it. */
  async function reclaim(messageId: string): Promise<boolean> {
    const now = clock.now();
    const taken = await db
      .updateTable('messages')
      .set({ claimed_at: now })
      .where('id', '=', messageId)
      .where('processing', '=', 'received')
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claimed_at', '<', new Date(now.getTime() - claimTimeoutMs))]))
      .returning('id')
      .executeTakeFirst();
    return Boolean(taken);
  }

  async function awaitOutcome(messageId: string): Promise<MessageOutcome> {
    const deadline = Date.now() + duplicateWaitMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const state = await db.selectFrom('messages').select('processing').where('id', '=', messageId).executeTakeFirstOrThrow();
      if (state.processing === 'triaged') return outcome(messageId, true);
      if (await reclaim(messageId)) {
        await process(messageId);
        return outcome(messageId, true);
      }
      if (Date.now() > deadline) {
        throw new ApiError('unavailable', 'This message is stored and still being processed; deliver it again shortly for its outcome.');
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
        const conversation = await trx
          .insertInto('conversations')
          .values({
            channel: input.channel,
            external_id: input.conversationId,
            customer_id: input.customer.id,
            customer_name: input.customer.name ?? null,
            created_at: now,
            updated_at: now,
          })
          .onConflict((conflict) => conflict.columns(['channel', 'external_id']).doUpdateSet({ updated_at: now }))
          .returning('id')
          .executeTakeFirstOrThrow();
        const inserted = await trx
          .insertInto('messages')
          .values({
            conversation_id: conversation.id,
            channel: input.channel,
            external_message_id: input.externalMessageId,
            direction: 'inbound',
            author: 'customer',
            author_id: input.customer.id,
            text: input.text,
            sent_at: input.sentAt ?? null,
            processing: 'received',
            claimed_at: now,
            created_at: now,
          })
          .onConflict((conflict) => conflict.columns(['channel', 'external_message_id']).doNothing())
          .returning('id')
          .executeTakeFirst();
        return { conversation, inserted };
      });
      if (inserted) {
        await process(inserted.id, input.locale);
        return outcome(inserted.id, false);
      }
      const existing = await db
        .selectFrom('messages')
        .select(['id', 'conversation_id'])
        .where('channel', '=', input.channel)
        .where('external_message_id', '=', input.externalMessageId)
        .executeTakeFirstOrThrow();
      if (existing.conversation_id !== conversation.id) {
        throw new ApiError('conflict', `Message ${input.externalMessageId} was already received in another conversation of channel ${input.channel}.`);
      }
      return awaitOutcome(existing.id);
    }
  }

  async function recoverUnprocessed(): Promise<number> {
    {
      const stale = await db
        .selectFrom('messages')
        .select('id')
        .where('processing', '=', 'received')
        .where('claimed_at', '<', new Date(clock.now().getTime() - claimTimeoutMs))
        .orderBy('created_at')
        .limit(100)
        .execute();
      let recovered = 0;
      for (const { id } of stale) {
        if (!(await reclaim(id))) continue;
        await process(id);
        recovered++;
      }
      return recovered;
    }
  }
}
