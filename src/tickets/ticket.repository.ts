/**
 * All SQL of tickets and the agent actions on them: the queue, one ticket, the version claim
 * behind optimistic concurrency, the hand-off upsert, and "the open ticket of this
 * conversation". Functions take the database (or an open transaction) first and return rows.
 */
import { type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { AgentActionKind, Database, TicketsTable } from '../db/tables.js';
import { activeTicketStatuses, type TicketStatus } from './ticket-contract.js';
import { queueLevelOrder } from './ticket-urgency.js';

type Db = Kysely<Database> | Transaction<Database>;
export type TicketRow = Selectable<TicketsTable>;

/** The queue rank of `tickets.urgency_level` (0 first), from the urgency rules' `queueLevelOrder`. */
export const urgencyRankSql = sql<number>`case tickets.urgency_level ${sql.join(
  queueLevelOrder.map((level, rank) => sql`when ${sql.lit(level)} then ${sql.lit(rank)}`),
  sql` `,
)} else ${sql.lit(queueLevelOrder.length)} end`;

export async function findTicket(db: Db, id: string): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The open ticket of this conversation (open or waiting for the customer), if it has one. */
export async function findOpenTicket(
  db: Db,
  conversationId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('tickets')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('status', 'in', [...activeTicketStatuses])
    .executeTakeFirst();
}

/** Stops a ticket's first-response clock when a person answered on the channel's own platform. */
export async function recordFirstResponse(db: Db, ticketId: string, now: Date): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ first_responded_at: now, updated_at: now })
    .where('id', '=', ticketId)
    .where('first_responded_at', 'is', null)
    .execute();
}

/** The queue: most urgent level first, then the nearest due time (next SLA breach), then the oldest. */
export async function queueRows(
  db: Db,
  filter: { statuses: readonly TicketStatus[]; assignee?: string; limit: number },
): Promise<TicketRow[]> {
  const nextDue = sql<Date>`case when tickets.first_responded_at is null then tickets.first_response_due_at else tickets.resolution_due_at end`;
  let query = db.selectFrom('tickets').selectAll();
  query =
    filter.statuses.length === 1
      ? query.where('status', '=', filter.statuses[0]!)
      : query.where('status', 'in', [...filter.statuses]);
  if (filter.assignee) query = query.where('assignee', '=', filter.assignee);
  return query
    .orderBy(urgencyRankSql)
    .orderBy(nextDue, (order) => order.asc().nullsLast())
    .orderBy('created_at')
    .limit(filter.limit)
    .execute();
}

/**
 * Bumps the version when it is still the one the agent saw and the ticket is in one of
 * `allowed`; undefined otherwise (the caller reads the row to say which). The row stays
 * locked until the transaction ends.
 */
export async function claimTicketVersion(
  trx: Transaction<Database>,
  claim: { id: string; version: number; allowed: readonly TicketStatus[]; now: Date },
): Promise<TicketRow | undefined> {
  return trx
    .updateTable('tickets')
    .set({ version: sql`version + 1`, updated_at: claim.now })
    .where('id', '=', claim.id)
    .where('version', '=', claim.version)
    .where('status', 'in', [...claim.allowed])
    .returningAll()
    .executeTakeFirst();
}

export async function updateTicket(
  db: Db,
  id: string,
  changes: Updateable<TicketsTable>,
): Promise<void> {
  await db.updateTable('tickets').set(changes).where('id', '=', id).execute();
}

export interface HandoffTicketInsert {
  conversationId: string;
  messageId: string;
  category: string | null;
  urgencyScore: number;
  urgencyLevel: string;
  reasons: string[];
  draft: string | null;
  evidence: unknown[];
  language: string;
  subject: string;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  receivedAt: Date;
}

/**
 * A new ticket, or the follow-up merged into the conversation's open one (one open ticket per
 * conversation is a unique index, so racing messages still make one ticket): urgency only
 * goes up, a ticket waiting for the customer opens again. `created` is false on a merge.
 */
export async function upsertHandoffTicket(trx: Db, ticket: HandoffTicketInsert) {
  const row = await trx
    .insertInto('tickets')
    .values({
      conversation_id: ticket.conversationId,
      message_id: ticket.messageId,
      category: ticket.category,
      urgency_score: ticket.urgencyScore,
      urgency_level: ticket.urgencyLevel,
      reasons: JSON.stringify(ticket.reasons),
      draft: ticket.draft,
      evidence: JSON.stringify(ticket.evidence),
      language: ticket.language,
      subject: ticket.subject,
      first_response_due_at: ticket.firstResponseDueAt,
      resolution_due_at: ticket.resolutionDueAt,
      last_customer_message_at: ticket.receivedAt,
      // The escalation job looks at a new ticket on its next run (src/escalation/).
      escalation_check_at: ticket.receivedAt,
      created_at: ticket.receivedAt,
      updated_at: ticket.receivedAt,
    })
    .onConflict((conflict) =>
      conflict
        .column('conversation_id')
        .where('status', 'in', [...activeTicketStatuses])
        .doUpdateSet({
          status: 'open',
          // Urgency only goes up; the level is that of the higher score (a tie keeps the ticket's).
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
  return {
    id: row.id,
    created: Boolean(row.created),
    firstResponseDueAt: row.first_response_due_at,
  };
}

export interface AgentActionInsert {
  ticketId: string;
  agentId: string;
  action: AgentActionKind;
  draft: string | null;
  sentText: string | null;
  editDistance: number | null;
  reason: string | null;
  correctedCategory: string | null;
  sentMessageId: string | null;
  at: Date;
}

export async function insertAgentAction(db: Db, action: AgentActionInsert): Promise<void> {
  await db
    .insertInto('agent_actions')
    .values({
      ticket_id: action.ticketId,
      agent_id: action.agentId,
      action: action.action,
      draft: action.draft,
      sent_text: action.sentText,
      edit_distance: action.editDistance,
      reason: action.reason,
      corrected_category: action.correctedCategory,
      sent_message_id: action.sentMessageId,
      at: action.at,
    })
    .execute();
}

/** A ticket's history, oldest first. */
export async function agentActionsOf(db: Db, ticketId: string) {
  return db
    .selectFrom('agent_actions')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** How many times each of these actions was taken, over every ticket. */
export async function agentActionCounts(
  db: Db,
  actions: readonly AgentActionKind[],
): Promise<{ action: AgentActionKind; count: number }[]> {
  const rows = await db
    .selectFrom('agent_actions')
    .select(['action', (eb) => eb.fn.countAll<number>().as('count')])
    .where('action', 'in', [...actions])
    .groupBy('action')
    .execute();
  return rows.map((row) => ({ action: row.action, count: Number(row.count) }));
}

/** Tickets still waiting on the team (open or pending the customer), by urgency level. */
export async function activeTicketCountsByUrgency(
  db: Db,
): Promise<{ urgency: string; count: number }[]> {
  const rows = await db
    .selectFrom('tickets')
    .select(['urgency_level', (eb) => eb.fn.countAll<number>().as('count')])
    .where('status', 'in', [...activeTicketStatuses])
    .groupBy('urgency_level')
    .execute();
  return rows.map((row) => ({ urgency: row.urgency_level, count: Number(row.count) }));
}
