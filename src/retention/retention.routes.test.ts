/**
 * Retention (issue 16) on a manual clock: with RETENTION_DAYS=30, a customer's history from 31
 * days ago loses its text (messages, triage replies and evidence, ticket draft and subject,
 * agent actions' texts, outbox payloads, audit details, their name) while rows, categories,
 * actions and times stay, so counts do not move; text newer than 30 days, and a conversation
 * whose ticket is still open, keep theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SeededCustomer,
  seedCustomer,
  tablesMentioning,
} from '../testing/customer-history.js';
import { bearer, startTestService, type TestService, testApiKeysEnv } from '../testing/service.js';
import { manualClock } from '../time/clock.js';
import { REDACTED } from './redaction.js';

const clock = manualClock('2026-03-02T02:00:00Z'); // a Monday, 10:00 in Shanghai
let service: TestService;
let old: SeededCustomer;
let stillOpen: SeededCustomer;
let recent: SeededCustomer;

const counts = async () => {
  const db = service.database.db;
  const count = async (
    table: 'messages' | 'triage_results' | 'tickets' | 'agent_actions' | 'outbox' | 'audit_log',
  ) =>
    Number(
      (await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
    );
  return {
    messages: await count('messages'),
    triageResults: await count('triage_results'),
    tickets: await count('tickets'),
    agentActions: await count('agent_actions'),
    outbox: await count('outbox'),
    audit: await count('audit_log'),
    stats: await (
      await service.app.request('/v1/stats/agent-actions', { headers: bearer('admin') })
    ).json(),
  };
};

beforeAll(async () => {
  service = await startTestService({ ...testApiKeysEnv, RETENTION_DAYS: '30' }, { clock });
  old = await seedCustomer(service, { customerId: 'cust-old', marker: 'Zorblax', solve: true });
  stillOpen = await seedCustomer(service, { customerId: 'cust-open', marker: 'Wibbleton' });
  clock.advance(31 * 86_400_000);
  recent = await seedCustomer(service, { customerId: 'cust-new', marker: 'Quimbly', solve: true });
}, 240_000);
afterAll(async () => service?.close());

describe('the retention pass', () => {
  let before: Awaited<ReturnType<typeof counts>>;
  let pass: Awaited<ReturnType<TestService['retention']['runOnce']>>;

  beforeAll(async () => {
    before = await counts();
    pass = await service.retention.runOnce();
  });

  it('redacts the old history and nothing else', async () => {
    const ticketless = await service.database.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', stillOpen.conversationIds[0]!)
      .execute();
    // The old customer's, and the answered question of the customer whose other ticket is open.
    expect(pass.messages).toBe(old.messageIds.length + ticketless.length);
    expect(pass.tickets).toBe(1);
    expect(pass.conversations).toBe(3);
  });

  it('leaves no text of the old customer anywhere, but their ids', async () => {
    expect(await tablesMentioning(service.database.db, [old.marker])).toEqual({});
    const messages = await service.database.db
      .selectFrom('messages')
      .select(['text', 'redacted_at'])
      .where('id', 'in', old.messageIds)
      .execute();
    for (const message of messages) {
      expect(message.text).toBe(REDACTED);
      expect(message.redacted_at).not.toBeNull();
    }
    const ticket = await (
      await service.app.request(`/v1/tickets/${old.ticketId}`, { headers: bearer('agent') })
    ).json();
    expect(ticket.draft).toBe(REDACTED);
    expect(ticket.subject).toBe(REDACTED);
    expect(ticket.category).toBeTruthy();
    expect(ticket.status).toBe('solved');
    expect(ticket.triage.decision.action).toBe('handoff');
    expect(ticket.triage.reply.text).toBe(REDACTED);
  });

  it('keeps every row, category and count', async () => {
    expect(await counts()).toEqual(before);
    const results = await service.database.db
      .selectFrom('triage_results')
      .select(['category', 'action'])
      .where('message_id', 'in', old.messageIds)
      .execute();
    expect(results.map((row) => row.action).sort()).toEqual(['auto_reply', 'handoff']);
    expect(results.every((row) => row.category)).toBe(true);
  });

  it('keeps the text of recent messages and of a conversation whose ticket is open', async () => {
    const found = await tablesMentioning(service.database.db, [recent.marker]);
    expect(found).toMatchObject({
      messages: 3,
      tickets: 1,
      agent_actions: 1,
      conversations: 2,
    });
    const open = await service.database.db
      .selectFrom('messages')
      .select('text')
      .where('conversation_id', '=', stillOpen.conversationIds[1]!)
      .execute();
    expect(open.some((message) => message.text.includes(stillOpen.marker))).toBe(true);
    // Its other, ticketless conversation is as old as the rest: redacted.
    const answered = await service.database.db
      .selectFrom('messages')
      .select('text')
      .where('conversation_id', '=', stillOpen.conversationIds[0]!)
      .execute();
    expect(answered.every((message) => message.text === REDACTED)).toBe(true);
  });

  it('leaves redacted decisions out of the feedback export', async () => {
    const feedback = await (
      await service.app.request('/v1/feedback/export', { headers: bearer('admin') })
    ).text();
    const records = feedback
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.map((record) => record.ticketId).sort()).toEqual(
      [stillOpen.ticketId, recent.ticketId].sort(),
    );
    expect(feedback).not.toContain(REDACTED);
  });

  it('has nothing left to do on the next pass', async () => {
    expect(await service.retention.runOnce()).toEqual({
      messages: 0,
      tickets: 0,
      conversations: 0,
    });
  });
});
