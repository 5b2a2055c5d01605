import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, isWorkingTime } from './business-calendar.js';
import { clockStatus, slaDueTimes } from './sla-clock.js';
import { serviceHoursSchema } from './service-hours.js';

const shanghai = serviceHoursSchema.parse({
  timezone: 'Asia/Shanghai',
  clock: 'business',
  hours: {
    mon: ['09:00-18:00'],
    tue: ['09:00-18:00'],
    wed: ['09:00-18:00'],
    thu: ['09:00-18:00'],
    fri: ['09:00-18:00'],
    sat: ['10:00-16:00'],
  },
  holidays: ['2026-10-01'],
});

describe('addWorkingMinutes', () => {
  it('counts straight through inside working hours', () => {
    // Tuesday 2026-11-24 10:00 in Shanghai = 02:00Z
    expect(addWorkingMinutes(new Date('2026-11-24T02:00:00Z'), 5, shanghai).toISOString()).toBe(
      '2026-11-24T02:05:00.000Z',
    );
  });

  it('pauses at closing time and resumes at the next opening', () => {
    // Tuesday 17:58 + 5 working minutes = Wednesday 09:03 (Shanghai) = 01:03Z
    expect(addWorkingMinutes(new Date('2026-11-24T09:58:00Z'), 5, shanghai).toISOString()).toBe(
      '2026-11-25T01:03:00.000Z',
    );
  });

  it('starts a message received at night at the next opening', () => {
    // Tuesday 23:00 Shanghai -> Wednesday 09:00 + 60 min
    expect(addWorkingMinutes(new Date('2026-11-24T15:00:00Z'), 60, shanghai).toISOString()).toBe(
      '2026-11-25T02:00:00.000Z',
    );
  });

  it('uses the shorter Saturday and skips Sunday', () => {
    // Saturday 2026-11-28 15:50 + 30 min: 10 min on Saturday, then Monday 09:20
    expect(addWorkingMinutes(new Date('2026-11-28T07:50:00Z'), 30, shanghai).toISOString()).toBe(
      '2026-11-30T01:20:00.000Z',
    );
  });

  it('skips a holiday', () => {
    // Wednesday 2026-09-30 17:55 + 10 min: Thursday 10-01 is a holiday -> Friday 10-02 09:05
    expect(addWorkingMinutes(new Date('2026-09-30T09:55:00Z'), 10, shanghai).toISOString()).toBe(
      '2026-10-02T01:05:00.000Z',
    );
  });

  it('counts 72 working hours over several days', () => {
    // Monday 2026-11-23 09:00: 9 h a weekday, 6 h Saturday: Mon..Fri = 45 h, Sat 6 h = 51 h, then Mon 9 h = 60, Tue 9 = 69, Wed 3 h -> Wed 12:00
    expect(
      addWorkingMinutes(new Date('2026-11-23T01:00:00Z'), 72 * 60, shanghai).toISOString(),
    ).toBe('2026-12-02T04:00:00.000Z');
  });

  it('keeps wall-clock opening times across a daylight-saving change', () => {
    const newYork = serviceHoursSchema.parse({
      timezone: 'America/New_York',
      hours: { fri: ['09:00-17:00'], mon: ['09:00-17:00'] },
    });
    // Friday 2026-03-06 16:30 EST (21:30Z) + 60 min: 30 min Friday, clocks spring forward on Sunday
    // 03-08, Monday opens at 09:00 EDT = 13:00Z (not 14:00Z as EST would give) -> 13:30Z
    expect(addWorkingMinutes(new Date('2026-03-06T21:30:00Z'), 60, newYork).toISOString()).toBe(
      '2026-03-09T13:30:00.000Z',
    );
  });

  it('gives a different moment when the deployment moves to another time zone', () => {
    const berlin = { ...shanghai, timezone: 'Europe/Berlin', holidays: [] };
    const start = new Date('2026-11-24T09:58:00Z'); // 17:58 in Shanghai (closing), 10:58 in Berlin
    expect(addWorkingMinutes(start, 5, berlin).toISOString()).toBe('2026-11-24T10:03:00.000Z');
    expect(addWorkingMinutes(start, 5, shanghai).toISOString()).toBe('2026-11-25T01:03:00.000Z');
  });

  it('counts calendar time when the clock is calendar', () => {
    const calendar = { ...shanghai, clock: 'calendar' as const };
    expect(addWorkingMinutes(new Date('2026-11-24T15:00:00Z'), 60, calendar).toISOString()).toBe(
      '2026-11-24T16:00:00.000Z',
    );
  });

  it('knows working time', () => {
    expect(isWorkingTime(new Date('2026-11-24T02:00:00Z'), shanghai)).toBe(true);
    expect(isWorkingTime(new Date('2026-11-24T15:00:00Z'), shanghai)).toBe(false);
    expect(isWorkingTime(new Date('2026-10-01T02:00:00Z'), shanghai)).toBe(false);
  });
});

describe('service hours file', () => {
  it('rejects a bad time zone, a reversed interval and a business clock with no hours', () => {
    expect(
      serviceHoursSchema.safeParse({ timezone: 'Mars/Olympus', hours: { mon: ['09:00-18:00'] } })
        .success,
    ).toBe(false);
    expect(
      serviceHoursSchema.safeParse({ timezone: 'UTC', hours: { mon: ['18:00-09:00'] } }).success,
    ).toBe(false);
    expect(
      serviceHoursSchema.safeParse({ timezone: 'UTC', clock: 'business', hours: {} }).success,
    ).toBe(false);
  });
});

describe('SLA clocks', () => {
  const opened = new Date('2026-11-24T09:58:00Z'); // Tuesday 17:58 Shanghai
  const due = slaDueTimes({ firstResponseMinutes: 5, resolutionHours: 24 }, opened, shanghai);

  it('breaches the first response exactly when working time runs out, not before', () => {
    expect(due.firstResponseDueAt.toISOString()).toBe('2026-11-25T01:03:00.000Z');
    expect(clockStatus(due.firstResponseDueAt, null, new Date('2026-11-25T01:02:59Z')).state).toBe(
      'running',
    );
    expect(clockStatus(due.firstResponseDueAt, null, new Date('2026-11-25T01:03:00Z')).state).toBe(
      'running',
    );
    expect(clockStatus(due.firstResponseDueAt, null, new Date('2026-11-25T01:03:01Z')).state).toBe(
      'breached',
    );
    // Overnight (ten calendar hours later) the clock has not run out
    expect(clockStatus(due.firstResponseDueAt, null, new Date('2026-11-24T20:00:00Z')).state).toBe(
      'running',
    );
  });

  it('stops when answered, met or missed', () => {
    expect(
      clockStatus(
        due.firstResponseDueAt,
        new Date('2026-11-25T01:00:00Z'),
        new Date('2026-11-26T00:00:00Z'),
      ).state,
    ).toBe('met');
    expect(
      clockStatus(
        due.firstResponseDueAt,
        new Date('2026-11-25T01:10:00Z'),
        new Date('2026-11-26T00:00:00Z'),
      ).state,
    ).toBe('missed');
  });

  it('runs the resolution clock over working days', () => {
    // 2 min left Tuesday, 9 h Wed, 9 h Thu, 6 h Fri -> 24 h: Friday 2026-11-27 14:58 Shanghai = 06:58Z
    expect(due.resolutionDueAt.toISOString()).toBe('2026-11-27T06:58:00.000Z');
  });
});
