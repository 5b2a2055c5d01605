/**
 * Figures over tickets (kpi.repository.ts): first response in working time, SLA compliance by
 * the tickets' own clocks (the same clockStatus the queue shows), and whether solves lasted.
 */
import type { ServiceHours } from '../sla/service-hours.js';
import { clockStatus } from '../sla/sla-clock.js';
import { activeTicketStatuses } from '../tickets/ticket-contract.js';
import type { KpiFigure, KpiKey } from './kpi-contract.js';
import type { KpiWindows, kpiDefinitions } from './kpi-definitions.js';
import { daysMs, mean, moment, percentile90, ratio } from './kpi-figure.js';
import type { SolveRow, TicketClockRow } from './kpi.repository.js';
import { workingMinutesBetween } from './working-time.js';

interface Context {
  now: Date;
  windows: KpiWindows;
  serviceHours: ServiceHours;
  definitions: ReturnType<typeof kpiDefinitions>;
}

type Figures<K extends KpiKey> = Pick<Record<KpiKey, KpiFigure>, K>;

const isActive = (status: string) => (activeTicketStatuses as readonly string[]).includes(status);

export function firstResponseKpis(
  rows: readonly TicketClockRow[],
  context: Context,
): Figures<'firstResponseMean' | 'firstResponseP90' | 'firstResponseWithinTarget'> {
  const { definitions, windows } = context;
  const minutes = rows.flatMap((row) => {
    const responded = moment(row.first_responded_at);
    return responded
      ? [workingMinutesBetween(moment(row.created_at)!, responded, context.serviceHours)]
      : [];
  });
  const waiting = rows.filter((row) => !row.first_responded_at && isActive(row.status)).length;
  const sum = minutes.reduce((total, value) => total + value, 0);
  return {
    firstResponseMean: mean(sum, minutes.length, 'minutes', definitions.firstResponseMean, waiting),
    firstResponseP90: {
      value: percentile90(minutes),
      numerator: null,
      denominator: minutes.length,
      pending: waiting,
      unit: 'minutes',
      definition: definitions.firstResponseP90,
    },
    firstResponseWithinTarget: ratio(
      minutes.filter((value) => value <= windows.firstResponseTargetMinutes).length,
      minutes.length,
      definitions.firstResponseWithinTarget,
      waiting,
    ),
  };
}

/** met / (met + missed + breached); running clocks are pending. */
function compliance(
  clocks: { dueAt: Date | null; stoppedAt: Date | null }[],
  now: Date,
  definition: string,
): KpiFigure {
  const states = clocks
    .filter((clock) => clock.dueAt)
    .map((clock) => clockStatus(clock.dueAt!, clock.stoppedAt, now).state);
  const count = (state: string) => states.filter((found) => found === state).length;
  return ratio(
    count('met'),
    count('met') + count('missed') + count('breached'),
    definition,
    count('running'),
  );
}

export function slaKpis(
  rows: readonly TicketClockRow[],
  context: Context,
): Figures<'slaFirstResponse' | 'slaResolution'> {
  const { now, definitions } = context;
  return {
    // As the queue shows it: a ticket solved or closed without a reply stopped the clock then.
    slaFirstResponse: compliance(
      rows.map((row) => ({
        dueAt: moment(row.first_response_due_at),
        stoppedAt: moment(row.first_responded_at ?? row.solved_at),
      })),
      now,
      definitions.slaFirstResponse,
    ),
    slaResolution: compliance(
      rows.map((row) => ({
        dueAt: moment(row.resolution_due_at),
        stoppedAt: moment(row.solved_at),
      })),
      now,
      definitions.slaResolution,
    ),
  };
}

/** Durable, reopened or not decided yet: one solve by the reopen window. */
export function solveOutcome(row: SolveRow, now: Date, durableDays: number) {
  const deadline = moment(row.at)!.getTime() + durableDays * daysMs;
  const reopened = [row.reopened_at, row.next_ticket_at]
    .map(moment)
    .some((at) => at !== null && at.getTime() <= deadline);
  if (reopened) return 'reopened';
  return now.getTime() < deadline ? 'pending' : 'durable';
}

export function solveKpis(
  rows: readonly SolveRow[],
  context: Context,
): Figures<'solvesDurable' | 'solvesReopened'> {
  const outcomes = rows.map((row) => solveOutcome(row, context.now, context.windows.durableDays));
  const count = (outcome: string) => outcomes.filter((found) => found === outcome).length;
  const decided = count('durable') + count('reopened');
  return {
    solvesDurable: ratio(
      count('durable'),
      decided,
      context.definitions.solvesDurable,
      count('pending'),
    ),
    solvesReopened: ratio(
      count('reopened'),
      decided,
      context.definitions.solvesReopened,
      count('pending'),
    ),
  };
}
