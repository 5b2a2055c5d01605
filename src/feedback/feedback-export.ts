/**
 * The agents' decisions on drafts as feedback records (JSONL), for eval suites and for
 * retraining. Customer text is redacted here: the export leaves the process.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { redactPersonalData } from '../triage/pii.js';
import type { TriageResult } from '../triage/triage.js';
import { type FeedbackRecord, feedbackRecordSchema } from './feedback-record.js';

const decisions = { accept: 'accepted', edit: 'edited', reject: 'rejected' } as const;

export async function* feedbackRecords(db: Kysely<Database>, options: { since?: Date } = {}): AsyncGenerator<FeedbackRecord> {
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
    .orderBy('agent_actions.id');
  if (options.since) query = query.where('agent_actions.at', '>=', options.since);
  for (const row of await query.execute()) {
    const triage = row.result as TriageResult | null;
    yield feedbackRecordSchema.parse({
      ticketId: row.ticket_id,
      messageId: row.message_id,
      conversationId: row.conversation_id,
      channel: row.channel,
      language: row.language ?? triage?.language ?? 'und',
      customerText: redactPersonalData(row.text).text,
      category: triage?.category ?? null,
      correctedCategory: row.corrected_category,
      entryIds: triage?.reply.citations.length ? triage.reply.citations : (triage?.matches.slice(0, 1).map((match) => match.id) ?? []),
      draft: row.draft ?? '',
      decision: decisions[row.action as keyof typeof decisions],
      sentText: row.action === 'reject' ? null : row.sent_text,
      rejectReason: row.reason,
      editDistance: row.edit_distance,
      agentId: row.agent_id,
      at: new Date(row.at).toISOString(),
    });
  }
}
