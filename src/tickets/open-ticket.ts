/**
 * A hand-off becomes a ticket: a new one with SLA due times, or, when the conversation
 * already has one open, the customer's follow-up lands on it (urgency only goes up, a
 * ticket waiting for the customer opens again). One open ticket per conversation is a
 * unique index, so two messages racing in one conversation still make one ticket.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { defaultSlaTargets, slaDueTimes } from '../sla/sla-clock.js';
import type { ServiceHours } from '../sla/service-hours.js';
import type { TriageResult } from '../triage/triage.js';
import type { Taxonomy } from '../triage/taxonomy.js';

export interface HandoffInput {
  conversationId: string;
  messageId: string;
  result: TriageResult;
  subject: string;
  receivedAt: Date;
}

export interface TicketOpened {
  id: string;
  /** True when this message opened the ticket, false when it landed on an open one. */
  created: boolean;
  firstResponseDueAt: Date;
}

export async function openOrUpdateTicket(
  trx: Transaction<Database>,
  input: HandoffInput,
  settings: { taxonomy: Taxonomy; serviceHours: ServiceHours },
): Promise<TicketOpened> {
  const { result } = input;
  const category = settings.taxonomy.categories.find((candidate) => candidate.key === result.category);
  const due = slaDueTimes(category?.sla ?? defaultSlaTargets, input.receivedAt, settings.serviceHours);
  const evidence = result.matches.map((match) => ({ ...match }));
  const row = await trx
    .insertInto('tickets')
    .values({
      conversation_id: input.conversationId,
      message_id: input.messageId,
      category: result.category,
      urgency_score: result.urgency.score,
      urgency_level: result.urgency.level,
      reasons: JSON.stringify([...result.urgency.reasons, ...result.decision.reasons]),
      draft: result.reply.text || null,
      evidence: JSON.stringify(evidence),
      language: result.language,
      subject: input.subject,
      first_response_due_at: due.firstResponseDueAt,
      resolution_due_at: due.resolutionDueAt,
      last_customer_message_at: input.receivedAt,
      created_at: input.receivedAt,
      updated_at: input.receivedAt,
    })
    .onConflict((conflict) =>
      conflict
        .column('conversation_id')
        .where('status', 'in', ['open', 'pending_customer'])
        .doUpdateSet({
          status: 'open',
          urgency_score: sql`greatest(tickets.urgency_score, excluded.urgency_score)`,
          urgency_level: sql`case when excluded.urgency_score > tickets.urgency_score then excluded.urgency_level else tickets.urgency_level end`,
          reasons: sql`excluded.reasons`,
          draft: sql`coalesce(excluded.draft, tickets.draft)`,
          evidence: sql`excluded.evidence`,
          category: sql`coalesce(tickets.category, excluded.category)`,
          last_customer_message_at: sql`excluded.last_customer_message_at`,
          updated_at: sql`excluded.updated_at`,
          version: sql`tickets.version + 1`,
        }),
    )
    // xmax is 0 only on a row this statement inserted (an upsert that updated sets it).
    .returning(['id', 'first_response_due_at', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: Boolean(row.created), firstResponseDueAt: new Date(row.first_response_due_at ?? due.firstResponseDueAt) };
}
