/**
 * The agents' decisions on drafts as feedback records (JSONL), for eval suites and for
 * retraining. Customer text is redacted here: the export leaves the process.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { redactPersonalData } from '../triage/pii.js';
import { draftDecisionRows } from './feedback.repository.js';
import { type FeedbackRecord, feedbackRecordSchema } from './feedback-record.js';

const decisions = { accept: 'accepted', edit: 'edited', reject: 'rejected' } as const;

export async function* feedbackRecords(
  db: Kysely<Database>,
  options: { since?: Date } = {},
): AsyncGenerator<FeedbackRecord> {
  for (const row of await draftDecisionRows(db, options)) {
    const triage = row.result;
    yield feedbackRecordSchema.parse({
      ticketId: row.ticket_id,
      messageId: row.message_id,
      conversationId: row.conversation_id,
      channel: row.channel,
      language: row.language ?? triage?.language ?? 'und',
      customerText: redactPersonalData(row.text).text,
      category: triage?.category ?? null,
      correctedCategory: row.corrected_category,
      entryIds: triage?.reply.citations.length
        ? triage.reply.citations
        : (triage?.matches.slice(0, 1).map((match) => match.id) ?? []),
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
