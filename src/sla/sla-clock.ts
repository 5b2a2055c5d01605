/**
 * A ticket's two SLA clocks (first response, resolution): due times when the ticket is
 * opened, and at any moment whether each is met, running or breached.
 */
import { z } from 'zod';
import { addWorkingMinutes } from './business-calendar.js';
import type { ServiceHours } from './service-hours.js';

/** A category's targets (taxonomy.yaml). */
export const slaTargetsSchema = z.object({
  firstResponseMinutes: z.number().positive(),
  resolutionHours: z.number().positive(),
});
export type SlaTargets = z.infer<typeof slaTargetsSchema>;

export interface SlaDueTimes {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** Targets of a message with no category (out of scope, or triage failed). */
export const defaultSlaTargets: SlaTargets = { firstResponseMinutes: 5, resolutionHours: 24 };

/** The targets and their due times as the triage result reports them (ISO strings). */
export const slaSummarySchema = z.object({
  firstResponseMinutes: z.number(),
  resolutionHours: z.number(),
  firstResponseDueAt: z.string(),
  resolutionDueAt: z.string(),
});
export type SlaSummary = z.infer<typeof slaSummarySchema>;

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
export function slaSummary(
  targets: SlaTargets | undefined,
  receivedAt: Date,
  hours: ServiceHours,
): SlaSummary {
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
export const clockStateSchema = z.enum(['running', 'met', 'breached', 'missed']);
export type ClockState = z.infer<typeof clockStateSchema>;

export const clockStatusSchema = z.object({
  dueAt: z.string(),
  state: clockStateSchema,
  /** Until the due time (negative once breached); null once the clock has stopped. */
  remainingSeconds: z.number().int().nullable(),
});
export type ClockStatus = z.infer<typeof clockStatusSchema>;

/** One clock: it stops at `stoppedAt` (first reply, or solved), breached when that is late. */
export function clockStatus(dueAt: Date, stoppedAt: Date | null, now: Date): ClockStatus {
  if (stoppedAt) {
    return {
      dueAt: dueAt.toISOString(),
      state: stoppedAt.getTime() <= dueAt.getTime() ? 'met' : 'missed',
      remainingSeconds: null,
    };
  }
  const remaining = Math.floor((dueAt.getTime() - now.getTime()) / 1000);
  return {
    dueAt: dueAt.toISOString(),
    state: remaining >= 0 ? 'running' : 'breached',
    remainingSeconds: remaining,
  };
}
