import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertConversation } from '../conversations/conversation.repository.js';
import { insertInboundMessage, markTriaged } from '../conversations/message.repository.js';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService(testApiKeysEnv);
}, 120_000);
afterAll(async () => service?.close());

/** One sample line of the text format: `name{label="value",…} number` (NaN in any case, as Prometheus reads it). */
const sampleLine =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]?Inf)$/i;

/** Parses the exposition text strictly: every line is a comment or a sample (else it throws). */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]!.replace(/^nan$/i, 'NaN')));
  }
  return samples;
}

async function scrape(): Promise<Map<string, number>> {
  const response = await service.app.request('/metrics', { headers: bearer('admin') });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

let sequence = 0;
const message = (text: string) => ({
  channel: 'web-chat',
  externalMessageId: `metrics-m-${sequence}`,
  conversationId: `metrics-c-${sequence++}`,
  customer: { id: 'cust-metrics' },
  text,
});

describe('GET /metrics', () => {
  it('counts received messages, decisions by source, triage time and reads the gauges', async () => {
    const before = await scrape();
    const count = (samples: Map<string, number>, key: string) => samples.get(key) ?? 0;

    const complaint = await postJson(
      service.app,
      '/v1/messages?wait=30',
      message('再不处理我就去12315投诉你们！'),
      bearer('integration'),
    );
    expect(complaint.status).toBe(200);
    const handedOff = (await complaint.json()) as { action: string };
    expect(handedOff.action).toBe('handoff');

    const triaged = await postJson(
      service.app,
      '/v1/triage',
      { text: 'How long does a refund take to reach my card?' },
      bearer('integration'),
    );
    expect(triaged.status).toBe(200);
    const result = (await triaged.json()) as { decision: { action: string }; category: string };

    const after = await scrape();
    expect(
      count(after, 'triage_messages_received_total{channel="web-chat"}') -
        count(before, 'triage_messages_received_total{channel="web-chat"}'),
    ).toBe(1);
    const apiKey = `triage_decisions_total{action="${result.decision.action}",category="${result.category}",source="triage_api"}`;
    expect(count(after, apiKey) - count(before, apiKey)).toBe(1);
    const storedDecisions = (samples: Map<string, number>) =>
      [...samples]
        .filter(
          ([key]) =>
            key.startsWith('triage_decisions_total{action="handoff",') &&
            key.endsWith('source="messages"}'),
        )
        .reduce((sum, [, value]) => sum + value, 0);
    expect(storedDecisions(after) - storedDecisions(before)).toBe(1);
    // Both triages were timed: the intake's and the route's.
    expect(
      count(after, 'triage_pipeline_seconds_count') -
        count(before, 'triage_pipeline_seconds_count'),
    ).toBe(2);

    // The complaint opened a ticket; every urgency level is reported, the empty ones as 0.
    const openTickets = [...after].filter(([key]) => key.startsWith('triage_tickets_open{'));
    expect(openTickets.map(([key]) => key)).toEqual(
      expect.arrayContaining([
        'triage_tickets_open{urgency="low"}',
        'triage_tickets_open{urgency="critical"}',
      ]),
    );
    expect(openTickets.reduce((sum, [, value]) => sum + value, 0)).toBeGreaterThanOrEqual(1);
    expect(after.get('triage_outbox_pending')).toBeGreaterThanOrEqual(0);
    expect(after.get('triage_outbox_failed')).toBe(0);
    // Process metrics from prom-client, on this service's registry with the prefix.
    expect(after.has('triage_process_cpu_user_seconds_total')).toBe(true);
  });

  it('needs an admin key while credentials are required', async () => {
    expect((await service.app.request('/metrics')).status).toBe(401);
    expect((await service.app.request('/metrics', { headers: bearer('agent') })).status).toBe(403);
  });

  it('reports the intake backlog and the age of its oldest message', async () => {
    const db = service.database.db;
    // Stored ten minutes ago and never claimed (no worker was woken for it).
    const at = new Date(Date.now() - 600_000);
    const conversation = await upsertConversation(db, {
      channel: 'web-chat',
      externalId: 'metrics-backlog',
      customerId: 'cust-metrics',
      customerName: null,
      now: at,
    });
    const waiting = await insertInboundMessage(db, {
      conversationId: conversation.id,
      channel: 'web-chat',
      externalMessageId: 'metrics-backlog-1',
      customerId: 'cust-metrics',
      text: 'still waiting',
      sentAt: null,
      locale: null,
      now: at,
    });
    const samples = await scrape();
    expect(samples.get('triage_intake_backlog')).toBeGreaterThanOrEqual(1);
    expect(samples.get('triage_intake_oldest_age_seconds')).toBeGreaterThanOrEqual(600);
    await markTriaged(db, waiting!.id);
    const after = await scrape();
    expect(after.get('triage_intake_backlog')).toBe(samples.get('triage_intake_backlog')! - 1);
  });
});
