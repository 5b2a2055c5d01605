/**
 * Working hours, time zone and holidays of a deployment (knowledge-base/service-hours.yaml).
 * SLA clocks count working time only when `clock: business` (Zendesk's business-hours
 * policies); `clock: calendar` counts every minute.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

const timeOfDay = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const intervalSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d\d:\d\d-\d\d:\d\d$/, 'write intervals as HH:MM-HH:MM'))
  .transform((value, context) => {
    const [from, to] = value.split('-') as [string, string];
    if (!timeOfDay.test(from) || !timeOfDay.test(to)) {
      context.addIssue({ code: 'custom', message: `${value} is not a valid time range` });
      return z.NEVER;
    }
    const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
    if (minutes(to) <= minutes(from)) {
      context.addIssue({
        code: 'custom',
        message: `${value} ends before it starts (split overnight shifts into two days)`,
      });
      return z.NEVER;
    }
    return { from: minutes(from), to: minutes(to) };
  });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const serviceHoursSchema = z
  .object({
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
    clock: z.enum(['business', 'calendar']).default('business'),
    hours: z.object(
      Object.fromEntries(
        weekdays.map((day) => [day, z.array(intervalSchema).default([])]),
      ) as Record<Weekday, z.ZodDefault<z.ZodArray<typeof intervalSchema>>>,
    ),
    holidays: z
      .array(z.union([z.iso.date(), z.date().transform((date) => date.toISOString().slice(0, 10))]))
      .default([]),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.clock === 'business' && weekdays.every((day) => value.hours[day].length === 0)) {
      context.addIssue({
        code: 'custom',
        path: ['hours'],
        message: 'a business clock needs working hours on at least one day',
      });
    }
  });
export type ServiceHours = z.output<typeof serviceHoursSchema>;

/** Round the clock, every day: what a deployment without the file gets. */
export const allDayEveryDay: ServiceHours = serviceHoursSchema.parse({
  timezone: 'UTC',
  clock: 'calendar',
  hours: Object.fromEntries(weekdays.map((day) => [day, ['00:00-24:00']])),
});

export async function loadServiceHours(path: string): Promise<ServiceHours> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return allDayEveryDay;
    throw error;
  }
  const parsed = serviceHoursSchema.safeParse(parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`)
      .join('; ');
    throw new Error(`${path} is invalid: ${issues}`);
  }
  return parsed.data;
}
