/**
 * All SQL of SLA escalation: claiming the open tickets due for a look (row locks, skipped by
 * other instances), the steps a ticket already took, recording a step (unique per ticket,
 * clock and level), raising the ticket, and the webhook outbox kept on the escalation rows.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, TicketEscalationsTable } from '../db/tables.js';
import type { TicketRow } from '../tickets/ticket.repository.js';
import type { SlaClock } from './escalation-plan.js';

type Db = Kysely<Database> | Transaction<Database>;
export type EscalationRow = Selectable<TicketEscalationsTable>;

/**
 * Open tickets whose next step may be due, locked until the transaction ends; rows another
 * instance holds (or an agent is changing) are skipped, not waited for.
 */
export async function claimTicketsToCheck(
  trx: Transaction<Database>,
  claim: { now: Date; limit: number },
): Promise<TicketRow[]> {
  return trx
    .selectFrom('tickets')
    .selectAll()
    .where('status', '=', 'open')
    .where('escalation_check_at', '<=', claim.now)
    .orderBy('escalation_check_at')
    .limit(claim.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Steps taken per ticket, as `clock:level`. */
export async function takenSteps(
  db: Db,
  ticketIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const taken = new Map<string, Set<string>>();
  if (ticketIds.length === 0) return taken;
  const rows = await db
    .selectFrom('ticket_escalations')
    .select(['ticket_id', 'clock', 'level'])
    .where('ticket_id', 'in', [...ticketIds])
    .execute();
  for (const row of rows) {
    const set = taken.get(row.ticket_id) ?? new Set<string>();
    set.add(`${row.clock}:${row.level}`);
    taken.set(row.ticket_id, set);
  }
  return taken;
}

export interface EscalationInsert {
  ticketId: string;
  clock: SlaClock;
  level: number;
  atShare: number;
  urgencyLevel: string;
  team: string | null;
  dueAt: Date;
  recipients: string[];
  reachedAt: Date;
  /** Whether the alert webhook is told (configured, and the highest step of this run). */
  notify: boolean;
}

/** The step, or undefined when it was already taken (the unique constraint decides). */
export async function insertEscalation(
  db: Db,
  escalation: EscalationInsert,
): Promise<EscalationRow | undefined> {
  return db
    .insertInto('ticket_escalations')
    .values({
      ticket_id: escalation.ticketId,
      clock: escalation.clock,
      level: escalation.level,
      at_share: escalation.atShare,
      urgency_level: escalation.urgencyLevel,
      team: escalation.team,
      due_at: escalation.dueAt,
      recipients: JSON.stringify(escalation.recipients),
      reached_at: escalation.reachedAt,
      notify_status: escalation.notify ? 'pending' : null,
      notify_next_at: escalation.notify ? escalation.reachedAt : null,
    })
    .onConflict((conflict) => conflict.constraint('ticket_escalations_one_per_step').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The level and urgency only go up; the next look is when the next step may be reached. */
export async function updateEscalatedTicket(
  db: Db,
  ticketId: string,
  changes: {
    level: number;
    urgency: { score: number; level: string };
    checkAt: Date | null;
    now: Date;
  },
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({
      escalation_level: sql`greatest(escalation_level, ${changes.level})`,
      urgency_score: changes.urgency.score,
      urgency_level: changes.urgency.level,
      escalation_check_at: changes.checkAt,
      updated_at: changes.now,
    })
    .where('id', '=', ticketId)
    .execute();
}

export async function setEscalationCheck(db: Db, ticketId: string, at: Date | null) {
  await db
    .updateTable('tickets')
    .set({ escalation_check_at: at })
    .where('id', '=', ticketId)
    .execute();
}

/** Leases the webhook notifications that are due (one attempt each). */
export async function claimDueEscalationWebhooks(
  db: Db,
  claim: { now: Date; leaseMs: number; limit: number },
): Promise<EscalationRow[]> {
  return db
    .updateTable('ticket_escalations')
    .set({
      notify_next_at: new Date(claim.now.getTime() + claim.leaseMs),
      notify_attempts: sql`notify_attempts + 1`,
    })
    .where(
      'id',
      'in',
      db
        .selectFrom('ticket_escalations')
        .select('id')
        .where('notify_status', '=', 'pending')
        .where('notify_next_at', '<=', claim.now)
        .orderBy('notify_next_at')
        .limit(claim.limit),
    )
    .where('notify_status', '=', 'pending')
    .returningAll()
    .execute();
}

export async function recordEscalationWebhook(
  db: Db,
  id: string,
  outcome:
    | { status: 'sent' }
    | { status: 'pending'; error: string; nextAt: Date }
    | { status: 'failed'; error: string },
): Promise<void> {
  await db
    .updateTable('ticket_escalations')
    .set({
      notify_status: outcome.status,
      notify_error: outcome.status === 'sent' ? null : outcome.error,
      notify_next_at: outcome.status === 'pending' ? outcome.nextAt : null,
    })
    .where('id', '=', id)
    .execute();
}

/** A ticket's steps, oldest first. */
export async function escalationsOf(db: Db, ticketId: string): Promise<EscalationRow[]> {
  return db
    .selectFrom('ticket_escalations')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('reached_at')
    .orderBy('level')
    .execute();
}
