/**
 * Working-time arithmetic in a deployment's time zone: "5 working minutes after a message
 * that arrives on Friday at 20:58" is Saturday 10:03 when Saturday opens at 10:00.
 * Intervals are wall-clock times, so a day on which the clocks change still opens at 09:00;
 * the time counted is real elapsed time (Luxon resolves the zone rules).
 */
import { DateTime } from 'luxon';
import { type ServiceHours, weekdays } from './service-hours.js';

const maxDaysSearched = 3 * 366;

/** A day's working intervals as moments in the deployment's zone (none on a holiday). */
export function intervalsOn(
  day: DateTime,
  hours: ServiceHours,
): { start: DateTime; end: DateTime }[] {
  if (hours.holidays.includes(day.toISODate() ?? '')) return [];
  const weekday = weekdays[day.weekday - 1]!;
  return hours.hours[weekday].map(({ from, to }) => ({
    start: day.set({ hour: Math.floor(from / 60), minute: from % 60 }),
    end:
      to === 24 * 60
        ? day.plus({ days: 1 }).startOf('day')
        : day.set({ hour: Math.floor(to / 60), minute: to % 60 }),
  }));
}

/** The moment `minutes` of working time after `start` (calendar time when the clock is `calendar`). */
export function addWorkingMinutes(start: Date, minutes: number, hours: ServiceHours): Date {
  if (hours.clock === 'calendar') return new Date(start.getTime() + minutes * 60_000);
  let remaining = minutes * 60_000;
  const from = DateTime.fromJSDate(start, { zone: hours.timezone });
  let day = from.startOf('day');
  for (let i = 0; i < maxDaysSearched; i++, day = day.plus({ days: 1 }).startOf('day')) {
    for (const interval of intervalsOn(day, hours)) {
      const begin = interval.start < from ? from : interval.start;
      const available = interval.end.toMillis() - begin.toMillis();
      if (available <= 0) continue;
      if (remaining <= available) return new Date(begin.toMillis() + remaining);
      remaining -= available;
    }
  }
  throw new Error(
    `No working time within ${maxDaysSearched} days of ${start.toISOString()}: check service hours and holidays.`,
  );
}

/** Whether `at` falls in working time. */
export function isWorkingTime(at: Date, hours: ServiceHours): boolean {
  if (hours.clock === 'calendar') return true;
  const local = DateTime.fromJSDate(at, { zone: hours.timezone });
  return intervalsOn(local.startOf('day'), hours).some(
    (interval) => interval.start <= local && local < interval.end,
  );
}
