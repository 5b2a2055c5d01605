/**
 * All SQL of alerts: the detector's run claims, raising and updating alerts (one unresolved
 * alert per key is a unique index), the tickets grouped under them and their urgency, status
 * changes, the webhook notification's state, and the counts /metrics reads. Functions take the
 * database (or an open transaction) first and return rows.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { AlertsTable, Database } from '../db/tables.js';
import { activeTicketStatuses } from '../tickets/ticket-contract.js';
import { escalationFloorScore } from '../tickets/ticket-urgency.js';
import { type AlertKey, type AlertStatus, unresolvedAlertStatuses } from './alert-contract.js';

type Db = Kysely<Database> | Transaction<Database>;
export type AlertRow = Selectable<AlertsTable>;

/** Claims the detector's time slot; false when another instance (or an earlier call) has it. */
export async function claimSurgeRun(db: Db, slot: Date, now: Date): Promise<boolean> {
  const row = await db
    .insertInto('surge_runs')
    .values({ slot, started_at: now })
    .onConflict((conflict) => conflict.column('slot').doNothing())
    .returning('slot')
    .executeTakeFirst();
  return row !== undefined;
}

export async function finishSurgeRun(
  db: Db,
  slot: Date,
  outcome: { keysTested: number; significant: number; raised: number; now: Date },
): Promise<void> {
  await db
    .updateTable('surge_runs')
    .set({
      finished_at: outcome.now,
      keys_tested: outcome.keysTested,
      significant: outcome.significant,
      raised: outcome.raised,
    })
    .where('slot', '=', slot)
    .execute();
}

/** Runs are kept a while to show the detector is alive; older ones go. */
export async function pruneSurgeRuns(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('surge_runs').where('slot', '<', before).execute();
}

/**
 * Alerts a significant key may belong to: unresolved ones, and resolved ones whose surge is
 * still ongoing (significant since `ongoingSince`), so resolving does not raise it again.
 */
export async function alertsForDedupe(db: Db, ongoingSince: Date): Promise<AlertRow[]> {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where((where) =>
      where.or([
        where('status', 'in', [...unresolvedAlertStatuses]),
        where('last_significant_at', '>=', ongoingSince),
      ]),
    )
    .orderBy('raised_at', 'desc')
    .execute();
}

export interface AlertFigures {
  windowStart: Date;
  windowEnd: Date;
  observed: number;
  expected: number;
  pValue: number;
  windowTotal: number;
  baselineCount: number;
  baselineTotal: number;
}

function figureColumns(figures: AlertFigures) {
  return {
    window_start: figures.windowStart,
    window_end: figures.windowEnd,
    observed: figures.observed,
    expected: figures.expected,
    p_value: figures.pValue,
    window_total: figures.windowTotal,
    baseline_count: figures.baselineCount,
    baseline_total: figures.baselineTotal,
  };
}

/** A new alert; undefined when the key already has an unresolved one (another instance won). */
export async function insertAlert(
  db: Db,
  alert: AlertKey & {
    related: AlertKey[];
    figures: AlertFigures;
    groupedSince: Date;
    notify: boolean;
    now: Date;
  },
): Promise<AlertRow | undefined> {
  return db
    .insertInto('alerts')
    .values({
      kind: alert.kind,
      key: alert.key,
      related: JSON.stringify(alert.related),
      ...figureColumns(alert.figures),
      peak_observed: alert.figures.observed,
      grouped_since: alert.groupedSince,
      raised_at: alert.now,
      last_significant_at: alert.now,
      updated_at: alert.now,
      notify_status: alert.notify ? 'pending' : null,
      notify_next_at: alert.notify ? alert.now : null,
    })
    .onConflict((conflict) =>
      conflict.columns(['kind', 'key']).where('status', '<>', 'resolved').doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

/** The surge goes on: newest figures of the main key (when it was significant), related keys. */
export async function updateOngoingAlert(
  db: Db,
  id: string,
  update: { figures?: AlertFigures; related: AlertKey[]; now: Date },
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({
      ...(update.figures
        ? {
            ...figureColumns(update.figures),
            peak_observed: sql`greatest(peak_observed, ${update.figures.observed})`,
          }
        : {}),
      related: JSON.stringify(update.related),
      last_significant_at: update.now,
      updated_at: update.now,
    })
    .where('id', '=', id)
    .execute();
}

/** Adds tickets to an alert; returns those that were not in it yet. */
export async function groupTickets(
  db: Db,
  alertId: string,
  ticketIds: readonly string[],
  now: Date,
): Promise<string[]> {
  if (ticketIds.length === 0) return [];
  const rows = await db
    .insertInto('alert_tickets')
    .values(
      ticketIds.map((ticketId) => ({ alert_id: alertId, ticket_id: ticketId, added_at: now })),
    )
    .onConflict((conflict) => conflict.columns(['alert_id', 'ticket_id']).doNothing())
    .returning('ticket_id')
    .execute();
  return rows.map((row) => row.ticket_id);
}

/**
 * Lifts active tickets to the high band at least, as an agent's escalation does
 * (ticket-urgency.ts): urgency only goes up. The version is not bumped: an agent's action on
 * a ticket whose urgency rose is still the action they meant. Returns the tickets changed.
 */
export async function raiseTicketUrgency(
  db: Db,
  ticketIds: readonly string[],
  reason: string,
  now: Date,
): Promise<string[]> {
  if (ticketIds.length === 0) return [];
  const rows = await db
    .updateTable('tickets')
    .set({
      urgency_score: sql`greatest(urgency_score, ${escalationFloorScore})`,
      urgency_level: sql`case when urgency_level = 'critical' then 'critical' else 'high' end`,
      reasons: sql`case when reasons @> ${JSON.stringify([reason])}::jsonb then reasons else reasons || ${JSON.stringify([reason])}::jsonb end`,
      updated_at: now,
    })
    .where('id', 'in', [...ticketIds])
    .where('status', 'in', [...activeTicketStatuses])
    .where((where) =>
      where.or([
        where('urgency_score', '<', escalationFloorScore),
        where('urgency_level', 'not in', ['high', 'critical']),
      ]),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function findAlert(db: Db, id: string): Promise<AlertRow | undefined> {
  return db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAlerts(
  db: Db,
  filter: { statuses: readonly AlertStatus[]; limit: number },
): Promise<AlertRow[]> {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('status', 'in', [...filter.statuses])
    .orderBy('raised_at', 'desc')
    .limit(filter.limit)
    .execute();
}

export async function ticketCounts(
  db: Db,
  alertIds: readonly string[],
): Promise<Map<string, number>> {
  if (alertIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('alert_tickets')
    .select(['alert_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('alert_id', 'in', [...alertIds])
    .groupBy('alert_id')
    .execute();
  return new Map(rows.map((row) => [row.alert_id, Number(row.count)]));
}

/** The grouped tickets, most urgent first. */
export async function alertTicketRows(db: Db, alertId: string) {
  return db
    .selectFrom('alert_tickets')
    .innerJoin('tickets', 'tickets.id', 'alert_tickets.ticket_id')
    .select([
      'tickets.id',
      'tickets.conversation_id',
      'tickets.status',
      'tickets.category',
      'tickets.subject',
      'tickets.urgency_score',
      'tickets.urgency_level',
      'tickets.version',
      'tickets.created_at',
      'alert_tickets.added_at',
      'alert_tickets.replied_at',
    ])
    .where('alert_tickets.alert_id', '=', alertId)
    .orderBy('tickets.urgency_score', 'desc')
    .orderBy('tickets.created_at')
    .execute();
}

export async function markTicketReplied(
  db: Db,
  alertId: string,
  ticketId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('alert_tickets')
    .set({ replied_at: now })
    .where('alert_id', '=', alertId)
    .where('ticket_id', '=', ticketId)
    .execute();
}

/** Moves an alert from one of `from` to `to`; undefined when it is in no state of `from`. */
export async function changeAlertStatus(
  db: Db,
  change: {
    id: string;
    from: readonly AlertStatus[];
    to: 'acknowledged' | 'resolved';
    by: string;
    now: Date;
  },
): Promise<AlertRow | undefined> {
  const who =
    change.to === 'acknowledged'
      ? { acknowledged_by: change.by, acknowledged_at: change.now }
      : { resolved_by: change.by, resolved_at: change.now };
  return db
    .updateTable('alerts')
    .set({ status: change.to, updated_at: change.now, ...who })
    .where('id', '=', change.id)
    .where('status', 'in', [...change.from])
    .returningAll()
    .executeTakeFirst();
}

/** Notifications due, each leased for `leaseMs` so that no other pass sends it meanwhile. */
export async function claimDueNotifications(
  db: Db,
  claim: { now: Date; leaseMs: number; limit: number },
): Promise<AlertRow[]> {
  return db
    .updateTable('alerts')
    .set({
      notify_next_at: new Date(claim.now.getTime() + claim.leaseMs),
      notify_attempts: sql`notify_attempts + 1`,
    })
    .where(
      'id',
      'in',
      db
        .selectFrom('alerts')
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

export async function recordNotification(
  db: Db,
  id: string,
  outcome:
    | { status: 'sent' }
    | { status: 'failed'; error: string }
    | { status: 'pending'; error: string; nextAt: Date },
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({
      notify_status: outcome.status,
      notify_error: outcome.status === 'sent' ? null : outcome.error,
      notify_next_at: outcome.status === 'pending' ? outcome.nextAt : null,
    })
    .where('id', '=', id)
    .execute();
}

/** Unresolved alerts per kind (for /metrics). */
export async function unresolvedAlertCounts(db: Db): Promise<{ kind: string; count: number }[]> {
  const rows = await db
    .selectFrom('alerts')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('count')])
    .where('status', 'in', [...unresolvedAlertStatuses])
    .groupBy('kind')
    .execute();
  return rows.map((row) => ({ kind: row.kind, count: Number(row.count) }));
}
