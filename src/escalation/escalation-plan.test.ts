import { describe, expect, it } from 'vitest';
import { serviceHoursSchema } from '../sla/service-hours.js';
import { slaDueTimes } from '../sla/sla-clock.js';
import { noTeams } from '../teams/teams.js';
import {
  type EscalationTicket,
  planEscalation,
  raisedUrgency,
  recipientsOf,
  stepThreshold,
} from './escalation-plan.js';

// The demo shop's hours: weekdays 09:00-21:00, weekends 10:00-18:00, Shanghai (UTC+8).
const hours = serviceHoursSchema.parse({
  timezone: 'Asia/Shanghai',
  clock: 'business',
  hours: {
    mon: ['09:00-21:00'],
    tue: ['09:00-21:00'],
    wed: ['09:00-21:00'],
    thu: ['09:00-21:00'],
    fri: ['09:00-21:00'],
    sat: ['10:00-18:00'],
    sun: ['10:00-18:00'],
  },
});
const targets = { firstResponseMinutes: 5, resolutionHours: 24 };
const path = noTeams.escalation; // 75 % high, 100 % critical

function ticket(createdAt: string, changes: Partial<EscalationTicket> = {}): EscalationTicket {
  const due = slaDueTimes(targets, new Date(createdAt), hours);
  return {
    createdAt: new Date(createdAt),
    firstRespondedAt: null,
    solvedAt: null,
    firstResponseDueAt: due.firstResponseDueAt,
    resolutionDueAt: due.resolutionDueAt,
    ...changes,
  };
}
const plan = (subject: EscalationTicket, now: string, taken: string[] = []) =>
  planEscalation(subject, { path, targets, hours, now: new Date(now), taken: new Set(taken) });
const steps = (result: ReturnType<typeof plan>) =>
  result.reached.map((reached) => `${reached.clock}:${reached.step.level}`);

describe('escalation steps in working time', () => {
  // Friday 2026-03-13 20:58 in Shanghai: two working minutes left that evening.
  const fridayEvening = '2026-03-13T12:58:00Z';

  it('puts 75 % of a 5-minute first response after the weekend opening', () => {
    const subject = ticket(fridayEvening);
    // Due Saturday 10:03 (2 minutes Friday, 3 on Saturday).
    expect(subject.firstResponseDueAt!.toISOString()).toBe('2026-03-14T02:03:00.000Z');
    const at75 = stepThreshold(
      { startedAt: subject.createdAt, dueAt: subject.firstResponseDueAt!, windowMinutes: 5 },
      0.75,
      hours,
    );
    // 3 min 45 s of working time: 2 min on Friday, 1 min 45 s on Saturday morning.
    expect(at75.toISOString()).toBe('2026-03-14T02:01:45.000Z');
    const at150 = stepThreshold(
      { startedAt: subject.createdAt, dueAt: subject.firstResponseDueAt!, windowMinutes: 5 },
      1.5,
      hours,
    );
    expect(at150.toISOString()).toBe('2026-03-14T02:05:30.000Z');
  });

  it('reaches nothing overnight, then one step at a time', () => {
    const subject = ticket(fridayEvening);
    // Saturday 09:59: thirteen hours later but only two working minutes.
    const night = plan(subject, '2026-03-14T01:59:00Z');
    expect(night.reached).toEqual([]);
    expect(night.nextCheckAt?.toISOString()).toBe('2026-03-14T02:01:45.000Z');

    const nearing = plan(subject, '2026-03-14T02:02:00Z');
    expect(steps(nearing)).toEqual(['first_response:1']);
    expect(nearing.nextCheckAt?.toISOString()).toBe('2026-03-14T02:03:00.000Z');

    // Taken once, it is not reached again; the due time passing is the next step.
    expect(plan(subject, '2026-03-14T02:02:30Z', ['first_response:1']).reached).toEqual([]);
    const passed = plan(subject, '2026-03-14T02:03:00Z', ['first_response:1']);
    expect(steps(passed)).toEqual(['first_response:2']);
    expect(passed.reached[0]!.dueAt.toISOString()).toBe('2026-03-14T02:03:00.000Z');
    // The resolution clock's first step is next: 18 working hours after Friday 20:58.
    expect(passed.nextCheckAt!.getTime()).toBeGreaterThan(Date.parse('2026-03-15T00:00:00Z'));
  });

  it('reaches every missed step at once after a long pause', () => {
    expect(steps(plan(ticket(fridayEvening), '2026-03-14T03:00:00Z'))).toEqual([
      'first_response:1',
      'first_response:2',
    ]);
  });

  it('stops the first-response clock at the first reply; the resolution clock walks on', () => {
    const answered = ticket(fridayEvening, { firstRespondedAt: new Date('2026-03-14T02:01:00Z') });
    expect(plan(answered, '2026-03-14T02:10:00Z').reached).toEqual([]);
    // 75 % of 24 working hours is 18 h: 2 min on Friday, 8 h each weekend day, then 1 h 58 min
    // on Monday (10:58); the due time is Monday 16:58.
    expect(plan(answered, '2026-03-16T02:57:00Z').reached).toEqual([]);
    const later = plan(answered, '2026-03-16T05:00:00Z');
    expect(steps(later)).toEqual(['resolution:1']);
    expect(later.reached[0]!.thresholdAt.toISOString()).toBe('2026-03-16T02:58:00.000Z');
    expect(later.nextCheckAt?.toISOString()).toBe('2026-03-16T08:58:00.000Z');
  });

  it('stops every clock when the ticket is solved', () => {
    const solved = ticket(fridayEvening, { solvedAt: new Date('2026-03-14T02:00:00Z') });
    const result = plan(solved, '2026-03-20T00:00:00Z');
    expect(result).toEqual({ reached: [], nextCheckAt: null });
  });
});

describe('what a step does', () => {
  it('raises urgency only up, to the bottom of the level at least', () => {
    expect(raisedUrgency({ score: 40, level: 'normal' }, 'high')).toEqual({
      score: 60,
      level: 'high',
    });
    expect(raisedUrgency({ score: 20, level: 'low' }, 'critical')).toEqual({
      score: 85,
      level: 'critical',
    });
    expect(raisedUrgency({ score: 90, level: 'critical' }, 'high')).toEqual({
      score: 90,
      level: 'critical',
    });
    expect(raisedUrgency({ score: 70, level: 'high' }, 'high')).toEqual({
      score: 70,
      level: 'high',
    });
  });

  it('names each person once: assignee, lead, team, duty managers', () => {
    const people = { assignee: 'ann', lead: 'lee', members: ['ann', 'bo'], dutyManagers: ['max'] };
    expect(recipientsOf(['assignee', 'lead'], people)).toEqual(['ann', 'lee']);
    expect(recipientsOf(['team', 'lead', 'duty_manager'], people)).toEqual([
      'ann',
      'bo',
      'lee',
      'max',
    ]);
    expect(recipientsOf(['assignee', 'lead'], { ...people, assignee: null, lead: null })).toEqual(
      [],
    );
  });
});
