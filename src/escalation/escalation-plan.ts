/**
 * Which escalation steps a ticket has reached, as pure arithmetic: each SLA clock that still
 * runs (first response until the first reply, resolution until solved) walks the team's path,
 * a step being reached when the given share of the clock's window has passed in working time
 * (75 % of a 5-minute first response on Friday 20:58 is Saturday 10:01:45 when Saturday opens
 * at 10:00). Also the next moment a step may be reached, so the job looks again only then.
 */
import { addWorkingMinutes } from '../sla/business-calendar.js';
import type { ServiceHours } from '../sla/service-hours.js';
import type { SlaTargets } from '../sla/sla-clock.js';
import { urgencyBands } from '../triage/urgency.js';
import { type UrgencyLevel, urgencyLevels } from '../triage/urgency-levels.js';
import type { EscalationPath, EscalationRole, EscalationStep } from '../teams/teams.js';

export const slaClocks = ['first_response', 'resolution'] as const;
export type SlaClock = (typeof slaClocks)[number];

export interface EscalationTicket {
  createdAt: Date;
  firstRespondedAt: Date | null;
  solvedAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

export interface ReachedStep {
  clock: SlaClock;
  step: EscalationStep;
  dueAt: Date;
  /** The moment the step's share of the window passed. */
  thresholdAt: Date;
}

export interface EscalationPlan {
  /** Steps reached and not taken before, lowest first per clock. */
  reached: ReachedStep[];
  /** The earliest moment a step not yet reached may be; null when none is left. */
  nextCheckAt: Date | null;
}

/** When `share` of a clock's window has passed in working time (1 is the due time itself). */
export function stepThreshold(
  clock: { startedAt: Date; dueAt: Date; windowMinutes: number },
  share: number,
  hours: ServiceHours,
): Date {
  if (share === 1) return clock.dueAt;
  // Past the due time, counted from it, so the step follows the stored due time exactly.
  if (share > 1) return addWorkingMinutes(clock.dueAt, (share - 1) * clock.windowMinutes, hours);
  return addWorkingMinutes(clock.startedAt, share * clock.windowMinutes, hours);
}

/** The clocks still running on a ticket, with their windows. */
function runningClocks(ticket: EscalationTicket, targets: SlaTargets) {
  const clocks: { clock: SlaClock; dueAt: Date; windowMinutes: number }[] = [];
  // A solved ticket's first-response clock stopped with the solve (as the ticket view shows it).
  if (!ticket.firstRespondedAt && !ticket.solvedAt && ticket.firstResponseDueAt)
    clocks.push({
      clock: 'first_response',
      dueAt: ticket.firstResponseDueAt,
      windowMinutes: targets.firstResponseMinutes,
    });
  if (!ticket.solvedAt && ticket.resolutionDueAt)
    clocks.push({
      clock: 'resolution',
      dueAt: ticket.resolutionDueAt,
      windowMinutes: targets.resolutionHours * 60,
    });
  return clocks;
}

export function planEscalation(
  ticket: EscalationTicket,
  context: {
    path: EscalationPath;
    targets: SlaTargets;
    hours: ServiceHours;
    now: Date;
    /** Steps already taken, as `clock:level`. */
    taken: ReadonlySet<string>;
  },
): EscalationPlan {
  const reached: ReachedStep[] = [];
  let nextCheckAt: Date | null = null;
  for (const running of runningClocks(ticket, context.targets)) {
    for (const step of context.path) {
      if (context.taken.has(`${running.clock}:${step.level}`)) continue;
      const thresholdAt = stepThreshold(
        { startedAt: ticket.createdAt, ...running },
        step.at,
        context.hours,
      );
      if (thresholdAt.getTime() <= context.now.getTime()) {
        reached.push({ clock: running.clock, step, dueAt: running.dueAt, thresholdAt });
      } else if (!nextCheckAt || thresholdAt < nextCheckAt) {
        nextCheckAt = thresholdAt;
      }
    }
  }
  return { reached, nextCheckAt };
}

export interface Urgency {
  score: number;
  level: string;
}

/** Urgency only goes up: at least `level`, scored at least the bottom of its band. */
export function raisedUrgency(current: Urgency, level: UrgencyLevel): Urgency {
  const currentRank = urgencyLevels.indexOf(current.level as UrgencyLevel);
  const targetRank = urgencyLevels.indexOf(level);
  if (currentRank >= targetRank) return current;
  return { level, score: Math.max(current.score, urgencyBands[level][0]) };
}

/** The console usernames a step tells, each once, in the step's order. */
export function recipientsOf(
  roles: readonly EscalationRole[],
  people: {
    assignee: string | null;
    lead: string | null;
    members: readonly string[];
    dutyManagers: readonly string[];
  },
): string[] {
  const named = roles.flatMap((role) => {
    if (role === 'assignee') return people.assignee ? [people.assignee] : [];
    if (role === 'lead') return people.lead ? [people.lead] : [];
    if (role === 'team') return people.members;
    return people.dutyManagers;
  });
  return [...new Set(named)];
}
