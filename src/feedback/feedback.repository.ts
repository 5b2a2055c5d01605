/**
 * All SQL of the feedback export: agents' decisions on drafts joined with the ticket, the
 * customer message, its conversation and its stored triage result (parsed with
 * `triageResultSchema`). Functions take the database (or an open transaction) first.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { triageResultSchema } from '../triage/triage.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Accept, edit and reject actions (the decisions on drafts), oldest first. */
export async function draftDecisionRows(db: Db, options: { since?: Date } = {}) {
  let query = db
    .selectFrom('agent_actions')
    .innerJoin('tickets', 'tickets.id', 'agent_actions.ticket_id')
    .innerJoin('messages', 'messages.id', 'tickets.message_id')
    .innerJoin('conversations', 'conversations.id', 'tickets.conversation_id')
    .leftJoin('triage_results', 'triage_results.message_id', 'tickets.message_id')
    .select([
      'agent_actions.id',
      'agent_actions.action',
      'agent_actions.agent_id',
      'agent_actions.draft',
      'agent_actions.sent_text',
      'agent_actions.edit_distance',
      'agent_actions.reason',
      'agent_actions.corrected_category',
      'agent_actions.at',
      'tickets.id as ticket_id',
      'tickets.language',
      'messages.id as message_id',
      'messages.text',
      'conversations.id as conversation_id',
      'conversations.channel',
      'triage_results.result',
    ])
    .where('agent_actions.action', 'in', ['accept', 'edit', 'reject'])
    // Past RETENTION_DAYS the words are gone ([redacted]): nothing left to learn from.
    .where('messages.redacted_at', 'is', null)
    .where('tickets.redacted_at', 'is', null)
    .orderBy('agent_actions.id');
  if (options.since) query = query.where('agent_actions.at', '>=', options.since);
  const rows = await query.execute();
  return rows.map((row) => ({
    ...row,
    result: row.result == null ? null : triageResultSchema.parse(row.result),
  }));
}
