/**
 * A hand-off becomes a ticket: a new one with SLA due times, or, when the conversation
 * already has one open, the customer's follow-up lands on it (urgency only goes up, a
 * ticket waiting for the customer opens again). One open ticket per conversation is a
 * unique index, so two messages racing in one conversation still make one ticket.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { defaultSlaTargets, slaDueTimes } from '../sla/sla-clock.js';
import type { ServiceHours } from '../sla/service-hours.js';
import { routeNewTicket } from '../teams/ticket-routing.js';
import type { TeamsConfig } from '../teams/teams.js';
import type { TriageResult } from '../triage/triage.js';
import type { Taxonomy } from '../triage/taxonomy.js';
import { upsertHandoffTicket } from './ticket.repository.js';

export interface HandoffInput {
  conversationId: string;
  messageId: string;
  result: TriageResult;
  subject: string;
  receivedAt: Date;
  /** The conversation's channel: teams may take only some channels. */
  channel: string;
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
  settings: { taxonomy: Taxonomy; serviceHours: ServiceHours; routing?: TeamsConfig },
): Promise<TicketOpened> {
  const { result } = input;
  const category = settings.taxonomy.categories.find(
    (candidate) => candidate.key === result.category,
  );
  const due = slaDueTimes(
    category?.sla ?? defaultSlaTargets,
    input.receivedAt,
    settings.serviceHours,
  );
  const evidence = result.matches.map((match) => ({ ...match }));
  const row = await upsertHandoffTicket(trx, {
    conversationId: input.conversationId,
    messageId: input.messageId,
    category: result.category,
    urgencyScore: result.urgency.score,
    urgencyLevel: result.urgency.level,
    reasons: [...result.urgency.reasons, ...result.decision.reasons],
    draft: result.reply.text || null,
    evidence,
    language: result.language,
    subject: input.subject,
    firstResponseDueAt: due.firstResponseDueAt,
    resolutionDueAt: due.resolutionDueAt,
    receivedAt: input.receivedAt,
  });
  // A new ticket goes to the team that takes it (and a member, when the file says so); a
  // follow-up keeps the team and assignee it has.
  if (row.created && settings.routing)
    await routeNewTicket(
      trx,
      row.id,
      { category: result.category, language: result.language, channel: input.channel },
      settings.routing,
    );
  return {
    id: row.id,
    created: row.created,
    firstResponseDueAt: new Date(row.firstResponseDueAt ?? due.firstResponseDueAt),
  };
}
