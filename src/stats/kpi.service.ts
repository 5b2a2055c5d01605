/**
 * The KPI report for a range: reads the stored events (kpi.repository.ts) and computes every
 * figure with its definition (contact-kpis.ts, ticket-kpis.ts, usage-kpis.ts). Nothing is
 * counted ahead of time, so any range can be asked for, and asked again later with the same
 * answer once its windows have elapsed.
 */
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../db/tables.js';
import { InvalidError } from '../errors/domain-errors.js';
import type { ServiceHours } from '../sla/service-hours.js';
import type { Clock } from '../time/clock.js';
import { contactKpis, dailySeries } from './contact-kpis.js';
import type { KpiQuery, KpiReport } from './kpi-contract.js';
import { kpiDefinitions } from './kpi-definitions.js';
import { daysMs } from './kpi-figure.js';
import {
  contactRows,
  draftDecisionCounts,
  type KpiFilter,
  llmUsage,
  solveRows,
  surveyCounts,
  ticketClockRows,
} from './kpi.repository.js';
import { firstResponseKpis, slaKpis, solveKpis } from './ticket-kpis.js';
import { csatKpis, draftKpis, llmKpis } from './usage-kpis.js';

export interface KpiServiceOptions {
  db: Kysely<Database>;
  serviceHours: ServiceHours;
  clock: Clock;
}

/** Longest range one report covers (the daily series has a point per day). */
export const maxRangeDays = 366;
const defaultRangeDays = 7;

export function createKpiService(options: KpiServiceOptions) {
  const { db, serviceHours } = options;

  /** A date is the start of that day where the desk works (the daily series' days too). */
  const momentOf = (value: string) =>
    /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? DateTime.fromISO(value, { zone: serviceHours.timezone }).toJSDate()
      : new Date(value);

  function rangeOf(query: KpiQuery, now: Date): KpiFilter {
    const to = query.to ? momentOf(query.to) : now;
    const from = query.from
      ? momentOf(query.from)
      : new Date(to.getTime() - defaultRangeDays * daysMs);
    if (from >= to) throw new InvalidError('from: must be before to');
    if (to.getTime() - from.getTime() > maxRangeDays * daysMs)
      throw new InvalidError(`from: the range may cover at most ${maxRangeDays} days`);
    return { from, to, channel: query.channel, category: query.category };
  }

  return {
    async report(query: KpiQuery): Promise<KpiReport> {
      const now = options.clock.now();
      const filter = rangeOf(query, now);
      const windows = {
        followUpHours: query.followUpHours,
        durableDays: query.durableDays,
        repeatDays: query.repeatDays,
        firstResponseTargetMinutes: query.firstResponseTargetMinutes,
      };
      const definitions = kpiDefinitions(windows);
      // One at a time: the embedded database has one connection anyway.
      const contacts = await contactRows(db, filter);
      const tickets = await ticketClockRows(db, filter);
      const solves = await solveRows(db, filter);
      const drafts = await draftDecisionCounts(db, filter);
      const surveys = await surveyCounts(db, filter, now);
      const llm = await llmUsage(db, filter);

      const context = { now, windows, definitions, serviceHours };
      const { handoffReasons, ...contactFigures } = contactKpis(contacts, context);
      const { csatDistribution, ...csatFigures } = csatKpis(surveys, definitions);
      return {
        range: {
          from: filter.from.toISOString(),
          to: filter.to.toISOString(),
          channel: filter.channel ?? null,
          category: filter.category ?? null,
          timezone: serviceHours.timezone,
        },
        windows,
        computedAt: now.toISOString(),
        kpis: {
          ...contactFigures,
          ...solveKpis(solves, context),
          ...firstResponseKpis(tickets, context),
          ...slaKpis(tickets, context),
          ...draftKpis(drafts, definitions),
          ...csatFigures,
          ...llmKpis(llm, definitions),
        },
        handoffReasons,
        csatDistribution,
        daily: {
          definition: definitions.daily,
          days: dailySeries(contacts, { ...filter, timezone: serviceHours.timezone }),
        },
      };
    },
  };
}

export type KpiService = ReturnType<typeof createKpiService>;
