/**
 * All SQL of satisfaction surveys: storing one when a ticket is solved, the survey a rating in a
 * conversation would answer, and recording the answer once. Functions take the database (or an
 * open transaction) first and return rows.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface SurveyInsert {
  ticketId: string;
  conversationId: string;
  messageId: string;
  language: string;
  sentAt: Date;
  expiresAt: Date;
}

export async function insertSurvey(db: Db, survey: SurveyInsert): Promise<{ id: string }> {
  return db
    .insertInto('csat_surveys')
    .values({
      ticket_id: survey.ticketId,
      conversation_id: survey.conversationId,
      message_id: survey.messageId,
      language: survey.language,
      sent_at: survey.sentAt,
      expires_at: survey.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The latest unanswered survey of the conversation that was open when `at` came. */
export async function pendingSurvey(db: Db, conversationId: string, at: Date) {
  return db
    .selectFrom('csat_surveys')
    .select(['id', 'ticket_id', 'language'])
    .where('conversation_id', '=', conversationId)
    .where('answered_at', 'is', null)
    .where('sent_at', '<=', at)
    .where('expires_at', '>=', at)
    .orderBy('sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Stores the answer unless the survey already has one; false when it had. */
export async function recordSurveyAnswer(
  db: Db,
  answer: { surveyId: string; rating: number; responseMessageId: string; at: Date },
): Promise<boolean> {
  const updated = await db
    .updateTable('csat_surveys')
    .set({
      rating: answer.rating,
      response_message_id: answer.responseMessageId,
      answered_at: answer.at,
    })
    .where('id', '=', answer.surveyId)
    .where('answered_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return Boolean(updated);
}

/** The survey this customer message answered, if it answered one. */
export async function surveyAnsweredBy(db: Db, messageId: string) {
  return db
    .selectFrom('csat_surveys')
    .select(['id', 'ticket_id', 'rating', 'conversation_id'])
    .where('response_message_id', '=', messageId)
    .executeTakeFirst();
}
