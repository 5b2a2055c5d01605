/**
 * The scheduled surge detector: every interval it counts the conversations of each category,
 * entry and carrier in the last window and in the days before it, tests each key against its
 * own baseline (surge-test.ts), folds the keys of one wave into one alert (surge-grouping.ts),
 * raises new alerts or updates ongoing ones, groups the affected tickets under them and lifts
 * their urgency, then sends due webhook notifications. Several instances may run it: each time
 * slot is claimed by one row (surge_runs), and the writing is under a database lock.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { appendAuditEntry } from '../audit/audit.repository.js';
import type { DatabaseHandle } from '../db/database.js';
import type { Database } from '../db/tables.js';
import type { Clock } from '../time/clock.js';
import { type AlertKey, alertKindSchema } from './alert-contract.js';
import { parseRelated } from './alert-mapping.js';
import {
  alertsForDedupe,
  type AlertFigures,
  type AlertRow,
  claimSurgeRun,
  finishSurgeRun,
  groupTickets,
  insertAlert,
  pruneSurgeRuns,
  raiseTicketUrgency,
  updateOngoingAlert,
} from './alert.repository.js';
import type { AlertNotifier } from './alert-webhook.js';
import {
  keyConversations,
  keyTickets,
  type PeriodCounts,
  periodCounts,
} from './surge-counts.repository.js';
import { type KnownAlert, planAlerts, type SignificantKey } from './surge-grouping.js';
import type { SurgeSettings } from './surge-settings.js';
import { judgeSurge, type SurgeJudgement } from './surge-test.js';

export interface SurgeDetectorOptions {
  db: Kysely<Database>;
  exclusive: DatabaseHandle['exclusive'];
  clock: Clock;
  logger: Logger;
  settings: SurgeSettings;
  notifier?: AlertNotifier;
}

export interface SurgeRunOutcome {
  at: Date;
  keysTested: number;
  significant: AlertKey[];
  /** Ids of the alerts raised by this run. */
  raised: string[];
  /** Ids of the alerts this run found still going on. */
  ongoing: string[];
  /** Tickets that joined an alert in this run. */
  grouped: string[];
}

export interface SurgeDetector {
  /**
   * One run at the clock's time, unless this time slot was already run (here or by another
   * instance); then undefined. Due webhook notifications are sent either way.
   */
  runOnce(): Promise<SurgeRunOutcome | undefined>;
  start(): void;
  stop(): Promise<void>;
}

const keyName = (key: AlertKey) => `${key.kind} ${key.key}`;
const hourMs = 3_600_000;

function figures(judgement: SurgeJudgement, window: { start: Date; end: Date }): AlertFigures {
  return {
    windowStart: window.start,
    windowEnd: window.end,
    observed: judgement.observed,
    expected: judgement.expected,
    pValue: judgement.pValue,
    windowTotal: judgement.windowTotal,
    baselineCount: judgement.baselineCount,
    baselineTotal: judgement.baselineTotal,
  };
}

export function createSurgeDetector(options: SurgeDetectorOptions): SurgeDetector {
  const { db, clock, logger, settings } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  // The baseline moves by the hour, not by the run: one count of the days before per hour and
  // process instead of one per run (the results are kilobytes each; bench/alerts/surge-counts.ts).
  let baselineCache: { end: number; counts: PeriodCounts } | undefined;
  async function baselineBefore(windowStart: Date): Promise<PeriodCounts> {
    const end = Math.floor(windowStart.getTime() / hourMs) * hourMs;
    if (baselineCache?.end !== end) {
      const counts = await periodCounts(db, {
        from: new Date(end - settings.baselineMs),
        to: new Date(end),
      });
      baselineCache = { end, counts };
    }
    return baselineCache.counts;
  }

  async function detect(now: Date): Promise<Omit<SurgeRunOutcome, 'at'>> {
    const window = { start: new Date(now.getTime() - settings.windowMs), end: now };
    const baseline = await baselineBefore(window.start);
    const recent = await periodCounts(db, { from: window.start, to: now });
    const significant: SignificantKey[] = [];
    // A key absent from the window cannot have surged: only the window's keys are tested.
    for (const key of recent.keys) {
      const usual = baseline.keys.find(
        (candidate) => candidate.kind === key.kind && candidate.key === key.key,
      );
      const judgement = judgeSurge(
        {
          observed: key.conversations,
          windowTotal: recent.total,
          baselineCount: usual?.conversations ?? 0,
          baselineTotal: baseline.total,
        },
        settings.thresholds,
      );
      if (!judgement.significant) continue;
      const conversations = await keyConversations(db, key, { from: window.start, to: now });
      significant.push({
        kind: key.kind,
        key: key.key,
        judgement,
        conversations: new Set(conversations),
      });
    }

    const ongoingSince = new Date(now.getTime() - settings.windowMs);
    const candidates = await alertsForDedupe(db, ongoingSince);
    // Unresolved alerts first: a key belongs to the alert agents are still working on.
    const ordered = [
      ...candidates.filter((row) => row.status !== 'resolved'),
      ...candidates.filter((row) => row.status === 'resolved'),
    ];
    const known: KnownAlert[] = ordered.map((row) => ({
      id: row.id,
      kind: alertKindSchema.parse(row.kind),
      key: row.key,
      related: parseRelated(row.related),
    }));
    const plan = planAlerts(significant, known);

    const announcements: Record<string, unknown>[] = [];
    const outcome = await db.transaction().execute(async (trx) => {
      const raised: AlertRow[] = [];
      for (const ongoing of plan.ongoing) {
        const alert = candidates.find((row) => row.id === ongoing.alertId)!;
        const main = ongoing.keys.find((key) => key.kind === alert.kind && key.key === alert.key);
        await updateOngoingAlert(trx, alert.id, {
          ...(main ? { figures: figures(main.judgement, window) } : {}),
          related: ongoing.related,
          now,
        });
      }
      for (const wave of plan.raised) {
        const row = await insertAlert(trx, {
          kind: wave.main.kind,
          key: wave.main.key,
          related: wave.related.map(({ kind, key }) => ({ kind, key })),
          figures: figures(wave.main.judgement, window),
          groupedSince: window.start,
          notify: settings.webhook !== undefined,
          now,
        });
        if (!row) continue;
        raised.push(row);
        announcements.push({
          alertId: row.id,
          key: keyName(wave.main),
          related: wave.related.map(keyName),
          observed: row.observed,
          expected: Number(row.expected.toFixed(2)),
          pValue: row.p_value,
        });
        await appendAuditEntry(trx, {
          actorType: 'system',
          actorId: 'surge-detector',
          action: 'alert.raised',
          subjectType: 'alert',
          subjectId: row.id,
          details: {
            kind: row.kind,
            key: row.key,
            related: wave.related.map(keyName),
            observed: row.observed,
            expected: row.expected,
            pValue: row.p_value,
          },
          at: now,
        });
      }

      // Tickets join every unresolved alert whose surge is still going on, from its first window.
      const grouped: string[] = [];
      const groupingAlerts = [
        ...raised,
        ...candidates.filter(
          (row) =>
            row.status !== 'resolved' &&
            (plan.ongoing.some((ongoing) => ongoing.alertId === row.id) ||
              new Date(row.last_significant_at) >= ongoingSince),
        ),
      ];
      for (const alert of groupingAlerts) {
        const key = { kind: alertKindSchema.parse(alert.kind), key: alert.key };
        // Earlier runs grouped what came before their time: look back one window from the last.
        const from = raised.includes(alert)
          ? new Date(alert.grouped_since)
          : new Date(
              Math.max(
                new Date(alert.grouped_since).getTime(),
                new Date(alert.last_significant_at).getTime() - settings.windowMs,
              ),
            );
        const tickets = await keyTickets(trx, key, { from, to: now });
        const added = await groupTickets(trx, alert.id, tickets, now);
        grouped.push(...added);
        const lifted = await raiseTicketUrgency(trx, added, `surge alert: ${keyName(key)}`, now);
        for (const ticketId of lifted) {
          await appendAuditEntry(trx, {
            actorType: 'system',
            actorId: 'surge-detector',
            action: 'ticket.urgency_raised',
            subjectType: 'ticket',
            subjectId: ticketId,
            details: { alertId: alert.id, kind: key.kind, key: key.key },
            at: now,
          });
        }
      }
      return {
        keysTested: recent.keys.length,
        significant: significant.map(({ kind, key }) => ({ kind, key })),
        raised: raised.map((row) => row.id),
        ongoing: plan.ongoing.map((ongoing) => ongoing.alertId),
        grouped,
      };
    });
    // Seen by whoever watches the logs, whether or not a webhook is set; after the commit.
    for (const announcement of announcements) logger.warn(announcement, 'surge alert raised');
    return outcome;
  }

  async function runOnce(): Promise<SurgeRunOutcome | undefined> {
    const now = clock.now();
    const interval = settings.intervalMs > 0 ? settings.intervalMs : 1;
    const slot = new Date(Math.floor(now.getTime() / interval) * interval);
    let outcome: SurgeRunOutcome | undefined;
    if (await claimSurgeRun(db, slot, now)) {
      const detected = await options.exclusive('triage:surge-detector', () => detect(now));
      outcome = { at: now, ...detected };
      await finishSurgeRun(db, slot, {
        keysTested: detected.keysTested,
        significant: detected.significant.length,
        raised: detected.raised.length,
        now: clock.now(),
      });
      await pruneSurgeRuns(db, new Date(now.getTime() - settings.baselineMs - settings.windowMs));
    }
    await options.notifier?.deliverDue();
    return outcome;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error) => logger.error({ err: error }, 'surge detector run failed'))
        .finally(schedule);
    }, settings.intervalMs);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (!stopped || settings.intervalMs <= 0) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
