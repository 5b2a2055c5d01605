/**
 * A customer's export and erase (issue 16): two customers with a history made through the real
 * intake and agent API; the export holds everything of one and nothing of the other; the erase
 * leaves no trace of them in any table (their words, name and every id, searched in every
 * column of every table) while the other customer's data is untouched, and the audit log
 * records both requests without keeping the erased customer's id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SeededCustomer,
  seedCustomer,
  sendMessage,
  tablesMentioning,
  tracesOf,
} from '../testing/customer-history.js';
import { bearer, startTestService, type TestService, testApiKeysEnv } from '../testing/service.js';

let service: TestService;
let erased: SeededCustomer;
let kept: SeededCustomer;

const request = (path: string, init: RequestInit = {}) =>
  service.app.request(path, { ...init, headers: { ...bearer('admin'), ...init.headers } });

const auditEntries = async () =>
  (await (await request('/v1/audit?limit=1000')).json()).entries as {
    action: string;
    actorId: string | null;
    subjectType: string;
    subjectId: string | null;
    details: Record<string, unknown>;
  }[];

beforeAll(async () => {
  service = await startTestService(testApiKeysEnv);
  // Solved: a satisfaction survey (a table of its own, pointing at the ticket) goes out too.
  erased = await seedCustomer(service, {
    customerId: 'cust-erase',
    marker: 'Zorblax',
    solve: true,
  });
  kept = await seedCustomer(service, { customerId: 'cust-keep', marker: 'Quimbly' });
}, 180_000);
afterAll(async () => service?.close());

describe('the seeded history', () => {
  it('has the erased customer in messages, results, tickets, actions, outbox and audit log', async () => {
    const tables = await tablesMentioning(service.database.db, tracesOf(erased));
    for (const table of [
      'conversations',
      'messages',
      'triage_results',
      'tickets',
      'agent_actions',
      'outbox',
      'audit_log',
    ]) {
      expect(tables[table], table).toBeGreaterThan(0);
    }
  });
});

describe('GET /v1/customers/{id}/export', () => {
  it('holds everything of the customer and nothing of another', async () => {
    const response = await request('/v1/customers/cust-erase/export?channel=web-chat');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const exported = await response.json();
    expect(exported.customer).toEqual({ id: 'cust-erase', channels: ['web-chat'] });
    expect(exported.conversations.map((c: { id: string }) => c.id).sort()).toEqual(
      [...erased.conversationIds].sort(),
    );
    const messages = exported.conversations.flatMap(
      (c: { messages: { id: string; text: string; triage: unknown }[] }) => c.messages,
    );
    expect(messages.map((m: { id: string }) => m.id).sort()).toEqual([...erased.messageIds].sort());
    expect(messages.filter((m: { text: string }) => m.text.includes('Zorblax')).length).toBe(3);
    expect(messages.some((m: { triage: unknown }) => m.triage !== null)).toBe(true);
    const ticket = exported.conversations
      .flatMap((c: { tickets: unknown[] }) => c.tickets)
      .find((t: { id: string }) => t.id === erased.ticketId);
    expect(ticket.draft).toBeTruthy();
    expect(ticket.actions).toEqual([
      expect.objectContaining({ action: 'edit' }),
      expect.objectContaining({ action: 'solve' }),
    ]);
    expect(ticket.actions[0]).toEqual(
      expect.objectContaining({
        action: 'edit',
        agentId: 'alice',
        sentText: 'Sorry Zorblax, a replacement is on its way.',
      }),
    );
    expect(exported.conversations[0].customerName).toBe('Zorblax Quenton');
    expect(exported.deliveries.length).toBeGreaterThan(0);
    expect(exported.audit.map((entry: { action: string }) => entry.action)).toEqual(
      expect.arrayContaining(['message.auto_reply', 'message.handoff', 'ticket.edit']),
    );
    const text = JSON.stringify(exported);
    for (const trace of tracesOf(kept)) expect(text).not.toContain(trace);
  });

  it('answers 404 for an unknown customer and 409 for an id used on two channels', async () => {
    expect((await request('/v1/customers/nobody/export')).status).toBe(404);
    for (const channel of ['web-chat', 'app'])
      await sendMessage(service, {
        channel,
        customerId: 'cust-shared',
        conversation: `shared-${channel}`,
        text: 'How long does a refund take to reach my card?',
      });
    const ambiguous = await request('/v1/customers/cust-shared/export');
    expect(ambiguous.status).toBe(409);
    expect((await ambiguous.json()).error.message).toContain('app, web-chat');
    const one = await (await request('/v1/customers/cust-shared/export?channel=app')).json();
    expect(one.conversations.map((c: { channel: string }) => c.channel)).toEqual(['app']);
  });

  it('is for admins only', async () => {
    const response = await service.app.request('/v1/customers/cust-keep/export', {
      headers: bearer('agent'),
    });
    expect(response.status).toBe(403);
  });
});

describe('DELETE /v1/customers/{id}', () => {
  let subjectId: string;

  it('erases the customer and says how much', async () => {
    const db = service.database.db;
    const surveys = await db
      .selectFrom('csat_surveys')
      .select('id')
      .where('ticket_id', '=', erased.ticketId)
      .execute();
    expect(surveys).toHaveLength(1);
    const candidates = await db
      .selectFrom('approved_answers')
      .select('id')
      .where('source_ticket_id', '=', erased.ticketId)
      .execute();
    const response = await request('/v1/customers/cust-erase?channel=web-chat', {
      method: 'DELETE',
    });
    expect(response.status).toBe(200);
    const report = await response.json();
    subjectId = report.subjectId;
    expect(subjectId).toMatch(/^customer:[0-9a-f]{32}$/);
    expect(report.channels).toEqual(['web-chat']);
    expect(report.erased).toMatchObject({
      conversations: 2,
      messages: erased.messageIds.length,
      tickets: 1,
      agentActions: 2, // the edit and the solve
    });
    expect(report.erased.triageResults).toBeGreaterThanOrEqual(2);
    expect(report.erased.deliveries).toBeGreaterThan(0);
    expect(report.erased.auditEntries).toBeGreaterThanOrEqual(3);
    expect(report.erased.related).toMatchObject({ csat_surveys: 1 });
    expect(report.erased.related.approved_answers ?? 0).toBe(candidates.length);
  });

  it('leaves no trace of the customer in any table', async () => {
    expect(await tablesMentioning(service.database.db, tracesOf(erased))).toEqual({});
  });

  it("leaves the other customer's data as it was", async () => {
    const tables = await tablesMentioning(service.database.db, tracesOf(kept));
    for (const table of ['conversations', 'messages', 'triage_results', 'tickets', 'agent_actions'])
      expect(tables[table], table).toBeGreaterThan(0);
    const conversation = await (
      await request(`/v1/conversations/${kept.conversationIds[1]}`)
    ).json();
    expect(conversation.messages.length).toBeGreaterThan(0);
    for (const message of conversation.messages) expect(kept.messageIds).toContain(message.id);
    const ticket = await (await request(`/v1/tickets/${kept.ticketId}`)).json();
    expect(ticket.draft).toBeTruthy();
    expect(ticket.actions.map((a: { action: string }) => a.action)).toContain('edit');
    const exported = await (await request('/v1/customers/cust-keep/export')).json();
    expect(exported.conversations.flatMap((c: { messages: unknown[] }) => c.messages).length).toBe(
      kept.messageIds.length,
    );
  });

  it('leaves nothing to export, read or feed back', async () => {
    expect((await request('/v1/customers/cust-erase/export')).status).toBe(404);
    expect((await request(`/v1/conversations/${erased.conversationIds[0]}`)).status).toBe(404);
    expect((await request(`/v1/tickets/${erased.ticketId}`)).status).toBe(404);
    const feedback = await (await request('/v1/feedback/export')).text();
    expect(feedback).toContain('Quimbly');
    expect(feedback).not.toContain('Zorblax');
    expect((await request('/v1/customers/cust-erase', { method: 'DELETE' })).status).toBe(404);
  });

  it('is recorded in the audit log under a keyed hash, never the id', async () => {
    const entries = await auditEntries();
    const about = entries.filter((entry) => entry.subjectId === subjectId);
    expect(about.map((entry) => entry.action).sort()).toEqual([
      'customer.erase',
      'customer.export',
    ]);
    for (const entry of about) {
      expect(entry.subjectType).toBe('customer');
      expect(entry.actorId).toBe('root');
      expect(JSON.stringify(entry)).not.toContain('cust-erase');
    }
    expect(about.find((entry) => entry.action === 'customer.erase')!.details).toMatchObject({
      channels: ['web-chat'],
      erased: { conversations: 2 },
    });
    // The same id gives the same subject, so an admin can check an erase was done.
    expect(await service.customers.subjectId('cust-erase')).toBe(subjectId);
    expect(await service.customers.subjectId('cust-keep')).not.toBe(subjectId);
  });
});
