import { describe, expect, it } from 'vitest';
import { addWorkingMinutes } from '../sla/business-calendar.js';
import { serviceHoursSchema } from '../sla/service-hours.js';
import { workingMinutesBetween } from './working-time.js';

const shanghai = serviceHoursSchema.parse({
  timezone: 'Asia/Shanghai',
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

describe('workingMinutesBetween', () => {
  it('counts straight through inside working hours', () => {
    // Tuesday 10:00 -> 10:07 Shanghai
    expect(
      workingMinutesBetween(
        new Date('2026-11-24T02:00:00Z'),
        new Date('2026-11-24T02:07:00Z'),
        shanghai,
      ),
    ).toBe(7);
  });
  it('skips the night, Sunday and a holiday', () => {
    // Tuesday 17:58 -> Wednesday 09:03: 2 + 3 minutes
    expect(
      workingMinutesBetween(
        new Date('2026-11-24T09:58:00Z'),
        new Date('2026-11-25T01:03:00Z'),
        shanghai,
      ),
    ).toBe(5);
    // Saturday 15:50 -> Monday 09:20: 10 + 20 minutes
    expect(
      workingMinutesBetween(
        new Date('2026-11-28T07:50:00Z'),
        new Date('2026-11-30T01:20:00Z'),
        shanghai,
      ),
    ).toBe(30);
    // Wednesday 2026-09-30 17:55 -> Friday 10-02 09:05 (Thursday a holiday): 5 + 5
    expect(
      workingMinutesBetween(
        new Date('2026-09-30T09:55:00Z'),
        new Date('2026-10-02T01:05:00Z'),
        shanghai,
      ),
    ).toBe(10);
  });
  it('is the inverse of addWorkingMinutes', () => {
    const start = new Date('2026-11-23T13:37:00Z');
    for (const minutes of [1, 59, 600, 72 * 60]) {
      expect(
        workingMinutesBetween(start, addWorkingMinutes(start, minutes, shanghai), shanghai),
      ).toBeCloseTo(minutes, 6);
    }
  });
  it('is zero for a reply before the message and at night', () => {
    expect(
      workingMinutesBetween(
        new Date('2026-11-24T15:00:00Z'),
        new Date('2026-11-24T16:00:00Z'),
        shanghai,
      ),
    ).toBe(0);
    expect(workingMinutesBetween(new Date(2), new Date(1), shanghai)).toBe(0);
  });
  it('counts calendar time with a calendar clock', () => {
    expect(
      workingMinutesBetween(new Date('2026-11-24T15:00:00Z'), new Date('2026-11-24T16:30:00Z'), {
        ...shanghai,
        clock: 'calendar',
      }),
    ).toBe(90);
  });
});
