/**
 * Every KPI on a seeded week with known answers (src/testing/kpi-history.ts): each expected
 * figure is worked out from the history by hand in the comments, so a change in a definition
 * shows up as a changed number here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiHistoryNow, kpiHistoryRange, seedKpiHistory } from '../testing/kpi-history.js';
import { bearer, startTestService, type TestService, testApiKeysEnv } from '../testing/service.js';
import { manualClock } from '../time/clock.js';
import { kpiKeys } from './kpi-contract.js';

const clock = manualClock(kpiHistoryNow);
let service: TestService;

async function report(query: Record<string, string> = {}, role: 'agent' | 'integration' = 'agent') {
  const search = new URLSearchParams({ ...kpiHistoryRange, ...query });
  return service.app.request(`/v1/stats/kpis?${search}`, { headers: bearer(role) });
}

async function figures(query: Record<string, string> = {}) {
  const response = await report(query);
  expect(response.status).toBe(200);
  return response.json();
}

/** value, numerator, denominator and pending of one figure. */
const counts = (figure: {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  pending?: number;
}) => [figure.value, figure.numerator, figure.denominator, figure.pending ?? null];

describe('GET /v1/stats/kpis on a seeded week', () => {
  let body: Awaited<ReturnType<typeof figures>>;
  beforeAll(async () => {
    service = await startTestService(testApiKeysEnv, { clock });
    await seedKpiHistory(service.database.db, service.serviceHours);
    body = await figures();
  }, 180_000);
  afterAll(async () => service?.close());

  it('counts automatic answers and hand-offs over the 11 contacts of the week', () => {
    // Contacts: #1 #2 #3 #5 #6 #7 answered, #4 #8 #9 #10 #11 opened tickets. The message before
    // the range, the thanks, the greeting, the follow-up merged into T8 and the survey ratings
    // are not contacts.
    expect(counts(body.kpis.automaticAnswerRate)).toEqual([6 / 11, 6, 11, null]);
    expect(counts(body.kpis.handoffRate)).toEqual([5 / 11, 5, 11, null]);
  });

  it('says what became of each automatic answer within 24 h', () => {
    // #1 thanked (confirmed); #2, #6 silent and #7 only greeted (assumed); #3 and #5 followed up.
    expect(counts(body.kpis.autoAnswersConfirmed)).toEqual([1 / 6, 1, 6, 0]);
    expect(counts(body.kpis.autoAnswersAssumed)).toEqual([3 / 6, 3, 6, 0]);
    expect(counts(body.kpis.autoAnswersFollowedUp)).toEqual([2 / 6, 2, 6, 0]);
  });

  it('lists hand-off reasons by their stored codes', () => {
    expect(body.handoffReasons.handoffs).toBe(5);
    expect(body.handoffReasons.reasons).toEqual([
      { code: 'classifier_unsure', count: 1, share: 0.2 },
      { code: 'no_match', count: 1, share: 0.2 },
      { code: 'person_only_category', count: 1, share: 0.2 },
      { code: 'request_needs_person', count: 1, share: 0.2 },
      { code: 'risk_flags', count: 1, share: 0.2 },
      { code: 'unrecorded', count: 1, share: 0.2 },
      { code: 'urgency_above', count: 1, share: 0.2 },
    ]);
    // The merged follow-up's agent_handling is not a hand-off reason.
    expect(JSON.stringify(body.handoffReasons)).not.toContain('agent_handling');
  });

  it('measures first response in working time, across the night and a weekend', async () => {
    // T3 2 min; T8 Friday 20:58 -> Saturday 10:03 = 2 + 3; T10 Tuesday 21:30 -> Wednesday
    // 09:04 = 4; T11 10; T9 unanswered and open (pending).
    expect(counts(body.kpis.firstResponseMean)).toEqual([21 / 4, 21, 4, 1]);
    expect(body.kpis.firstResponseMean.unit).toBe('minutes');
    expect(counts(body.kpis.firstResponseP90)).toEqual([10, null, 4, 1]);
    expect(counts(body.kpis.firstResponseWithinTarget)).toEqual([1 / 4, 1, 4, 1]);
    const target = await figures({ firstResponseTargetMinutes: '5' });
    // 2, 4 and 5 are within 5 working minutes.
    expect(counts(target.kpis.firstResponseWithinTarget)).toEqual([3 / 4, 3, 4, 1]);
  });

  it('measures SLA compliance by the tickets’ own clocks', () => {
    // First response due 5 working minutes after opening: T3, T8 (10:03 exactly) and T10 met,
    // T11 (10 min) missed, T9 breached.
    expect(counts(body.kpis.slaFirstResponse)).toEqual([3 / 5, 3, 5, 0]);
    // Resolution within 24 working hours: T3, T8 (solved again Monday 11:00, due 16:58), T10
    // and T11 met; T9 still open and past due.
    expect(counts(body.kpis.slaResolution)).toEqual([4 / 5, 4, 5, 0]);
  });

  it('tells durable solves from reopened ones', () => {
    // Solves in the range: T3 and T11 lasted 7 days; T8 was reopened by an agent, T10 by the
    // customer's new ticket (#11). T8's second solve is after the range.
    expect(counts(body.kpis.solvesDurable)).toEqual([2 / 4, 2, 4, 0]);
    expect(counts(body.kpis.solvesReopened)).toEqual([2 / 4, 2, 4, 0]);
  });

  it('counts first-contact resolution and repeat contacts', () => {
    // Resolved: #1 #2 #6 #7 (not followed up), #4 and #11 (one reply, lasted). Not: #3 #5
    // (followed up), #8 (two replies), #10 (reopened). Pending: #9 (not solved).
    expect(counts(body.kpis.firstContactResolution)).toEqual([6 / 10, 6, 10, 1]);
    // Repeated within 7 days: #3 (by #4), #5 (by #6), #7 (by #9 in another WeCom conversation),
    // #10 (by #11). Single: #1 #2 #4 #6 #11. Pending: #8 and #9 (less than 7 days ago).
    expect(counts(body.kpis.repeatContactRate)).toEqual([4 / 9, 4, 9, 2]);
  });

  it('counts decisions on drafts and the mean edit distance', () => {
    // accept T3; edit T8 (12) and T11 (30); reject T10. Replies, solves and reopens are not decisions.
    expect(counts(body.kpis.draftsUnchanged)).toEqual([1 / 4, 1, 4, null]);
    expect(counts(body.kpis.draftsEdited)).toEqual([2 / 4, 2, 4, null]);
    expect(counts(body.kpis.draftsRejected)).toEqual([1 / 4, 1, 4, null]);
    expect(counts(body.kpis.meanEditDistance)).toEqual([21, 42, 2, null]);
  });

  it('counts CSAT answers', () => {
    // Surveys: T3 5, T10 4, T11 2, T8 never answered (its 72 h have passed).
    expect(counts(body.kpis.csatScore)).toEqual([2 / 3, 2, 3, null]);
    expect(counts(body.kpis.csatMeanRating)).toEqual([11 / 3, 11, 3, null]);
    expect(counts(body.kpis.csatResponseRate)).toEqual([3 / 4, 3, 4, 0]);
    expect(body.csatDistribution.counts).toEqual([0, 1, 0, 1, 1]);
  });

  it('counts LLM use and says cost is not measured', () => {
    // 14 triaged messages in the range (11 contacts, the thanks, the greeting, the merged
    // follow-up); an LLM decided #1 (100 tokens), #3 (150) and #8 (250); #9 fell back.
    expect(counts(body.kpis.llmShare)).toEqual([3 / 14, 3, 14, null]);
    expect(counts(body.kpis.llmTokens)).toEqual([500, 500, 3, null]);
    expect(body.kpis.llmFallbacks.value).toBe(1);
    expect(body.kpis.llmCost.value).toBeNull();
    expect(body.kpis.llmCost.definition).toMatch(/^Not measured/);
  });

  it('gives a daily series in the service hours time zone', () => {
    expect(body.range.timezone).toBe('Asia/Shanghai');
    expect(body.daily.days).toEqual([
      { date: '2026-03-09', contacts: 2, automaticAnswers: 2, handoffs: 0 },
      { date: '2026-03-10', contacts: 3, automaticAnswers: 1, handoffs: 2 },
      { date: '2026-03-11', contacts: 2, automaticAnswers: 2, handoffs: 0 },
      { date: '2026-03-12', contacts: 2, automaticAnswers: 1, handoffs: 1 },
      { date: '2026-03-13', contacts: 1, automaticAnswers: 0, handoffs: 1 },
      { date: '2026-03-14', contacts: 1, automaticAnswers: 0, handoffs: 1 },
      { date: '2026-03-15', contacts: 0, automaticAnswers: 0, handoffs: 0 },
    ]);
  });

  it('takes dates as days of the service hours time zone', async () => {
    const byDates = await figures({ from: '2026-03-09', to: '2026-03-16' });
    expect(byDates.range.from).toBe(kpiHistoryRange.from);
    expect(byDates.range.to).toBe(kpiHistoryRange.to);
    expect(byDates.kpis).toEqual(body.kpis);
  });

  it('puts a definition next to every figure', () => {
    for (const key of kpiKeys) {
      expect(body.kpis[key].definition, key).toMatch(/\w{3,}/);
    }
    expect(body.kpis.autoAnswersAssumed.definition).toContain('within 24 h');
  });

  it('filters by channel and category, and moves the windows', async () => {
    const wecom = await figures({ channel: 'wecom' });
    // #7 answered, #9 handed off.
    expect(counts(wecom.kpis.automaticAnswerRate)).toEqual([1 / 2, 1, 2, null]);
    expect(counts(wecom.kpis.slaFirstResponse)).toEqual([0, 0, 1, 0]);
    const refunds = await figures({ category: 'refund' });
    // #1 answered; #10 and #11 handed off.
    expect(counts(refunds.kpis.automaticAnswerRate)).toEqual([1 / 3, 1, 3, null]);
    expect(counts(refunds.kpis.csatMeanRating)).toEqual([3, 6, 2, null]);
    // With a one-hour window the follow-ups of #3 (2 h) and #5 (10 h) come too late.
    const hour = await figures({ followUpHours: '1' });
    expect(counts(hour.kpis.autoAnswersFollowedUp)).toEqual([0, 0, 6, 0]);
    expect(counts(hour.kpis.autoAnswersAssumed)).toEqual([5 / 6, 5, 6, 0]);
    expect(hour.kpis.autoAnswersAssumed.definition).toContain('within 1 h');
  });

  it('marks figures whose windows are still open as pending', async () => {
    // Asked on Friday 03-13 at 12:00 about the week so far: T10's solve was reopened by #11 on
    // Thursday, but T3's (Tuesday) and T11's (this morning) are less than 7 days old.
    clock.set(new Date('2026-03-13T04:00:00Z'));
    try {
      const early = await figures({ to: '2026-03-13T04:00:00Z' });
      expect(early.kpis.solvesDurable.pending).toBe(2);
      expect(counts(early.kpis.solvesReopened)).toEqual([1, 1, 1, 2]);
    } finally {
      clock.set(kpiHistoryNow);
    }
  });

  it('refuses a reversed range and callers without a staff role', async () => {
    const reversed = await report({ from: kpiHistoryRange.to, to: kpiHistoryRange.from });
    expect(reversed.status).toBe(400);
    expect((await reversed.json()).error.message).toMatch(/before/);
    expect((await report({}, 'integration')).status).toBe(403);
  });
});
