/**
 * The surge replay: a week of quiet, varied traffic (a daily cycle, random arrivals across nine
 * kinds of question) raises nothing; then a courier outage (SF Express parcels stuck, through
 * the real intake) is alerted within a stated delay, on its carrier only; the wave's tickets
 * are grouped and lifted to high urgency, the webhook gets the signed alert, /metrics counts
 * it, it is not raised twice, and one reviewed reply reaches every grouped conversation through
 * the outbox. The quiet history is inserted directly (the detector only reads stored triage
 * results): each kind of question is triaged once by the real engine and its result stored
 * for every conversation of that kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../channels/webhook/outbound.js';
import { startFakePlatform, type FakePlatform } from '../testing/fake-platform.js';
import { parseSamples, sampleValue } from '../testing/prometheus-text.js';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';
import { silentLogger } from '../testing/logger.js';
import { manualClock } from '../time/clock.js';
import type { TriageResult } from '../triage/triage.js';
import { alertWebhookPayloadSchema, type AlertKey } from './alert-contract.js';
import { createSurgeDetector, type SurgeRunOutcome } from './surge-detector.js';
import { surgeSettings } from './surge-settings.js';

const minute = 60_000;
const hour = 60 * minute;
// The wave starts on a Tuesday at 10:00 in Shanghai (knowledge-base/service-hours.yaml).
const waveStart = new Date('2026-03-10T02:00:00Z');
const historyStart = new Date(waveStart.getTime() - 7 * 24 * hour);
const clock = manualClock(historyStart);
const replySecret = 'reply-webhook-secret-0001';
const alertSecret = 'alert-webhook-secret-0001';

/** The kinds of question of the quiet week, each triaged once by the real engine. */
const quietTexts = [
  'My parcel SF1234567890123 has not moved for three days, where is it?',
  'Tracking YT1234567890123 shows no update since Monday',
  'How long does a refund take to reach my card?',
  'I want to return these shoes, they are too small',
  'Can I get an invoice for my order?',
  'Is this charger compatible with iPhone 15?',
  'Can I change the delivery address of my order?',
  'How do I use my coupon at checkout?',
  'The cup arrived broken',
];
/** The outage: customers whose SF Express parcels stopped moving, in their own words. */
const waveTexts = [
  (number: string) => `My parcel ${number} has not moved for three days, where is it?`,
  (number: string) => `Parcel ${number} stuck in transit for 5 days. Please help, this is urgent.`,
  // Spaced: a waybill directly followed by Han text is sometimes (about 1 in 50 numbers) taken
  // for an IBAN by the PII step and redacted, its carrier lost (a triage bug, reported apart).
  (number: string) => `我的快递 ${number} 三天没动了，怎么回事？`,
];
/** The keys the outage may raise: its carrier, its category, the entry its messages match. */
const waveKeys = ['carrier sf-express', 'category logistics', 'entry delayed_parcel'];

// Seeded, so the replay is the same every run.
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(16);
function poisson(mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count++;
  return count;
}
/** Conversations per 5 minutes: 0.5 at night, 1.5 in the day, 1 in between (Shanghai time). */
function arrivalsPerSlot(at: Date): number {
  const local = (at.getUTCHours() + 8) % 24;
  return local < 8 ? 0.5 : local < 21 ? 1.5 : 1;
}

let service: TestService;
let fake: FakePlatform;
const templates: TriageResult[] = [];
let seeded = 0;

/** Quiet conversations with arrival times in (from, to], one customer message each. */
async function seedQuiet(from: Date, to: Date) {
  const rows: { at: Date; result: TriageResult }[] = [];
  for (let slot = from.getTime(); slot < to.getTime(); slot += 5 * minute) {
    const arrivals = poisson(arrivalsPerSlot(new Date(slot)));
    for (let index = 0; index < arrivals; index++) {
      rows.push({
        at: new Date(slot + 1000 + Math.floor(random() * (5 * minute - 2000))),
        result: templates[Math.floor(random() * templates.length)]!,
      });
    }
  }
  const db = service.database.db;
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    const numbers = batch.map(() => seeded++);
    const conversations = await db
      .insertInto('conversations')
      .values(
        batch.map((row, index) => ({
          channel: 'seed',
          external_id: `quiet-${numbers[index]}`,
          customer_id: `quiet-customer-${numbers[index]}`,
          customer_name: null,
          created_at: row.at,
          updated_at: row.at,
        })),
      )
      .returning('id')
      .execute();
    const messages = await db
      .insertInto('messages')
      .values(
        batch.map((row, index) => ({
          conversation_id: conversations[index]!.id,
          channel: 'seed',
          external_message_id: `quiet-message-${numbers[index]}`,
          direction: 'inbound' as const,
          author: 'customer' as const,
          author_id: `quiet-customer-${numbers[index]}`,
          text: '(seeded)',
          sent_at: null,
          created_at: row.at,
          processing: 'triaged' as const,
          claimed_at: null,
          locale: null,
          reply_to_message_id: null,
        })),
      )
      .returning('id')
      .execute();
    await db
      .insertInto('triage_results')
      .values(
        batch.map((row, index) => ({
          message_id: messages[index]!.id,
          category: row.result.category,
          action: row.result.decision.action,
          urgency_score: row.result.urgency.score,
          provider: row.result.provider,
          result: JSON.stringify(row.result),
          created_at: row.at,
          ticket_id: null,
        })),
      )
      .execute();
  }
  return rows.length;
}

let waveCount = 0;
const waveConversations: string[] = [];
const waveTickets = new Set<string>();
/** One customer of the outage, through the real intake (stored, triaged, ticket opened). */
async function postWaveMessage() {
  const number = `SF${7_000_000_000_000 + waveCount}`;
  const conversationId = `outage-${waveCount}`;
  const text = waveTexts[waveCount % waveTexts.length]!(number);
  waveCount++;
  const response = await postJson(
    service.app,
    '/v1/messages?wait=30',
    {
      channel: 'web-chat',
      externalMessageId: `${conversationId}-1`,
      conversationId,
      customer: { id: `customer-${conversationId}` },
      text,
    },
    bearer('integration'),
  );
  expect(response.status).toBe(200);
  const outcome = await response.json();
  waveConversations.push(conversationId);
  if (outcome.ticket?.id) waveTickets.add(outcome.ticket.id);
  return outcome;
}

/** Five minutes of the outage: quiet traffic as usual, two customers of the wave, one run. */
async function outageStep(at: Date) {
  await seedQuiet(new Date(at.getTime() - 5 * minute), at);
  clock.set(at);
  await postWaveMessage();
  await postWaveMessage();
  return (await service.surgeDetector.runOnce())!;
}

const keyName = (key: AlertKey) => `${key.kind} ${key.key}`;
const get = async (path: string, role: 'agent' | 'admin' = 'agent') =>
  service.app.request(path, { headers: bearer(role) });
const alertsOpen = async () => {
  const samples = parseSamples(await (await get('/metrics', 'admin')).text());
  return (kind: string) => sampleValue(samples, 'triage_alerts_open', { kind });
};

describe('surge replay: a courier outage on a quiet week', () => {
  let alertId: string;
  let detectedAt: Date;
  const runs: SurgeRunOutcome[] = [];

  beforeAll(async () => {
    fake = await startFakePlatform(() => ({ status: 204 }));
    service = await startTestService(
      {
        ...testApiKeysEnv,
        WEBHOOK_URL: `${fake.url}/replies`,
        WEBHOOK_SECRET: replySecret,
        ALERT_WEBHOOK_URL: `${fake.url}/alerts`,
        ALERT_WEBHOOK_SECRET: alertSecret,
        SURGE_CHECK_INTERVAL_SECONDS: '300',
        SURGE_WINDOW_MINUTES: '60',
        SURGE_BASELINE_DAYS: '7',
      },
      { clock },
    );
    for (const text of quietTexts) templates.push(await service.triage.triage({ text }));
    // The quiet week's carrier share: one kind of question in nine names SF Express.
    expect(
      templates.filter((t) => t.entities.trackingNumbers[0]?.carrier === 'sf-express'),
    ).toHaveLength(1);
    const count = await seedQuiet(historyStart, waveStart);
    expect(count).toBeGreaterThan(1500);
  }, 300_000);

  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  it('raises nothing on the quiet week (its last two days replayed run by run)', async () => {
    const outcomes: SurgeRunOutcome[] = [];
    // One run an hour: every message of the two days is tested once, in one 60-minute window.
    for (let at = waveStart.getTime() - 47 * hour; at <= waveStart.getTime() - hour; at += hour) {
      clock.set(new Date(at));
      const outcome = await service.surgeDetector.runOnce();
      expect(outcome, 'each slot is run once').toBeDefined();
      outcomes.push(outcome!);
    }
    expect(outcomes).toHaveLength(47);
    // Every run tested the keys of its window (those absent from it cannot have surged)...
    expect(Math.min(...outcomes.map((outcome) => outcome.keysTested))).toBeGreaterThan(0);
    expect(outcomes.reduce((sum, outcome) => sum + outcome.keysTested, 0)).toBeGreaterThan(47 * 5);
    // ...and none came near: not one significant key, despite the daily cycle and the noise.
    expect(outcomes.flatMap((outcome) => outcome.significant)).toEqual([]);
    expect((await (await get('/v1/alerts')).json()).alerts).toEqual([]);
    expect((await alertsOpen())('carrier')).toBe(0);
  });

  it('alerts the outage within 35 minutes, on its carrier, and nothing else', async () => {
    // Bound: at 24 conversations an hour on 12-18 quiet ones (SF's share 1/9), the binomial test
    // at p <= 1e-5 needs about 10-12 wave conversations in the window: 25-30 minutes, and the
    // run every 5 minutes sees it at most one interval later. 2,000 simulated replays of this
    // wave on random quiet traffic all alerted within 35 minutes (median 25).
    for (let step = 0; step < 12 && !alertId; step++) {
      const at = new Date(waveStart.getTime() + step * 5 * minute);
      const outcome = await outageStep(at);
      runs.push(outcome);
      if (outcome.raised.length) {
        alertId = outcome.raised[0]!;
        detectedAt = at;
      }
    }
    expect(alertId, 'the outage was alerted').toBeDefined();
    const delayMinutes = (detectedAt.getTime() - waveStart.getTime()) / minute;
    console.info(`outage alerted after ${delayMinutes} minutes`);
    expect(delayMinutes).toBeLessThanOrEqual(35);
    expect(runs.flatMap((run) => run.raised)).toEqual([alertId]);
    for (const key of runs.flatMap((run) => run.significant))
      expect(waveKeys).toContain(keyName(key));

    const { alerts } = await (await get('/v1/alerts')).json();
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({
      id: alertId,
      kind: 'carrier',
      key: 'sf-express',
      status: 'open',
    });
    for (const related of alert.related) expect(waveKeys).toContain(keyName(related));
    expect(alert.observed).toBeGreaterThan(alert.expected * 1.5);
    expect(alert.pValue).toBeLessThanOrEqual(1e-5);
  });

  it("groups the outage's tickets under the alert and lifts them to high urgency", async () => {
    expect(waveTickets.size).toBeGreaterThan(0);
    const detail = await (await get(`/v1/alerts/${alertId}`)).json();
    expect(detail.tickets.map((ticket: { id: string }) => ticket.id).sort()).toEqual(
      [...waveTickets].sort(),
    );
    for (const id of waveTickets) {
      const ticket = await (await get(`/v1/tickets/${id}`)).json();
      expect(['high', 'critical']).toContain(ticket.urgency.level);
      expect(ticket.urgency.score).toBeGreaterThanOrEqual(75);
      expect(ticket.urgency.reasons).toContain('surge alert: carrier sf-express');
    }
    // The quiet week's SF customers had no ticket; nothing outside the wave was touched.
    const queue = (await (await get('/v1/tickets?limit=500')).json()).tickets;
    for (const ticket of queue) expect(waveTickets.has(ticket.id)).toBe(true);
  });

  it('sends the webhook the signed alert', async () => {
    const sent = fake.requests.filter((request) => request.path === '/alerts');
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(
      verifyWebhookSignature(alertSecret, request!.headers['x-triage-signature'], request!.body, {
        now: clock.now(),
      }),
    ).toBe(true);
    expect(
      verifyWebhookSignature(
        'another-secret',
        request!.headers['x-triage-signature'],
        request!.body,
        { now: clock.now() },
      ),
    ).toBe(false);
    const payload = alertWebhookPayloadSchema.parse(request!.json);
    expect(payload).toMatchObject({ type: 'alert.raised', deliveryId: alertId });
    expect(payload.alert).toMatchObject({ kind: 'carrier', key: 'sf-express' });
    expect(payload.ticketIds.sort()).toEqual([...waveTickets].sort());
    const detail = await (await get(`/v1/alerts/${alertId}`)).json();
    expect(detail.notification).toEqual({ status: 'sent', attempts: 1, error: null });
  });

  it('counts it in /metrics', async () => {
    const open = await alertsOpen();
    expect(open('carrier')).toBe(1);
    expect(open('entry')).toBe(0);
    expect(open('category')).toBe(0);
  });

  it('does not raise the ongoing surge again, acknowledged or not; new tickets join it', async () => {
    const before = waveTickets.size;
    for (let step = 0; step < 2; step++) {
      const outcome = await outageStep(new Date(clock.now().getTime() + 5 * minute));
      expect(outcome.raised).toEqual([]);
      expect(outcome.ongoing).toContain(alertId);
    }
    expect(waveTickets.size).toBeGreaterThan(before);
    const acknowledged = await postJson(
      service.app,
      `/v1/alerts/${alertId}/acknowledge`,
      {},
      bearer('agent'),
    );
    expect(acknowledged.status).toBe(200);
    expect((await acknowledged.json()).acknowledged.by).toBe('alice');
    const outcome = await outageStep(new Date(clock.now().getTime() + 5 * minute));
    expect(outcome.raised).toEqual([]);
    const detail = await (await get(`/v1/alerts/${alertId}`)).json();
    expect(detail.status).toBe('acknowledged');
    expect(detail.tickets.map((ticket: { id: string }) => ticket.id).sort()).toEqual(
      [...waveTickets].sort(),
    );
    expect(fake.requests.filter((request) => request.path === '/alerts')).toHaveLength(1);
  });

  it('sends one reviewed reply to every grouped conversation through the outbox', async () => {
    // A minute on: the reply comes after the customer's message and the bot's acknowledgement.
    clock.advance(minute);
    const text =
      'SF Express has a delay in your region; your parcel is safe and moving again within 48 hours. We are following it for you.';
    const response = await postJson(
      service.app,
      `/v1/alerts/${alertId}/reply`,
      { text },
      bearer('agent'),
    );
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.sent.sort()).toEqual([...waveTickets].sort());
    expect(result.skipped).toEqual([]);
    for (let pass = 0; pass < 5; pass++) await service.outbox.deliverDue();
    const delivered = fake.requests.filter(
      (request) => request.path === '/replies' && (request.json as { text?: string }).text === text,
    );
    const reached = delivered.map(
      (request) => (request.json as { conversationId: string }).conversationId,
    );
    const groupedConversations = new Set<string>();
    for (const id of waveTickets) {
      const ticket = await (await get(`/v1/tickets/${id}`)).json();
      groupedConversations.add(ticket.conversation.externalId);
      // Each one the ticket's own agent reply: recorded, clock stopped, waiting for the customer.
      expect(ticket.status).toBe('pending_customer');
      expect(
        ticket.actions.some(
          (action: { action: string; agentId: string }) =>
            action.action === 'reply' && action.agentId === 'alice',
        ),
      ).toBe(true);
      expect(ticket.conversation.messages.at(-1)).toMatchObject({
        author: 'agent',
        text,
        delivery: 'delivered',
      });
      expect(['high', 'critical']).toContain(ticket.urgency.level);
    }
    expect(reached.sort()).toEqual([...groupedConversations].sort());
    for (const request of delivered)
      expect(
        verifyWebhookSignature(replySecret, request.headers['x-triage-signature'], request.body, {
          now: clock.now(),
        }),
      ).toBe(true);
  });

  it('resolving clears it; the surge still going on raises nothing new', async () => {
    const resolved = await postJson(
      service.app,
      `/v1/alerts/${alertId}/resolve`,
      {},
      bearer('agent'),
    );
    expect(resolved.status).toBe(200);
    expect((await resolved.json()).status).toBe('resolved');
    expect((await (await get('/v1/alerts')).json()).alerts).toEqual([]);
    expect((await alertsOpen())('carrier')).toBe(0);
    const again = await postJson(
      service.app,
      `/v1/alerts/${alertId}/acknowledge`,
      {},
      bearer('agent'),
    );
    expect(again.status).toBe(409);
    const outcome = await outageStep(new Date(clock.now().getTime() + 5 * minute));
    expect(outcome.significant.map(keyName)).toContain('carrier sf-express');
    expect(outcome.raised).toEqual([]);
    expect((await (await get('/v1/alerts?status=resolved')).json()).alerts).toHaveLength(1);
  });

  it('answers what cannot be done in the error shape', async () => {
    const missing = await get('/v1/alerts/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    const outside = await postJson(
      service.app,
      `/v1/alerts/${alertId}/reply`,
      { text: 'hello', ticketIds: ['00000000-0000-4000-8000-000000000000'] },
      bearer('agent'),
    );
    expect(outside.status).toBe(400);
    expect((await outside.json()).error.message).toContain('not grouped under alert');
    const empty = await postJson(
      service.app,
      `/v1/alerts/${alertId}/reply`,
      { text: ' ' },
      bearer('agent'),
    );
    expect(empty.status).toBe(400);
    const integration = await service.app.request('/v1/alerts', { headers: bearer('integration') });
    expect(integration.status).toBe(403);
  });

  it('runs each time slot once across instances', async () => {
    const second = createSurgeDetector({
      db: service.database.db,
      exclusive: service.database.exclusive,
      clock,
      logger: silentLogger(),
      settings: surgeSettings(service.config),
    });
    clock.set(new Date(clock.now().getTime() + 5 * minute));
    const outcomes = await Promise.all([service.surgeDetector.runOnce(), second.runOnce()]);
    expect(outcomes.filter((outcome) => outcome !== undefined)).toHaveLength(1);
  });
});
