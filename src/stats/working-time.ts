/**
 * How much working time lies between two moments, by the deployment's service hours: the
 * inverse of addWorkingMinutes, for measuring first responses the way the SLA clock counts.
 */
import { DateTime } from 'luxon';
import { intervalsOn } from '../sla/business-calendar.js';
import type { ServiceHours } from '../sla/service-hours.js';

/** Working minutes from `start` to `end` (0 when end is not after start). */
export function workingMinutesBetween(start: Date, end: Date, hours: ServiceHours): number {
  if (end <= start) return 0;
  if (hours.clock === 'calendar') return (end.getTime() - start.getTime()) / 60_000;
  const from = DateTime.fromJSDate(start, { zone: hours.timezone });
  const until = DateTime.fromJSDate(end, { zone: hours.timezone });
  let total = 0;
  for (let day = from.startOf('day'); day <= until; day = day.plus({ days: 1 }).startOf('day')) {
    for (const interval of intervalsOn(day, hours)) {
      const begin = Math.max(interval.start.toMillis(), start.getTime());
      const finish = Math.min(interval.end.toMillis(), end.getTime());
      if (finish > begin) total += finish - begin;
    }
  }
  return total / 60_000;
}
