/**
 * A ticket's two SLA clocks (first response, resolution): due times when the ticket is
 * opened, and at any moment whether each is met, running or breached.
 */
import { addWorkingMinutes } from './business-calendar.js';
import type { ServiceHours } from './service-hours.js';

export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionHours: number;
}

export interface SlaDueTimes {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** Targets of a message with no category (out of scope, or triage failed). */
export const defaultSlaTargets: SlaTargets = { firstResponseMinutes: 5, resolutionHours: 24 };

/** The targets and their due times as the triage result reports them (ISO strings). */
export interface SlaSummary extends SlaTargets {
  firstResponseDueAt: string;
  resolutionDueAt: string;
}

export function slaDueTimes(targets: SlaTargets, openedAt: Date, hours: ServiceHours): SlaDueTimes {
  return {
    firstResponseDueAt: addWorkingMinutes(openedAt, targets.firstResponseMinutes, hours),
    resolutionDueAt: addWorkingMinutes(openedAt, targets.resolutionHours * 60, hours),
  };
}

/**
 * The one SLA clock of triage, tickets and customer-facing promises: the same working-time
 * due times whoever asks, so `/v1/triage`, the ticket and the hand-off acknowledgement agree.
 */
export function slaSummary(targets: SlaTargets | undefined, receivedAt: Date, hours: ServiceHours): SlaSummary {
  const chosen = targets ?? defaultSlaTargets;
  const due = slaDueTimes(chosen, receivedAt, hours);
  return {
    firstResponseMinutes: chosen.firstResponseMinutes,
    resolutionHours: chosen.resolutionHours,
    firstResponseDueAt: due.firstResponseDueAt.toISOString(),
    resolutionDueAt: due.resolutionDueAt.toISOString(),
  };
}

/** running: open and in time; breached: open and late; met / missed: stopped in time / late. */
export type ClockState = 'running' | 'met' | 'breached' | 'missed';

export interface ClockStatus {
  dueAt: string;
  state: ClockState;
  /** Until the due time (negative once breached); null once the clock has stopped. */
  remainingSeconds: number | null;
}

/** One clock: it stops at `stoppedAt` (first reply, or solved), breached when that is late. */
export function clockStatus(dueAt: Date, stoppedAt: Date | null, now: Date): ClockStatus {
  if (stoppedAt) {
    return { dueAt: dueAt.toISOString(), state: stoppedAt.getTime() <= dueAt.getTime() ? 'met' : 'missed', remainingSeconds: null };
  }
  const remaining = Math.floor((dueAt.getTime() - now.getTime()) / 1000);
  return { dueAt: dueAt.toISOString(), state: remaining >= 0 ? 'running' : 'breached', remainingSeconds: remaining };
}
