/**
 * Triage of one stored customer message and its consequence, in one transaction: the triage
 * result with a bot reply queued in the outbox, or a ticket (with the hand-off
 * acknowledgement). Run by the intake's background workers; the unique constraint on triage
 * results decides who records a message when two workers raced for it.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ChannelDirectory } from '../channels/channel.js';
import { recordApprovedAnswerUse } from '../approved-answers/approved-answer.repository.js';
import { appendAuditEntry } from '../audit/audit.repository.js';
import type { CsatSurveys } from '../csat/csat-surveys.js';
import type { Database } from '../db/tables.js';
import type { ServiceMetrics } from '../metrics/metrics.js';
import { storeOutboundReply } from '../outbox/outbound-reply.js';
import { enqueueDelivery } from '../outbox/outbox.js';
import type { ServiceHours } from '../sla/service-hours.js';
import type { TeamsConfig } from '../teams/teams.js';
import { openOrUpdateTicket } from '../tickets/open-ticket.js';
import { findOpenTicket } from '../tickets/ticket.repository.js';
import type { Clock } from '../time/clock.js';
import type { HistoryTurn } from '../triage/conversation-context.js';
import type { TriageEngine } from '../triage/engine.js';
import { handoffAcknowledgement } from '../triage/handoff-acknowledgement.js';
import { redactPersonalData } from '../triage/pii.js';
import type { Taxonomy } from '../triage/taxonomy.js';
import type { TriageResult } from '../triage/triage.js';
import { conversationHistory } from './conversation-history.js';
import { fallbackTriageResult } from './fallback-result.js';
import { markTriaged, messageForTriage } from './message.repository.js';
import { insertTriageResult, linkTriageResultToTicket } from './triage-result.repository.js';

export interface MessageProcessorOptions {
  db: Kysely<Database>;
  triage: TriageEngine;
  taxonomy: Taxonomy;
  serviceHours: ServiceHours;
  channels: ChannelDirectory;
  clock: Clock;
  logger: Logger;
  metrics?: Pick<ServiceMetrics, 'decisionMade'>;
  /** Satisfaction surveys: a bare rating answering one is not triaged (src/csat/). */
  csat?: Pick<CsatSurveys, 'takeAnswer'>;
  /** Teams a new ticket is routed to (knowledge-base/teams.yaml); absent: no routing. */
  routing?: TeamsConfig;
}

/** Triages a stored message and records the outcome; false when another worker recorded it first. */
export type MessageProcessor = (messageId: string, locale?: string | null) => Promise<boolean>;

export function createMessageProcessor(options: MessageProcessorOptions): MessageProcessor {
  const { db, clock, logger } = options;

  async function triageSafely(
    text: string,
    locale: string | undefined,
    channel: string,
    receivedAt: Date,
    history: HistoryTurn[],
    conversation: { agentHolds: boolean; openTicket: boolean },
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

  return async function process(messageId, locale) {
    const message = await messageForTriage(db, messageId);
    // A message that is only a 1-5 rating while the conversation has an open satisfaction
    // survey (sent when its ticket was solved) is the survey's answer: csat-surveys.ts stores
    // it, thanks the customer and marks the message done. It is not a new question, so it
    // gets no triage result and no ticket; every other message goes on as before.
    if (options.csat) {
      const answer = await options.csat.takeAnswer(message);
      if (answer !== 'none') return answer === 'recorded';
    }
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
      locale ?? undefined,
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
        // Counted on the answer where the reply is stored, so a stateless /v1/triage never counts.
        if (result.approvedAnswer)
          await recordApprovedAnswerUse(trx, result.approvedAnswer.id, now);
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
            channel: message.channel,
          },
          options,
        );
        await linkTriageResultToTicket(trx, stored.id, ticket.id);
        // A platform with its own agents (Chatwoot) hears of a new ticket: a private note with
        // the evidence, labels and priority. Channels whose adapter takes no hand-offs get no row.
        if (ticket.created) {
          await enqueueDelivery(
            trx,
            {
              type: 'conversation.handoff',
              messageId,
              channel: message.channel,
              conversationId: message.conversation_external_id,
              customerId: message.customer_id,
              inReplyTo: message.external_message_id,
              ticketId: ticket.id,
              category: result.category,
              urgency: { score: result.urgency.score, level: result.urgency.level },
              reasons: [...result.urgency.reasons, ...result.decision.reasons],
              draft: result.reply.text || null,
              firstResponseDueAt: ticket.firstResponseDueAt.toISOString(),
              createdAt: now.toISOString(),
            },
            { channels: options.channels, now },
          );
        }
        // The customer hears that a person has it and by when, once per ticket: a bot message
        // through the outbox, so it does not stop the agents' first-response clock.
        const category = options.taxonomy.categories.find(
          (candidate) => candidate.key === result.category,
        );
        // Not while an agent holds the conversation (they answered on the platform or in the
        // console): the customer is talking to a person, and a bot notice in between reads oddly.
        if (
          ticket.created &&
          category?.handoffAcknowledgement !== false &&
          !conversation.agentHolds
        ) {
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
    return stored;
  };
}
