/** What became of a triaged customer message, as `POST /v1/messages` reports it. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { csatAnswerOutcome } from '../csat/csat-outcome.js';
import type { Database } from '../db/tables.js';
import { urgencyLevels } from '../triage/triage.js';
import type { MessageOutcome } from './message-contract.js';
import { botReplyTo } from './message.repository.js';
import { triageOutcome } from './triage-result.repository.js';

const urgencyLevelSchema = z.enum(urgencyLevels);

export async function readMessageOutcome(
  db: Kysely<Database>,
  messageId: string,
  duplicate: boolean,
): Promise<MessageOutcome> {
  // A bare rating answering a satisfaction survey was stored as its answer, not triaged.
  const answer = await csatAnswerOutcome(db, messageId, duplicate);
  if (answer) return answer;
  const row = await triageOutcome(db, messageId);
  const { result } = row;
  const base = {
    messageId,
    conversationId: row.conversation_id,
    status: 'processed' as const,
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
      resolutionDueAt: row.resolution_due_at ? new Date(row.resolution_due_at).toISOString() : null,
    },
  };
}
