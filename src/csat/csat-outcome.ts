/**
 * What `POST /v1/messages?wait=` reports for a bare rating that answered a survey: the bot's
 * thanks as the reply (it answered alone, so `auto_reply`) and the rating; there is no triage
 * result, since the message was never triaged.
 */
import type { Kysely } from 'kysely';
import type { MessageOutcome } from '../conversations/message-contract.js';
import { botReplyTo } from '../conversations/message.repository.js';
import type { Database } from '../db/tables.js';
import { surveyAnsweredBy } from './csat.repository.js';

export async function csatAnswerOutcome(
  db: Kysely<Database>,
  messageId: string,
  duplicate: boolean,
): Promise<MessageOutcome | undefined> {
  const survey = await surveyAnsweredBy(db, messageId);
  if (!survey || survey.rating === null) return undefined;
  const thanks = await botReplyTo(db, messageId);
  return {
    messageId,
    conversationId: survey.conversation_id,
    status: 'processed',
    action: 'auto_reply',
    ...(thanks ? { reply: { messageId: thanks.id, text: thanks.text, citations: [] } } : {}),
    csat: { surveyId: survey.id, ticketId: survey.ticket_id, rating: survey.rating },
    duplicate,
  };
}
