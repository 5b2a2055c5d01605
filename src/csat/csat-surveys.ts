/**
 * Customer satisfaction (CSAT): when an agent solves a ticket the customer is asked, through
 * their own channel and in the ticket's language, for a 1-5 rating (a bot message through the
 * outbox, in the solve's transaction). A message that is nothing but a rating, in that
 * conversation while the survey is open, is stored as the survey's answer and thanked instead
 * of being triaged as a new question. CSAT_SURVEY=off stops new surveys; answers to surveys
 * already sent are still taken.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAuditEntry } from '../audit/audit.repository.js';
import type { ChannelDirectory } from '../channels/channel.js';
import { findConversation } from '../conversations/conversation.repository.js';
import { lastInboundMessage, markTriaged } from '../conversations/message.repository.js';
import type { Database } from '../db/tables.js';
import { storeOutboundReply } from '../outbox/outbound-reply.js';
import type { Clock } from '../time/clock.js';
import { parseRating } from './csat-rating.js';
import { ratingThanks, surveyLanguage, surveyQuestion } from './csat-texts.js';
import {
  insertSurvey,
  pendingSurvey,
  recordSurveyAnswer,
  surveyAnsweredBy,
} from './csat.repository.js';

export interface CsatSurveyOptions {
  db: Kysely<Database>;
  channels: ChannelDirectory;
  clock: Clock;
  /** New surveys are sent (CSAT_SURVEY=on). */
  enabled: boolean;
  /** How long a survey takes answers (CSAT_SURVEY_WINDOW_HOURS). */
  windowHours: number;
}

/** The customer message as the intake's processor has it (message-repository's messageForTriage). */
export interface CustomerMessage {
  id: string;
  text: string;
  channel: string;
  created_at: Date | string;
  external_message_id: string | null;
  conversation_id: string;
  conversation_external_id: string;
  customer_id: string;
}

/** `recorded`: stored as this survey answer now; `taken`: another worker stored it; `none`: not an answer. */
export type SurveyAnswerOutcome = 'recorded' | 'taken' | 'none';

/** The author id of the bot's survey and thank-you messages. */
export const csatAuthorId = 'csat-survey';

export function createCsatSurveys(options: CsatSurveyOptions) {
  const { db } = options;
  const windowMs = options.windowHours * 3_600_000;

  return {
    /** Asks for a rating after a solve, in the solve's transaction (ticket.service.ts). */
    async afterSolve(
      trx: Transaction<Database>,
      ticket: { id: string; conversation_id: string; language: string | null },
      now: Date,
    ): Promise<void> {
      if (!options.enabled) return;
      const conversation = await findConversation(trx, ticket.conversation_id);
      if (!conversation) return;
      const language = surveyLanguage(ticket.language);
      const lastInbound = await lastInboundMessage(trx, ticket.conversation_id);
      const messageId = await storeOutboundReply(
        trx,
        {
          conversation: {
            id: conversation.id,
            channel: conversation.channel,
            externalId: conversation.external_id,
            customerId: conversation.customer_id,
          },
          inReplyTo: lastInbound
            ? { id: lastInbound.id, externalId: lastInbound.external_message_id }
            : null,
          author: 'bot',
          authorId: csatAuthorId,
          text: surveyQuestion(language),
        },
        { channels: options.channels, now },
      );
      await insertSurvey(trx, {
        ticketId: ticket.id,
        conversationId: conversation.id,
        messageId,
        language,
        sentAt: now,
        expiresAt: new Date(now.getTime() + windowMs),
      });
    },

    /**
     * Stores a bare rating as the answer of the conversation's open survey, thanks the
     * customer and marks the message done, in one transaction.
     */
    async takeAnswer(message: CustomerMessage): Promise<SurveyAnswerOutcome> {
      const rating = parseRating(message.text);
      if (rating === undefined) return 'none';
      const receivedAt = new Date(message.created_at);
      return db.transaction().execute(async (trx) => {
        const survey = await pendingSurvey(trx, message.conversation_id, receivedAt);
        const recorded =
          survey &&
          (await recordSurveyAnswer(trx, {
            surveyId: survey.id,
            rating,
            responseMessageId: message.id,
            at: receivedAt,
          }));
        if (!survey || !recorded)
          return (await surveyAnsweredBy(trx, message.id)) ? 'taken' : 'none';
        const now = options.clock.now();
        await storeOutboundReply(
          trx,
          {
            conversation: {
              id: message.conversation_id,
              channel: message.channel,
              externalId: message.conversation_external_id,
              customerId: message.customer_id,
            },
            inReplyTo: { id: message.id, externalId: message.external_message_id },
            author: 'bot',
            authorId: csatAuthorId,
            text: ratingThanks(survey.language === 'zh' ? 'zh' : 'en', rating),
          },
          { channels: options.channels, now },
        );
        await markTriaged(trx, message.id);
        await appendAuditEntry(trx, {
          actorType: 'bot',
          actorId: csatAuthorId,
          action: 'csat.answer',
          subjectType: 'ticket',
          subjectId: survey.ticket_id,
          details: { surveyId: survey.id, rating, messageId: message.id },
          at: now,
        });
        return 'recorded';
      });
    },
  };
}

export type CsatSurveys = ReturnType<typeof createCsatSurveys>;
