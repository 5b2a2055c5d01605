/**
 * Figures over contacts (kpi.repository.ts contactRows): automatic answers and hand-offs, what
 * became of each automatic answer, first-contact resolution, repeat contacts, the reasons for
 * hand-offs and the daily series.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { reasonSchema } from '../triage/reasons.js';
import type { KpiFigure, KpiKey, KpiReport } from './kpi-contract.js';
import type { KpiWindows, kpiDefinitions } from './kpi-definitions.js';
import { daysMs, hoursMs, moment, ratio } from './kpi-figure.js';
import type { ContactRow } from './kpi.repository.js';

export type AutoAnswerOutcome = 'followedUp' | 'confirmed' | 'assumed' | 'pending';
export type Resolution = 'resolved' | 'unresolved' | 'pending';

interface Context {
  now: Date;
  windows: KpiWindows;
  definitions: ReturnType<typeof kpiDefinitions>;
}

const isAutoAnswer = (row: ContactRow) => row.action === 'auto_reply';
const before = (value: Date | string | null, deadline: number) => {
  const at = moment(value);
  return at !== null && at.getTime() <= deadline;
};

/** What became of one automatic answer, by the follow-up window. */
export function autoAnswerOutcome(row: ContactRow, now: Date, followUpHours: number) {
  const deadline = moment(row.created_at)!.getTime() + followUpHours * hoursMs;
  if (before(row.next_message_at, deadline)) return 'followedUp';
  if (now.getTime() < deadline) return 'pending';
  return before(row.next_thanks_at, deadline) ? 'confirmed' : 'assumed';
}

/** Whether a contact was resolved without the customer coming back. */
export function firstContactResolution(
  row: ContactRow,
  now: Date,
  windows: KpiWindows,
): Resolution {
  if (isAutoAnswer(row)) {
    const outcome = autoAnswerOutcome(row, now, windows.followUpHours);
    return outcome === 'pending' ? 'pending' : outcome === 'followedUp' ? 'unresolved' : 'resolved';
  }
  if (row.agent_replies > 1) return 'unresolved';
  const solved = moment(row.first_solved_at);
  if (!solved) return row.ticket_status === 'closed' ? 'unresolved' : 'pending';
  const deadline = solved.getTime() + windows.durableDays * daysMs;
  if (before(row.reopened_at, deadline) || before(row.next_ticket_at, deadline))
    return 'unresolved';
  return now.getTime() < deadline ? 'pending' : 'resolved';
}

/** Whether the same customer came back with another contact within the repeat window. */
export function repeatContact(
  row: ContactRow,
  now: Date,
  repeatDays: number,
): 'repeated' | 'single' | 'pending' {
  const deadline = moment(row.created_at)!.getTime() + repeatDays * daysMs;
  if (before(row.next_contact_at, deadline)) return 'repeated';
  return now.getTime() < deadline ? 'pending' : 'single';
}

function tally<T extends string>(values: readonly T[]) {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return (value: T) => counts.get(value) ?? 0;
}

const decisionDetailsSchema = z.array(reasonSchema);

/** The reason codes stored with one hand-off's decision, each once. */
function handoffCodes(row: ContactRow): string[] {
  const parsed = decisionDetailsSchema.safeParse(row.decision_details);
  if (!parsed.success || parsed.data.length === 0) return ['unrecorded'];
  return [...new Set(parsed.data.map((reason) => reason.code))];
}

export function contactKpis(
  rows: readonly ContactRow[],
  context: Context,
): Pick<
  Record<KpiKey, KpiFigure>,
  | 'automaticAnswerRate'
  | 'handoffRate'
  | 'autoAnswersConfirmed'
  | 'autoAnswersAssumed'
  | 'autoAnswersFollowedUp'
  | 'firstContactResolution'
  | 'repeatContactRate'
> & { handoffReasons: KpiReport['handoffReasons'] } {
  const { now, windows, definitions } = context;
  const answers = rows.filter(isAutoAnswer);
  const handoffs = rows.filter((row) => !isAutoAnswer(row));
  const outcome = tally(answers.map((row) => autoAnswerOutcome(row, now, windows.followUpHours)));
  const decidedAnswers = answers.length - outcome('pending');
  const fcr = tally(rows.map((row) => firstContactResolution(row, now, windows)));
  const repeat = tally(rows.map((row) => repeatContact(row, now, windows.repeatDays)));
  const codes = tally(handoffs.flatMap(handoffCodes));
  const distinctCodes = [...new Set(handoffs.flatMap(handoffCodes))];
  return {
    automaticAnswerRate: ratio(answers.length, rows.length, definitions.automaticAnswerRate),
    handoffRate: ratio(handoffs.length, rows.length, definitions.handoffRate),
    autoAnswersFollowedUp: ratio(
      outcome('followedUp'),
      decidedAnswers,
      definitions.autoAnswersFollowedUp,
      outcome('pending'),
    ),
    autoAnswersConfirmed: ratio(
      outcome('confirmed'),
      decidedAnswers,
      definitions.autoAnswersConfirmed,
      outcome('pending'),
    ),
    autoAnswersAssumed: ratio(
      outcome('assumed'),
      decidedAnswers,
      definitions.autoAnswersAssumed,
      outcome('pending'),
    ),
    firstContactResolution: ratio(
      fcr('resolved'),
      fcr('resolved') + fcr('unresolved'),
      definitions.firstContactResolution,
      fcr('pending'),
    ),
    repeatContactRate: ratio(
      repeat('repeated'),
      repeat('repeated') + repeat('single'),
      definitions.repeatContactRate,
      repeat('pending'),
    ),
    handoffReasons: {
      definition: definitions.handoffReasons,
      handoffs: handoffs.length,
      reasons: distinctCodes
        .map((code) => ({ code, count: codes(code), share: codes(code) / handoffs.length }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    },
  };
}

/** Contacts, automatic answers and hand-offs per day of the range in the service hours' zone. */
export function dailySeries(
  rows: readonly ContactRow[],
  range: { from: Date; to: Date; timezone: string },
): KpiReport['daily']['days'] {
  const day = (at: Date) => DateTime.fromJSDate(at, { zone: range.timezone }).toISODate()!;
  const days = new Map<string, { contacts: number; automaticAnswers: number; handoffs: number }>();
  const last = day(new Date(range.to.getTime() - 1));
  for (
    let cursor = DateTime.fromJSDate(range.from, { zone: range.timezone }).startOf('day');
    cursor.toISODate()! <= last;
    cursor = cursor.plus({ days: 1 })
  ) {
    days.set(cursor.toISODate()!, { contacts: 0, automaticAnswers: 0, handoffs: 0 });
  }
  for (const row of rows) {
    const counts = days.get(day(moment(row.created_at)!));
    if (!counts) continue;
    counts.contacts += 1;
    if (isAutoAnswer(row)) counts.automaticAnswers += 1;
    else counts.handoffs += 1;
  }
  return [...days].map(([date, counts]) => ({ date, ...counts }));
}
