import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';
import { manualClock } from '../time/clock.js';

// The demo shop works 09:00-21:00 Shanghai time on weekdays (knowledge-base/service-hours.yaml);
// the clock is moved around that evening closing.
const clock = manualClock('2026-11-24T12:50:00Z');
let service: TestService;
beforeAll(async () => {
  service = await startTestService(testApiKeysEnv, { clock });
}, 120_000);
afterAll(async () => service?.close());

let sequence = 0;
async function handoff(text: string) {
  const response = await postJson(
    service.app,
    '/v1/messages?wait=30',
    {
      channel: 'web-chat',
      externalMessageId: `t-${sequence}`,
      conversationId: `tc-${sequence++}`,
      customer: { id: 'cust-9' },
      text,
    },
    bearer('integration'),
  );
  const body = await response.json();
  expect(body.action).toBe('handoff');
  return body as { conversationId: string; ticket: { id: string } };
}
const getTicket = async (id: string) =>
  (await service.app.request(`/v1/tickets/${id}`, { headers: bearer('agent') })).json();
const act = (id: string, body: unknown, role: 'agent' | 'admin' = 'agent') =>
  postJson(service.app, `/v1/tickets/${id}/actions`, body, bearer(role));

describe('tickets', () => {
  it('runs the first-response clock in working time and breaches it at the right moment', async () => {
    clock.set('2026-11-24T12:50:00Z'); // 20:50 Shanghai, 10 working minutes before closing
    const { ticket } = await handoff('收到的杯子是碎的，要求赔偿');
    const opened = await getTicket(ticket.id);
    // quality_issue: first response 5 working minutes -> 20:55 the same evening
    expect(opened.sla.firstResponse.dueAt).toBe('2026-11-24T12:55:00.000Z');
    expect(opened.sla.firstResponse.state).toBe('running');
    clock.set('2026-11-24T12:56:00Z');
    expect((await getTicket(ticket.id)).sla.firstResponse.state).toBe('breached');

    clock.set('2026-11-24T13:58:00Z'); // 21:58: after closing, a new complaint waits for the morning
    const late = await handoff('物流太慢了，我要投诉你们的快递');
    const lateTicket = await getTicket(late.ticket.id);
    expect(new Date(lateTicket.sla.firstResponse.dueAt).getTime()).toBeGreaterThanOrEqual(
      Date.parse('2026-11-25T01:00:00Z'),
    );
    clock.set('2026-11-25T00:59:00Z'); // 08:59 next morning: still running overnight
    expect((await getTicket(late.ticket.id)).sla.firstResponse.state).toBe('running');
  });

  it('orders the queue by urgency, then by the nearest breach', async () => {
    clock.set('2026-11-25T02:00:00Z');
    const critical = await handoff('充电器用的时候突然起火了，差点烧到孩子，我要找媒体曝光');
    const { tickets } = await (
      await service.app.request('/v1/tickets', { headers: bearer('agent') })
    ).json();
    expect(tickets[0].id).toBe(critical.ticket.id);
    const ranks = { critical: 0, high: 1, normal: 2, low: 3 } as const;
    const order = tickets.map(
      (ticket: { urgency: { level: keyof typeof ranks } }) => ranks[ticket.urgency.level],
    );
    expect(order).toEqual([...order].sort((a: number, b: number) => a - b));
  });

  it('sends an edited draft once, refuses a stale version, records the edit distance, and silences the bot', async () => {
    const { ticket, conversationId } = await handoff('我要投诉，客服一直不回复，东西坏了也没人管');
    const before = await (
      await service.app.request('/v1/stats/agent-actions', { headers: bearer('agent') })
    ).json();
    const loaded = await getTicket(ticket.id);
    const text = `${loaded.draft ?? ''} 我们今天会给您回电。`;
    const [first, second] = await Promise.all([
      act(ticket.id, { action: 'edit', text, version: loaded.version }),
      act(ticket.id, { action: 'accept', version: loaded.version }, 'admin'),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const after = await getTicket(ticket.id);
    expect(after.status).toBe('pending_customer');
    expect(after.conversation.status).toBe('agent');
    const sent = after.conversation.messages.filter(
      (message: { author: string }) => message.author === 'agent',
    );
    expect(sent).toHaveLength(1);
    const counts = await (
      await service.app.request('/v1/stats/agent-actions', { headers: bearer('agent') })
    ).json();
    expect(counts.accepted + counts.edited).toBe(before.accepted + before.edited + 1);
    if (first.status === 200) {
      expect(sent[0].text).toBe(text);
      expect(after.actions.at(-1).editDistance).toBe(' 我们今天会给您回电。'.length);
    }
    // Stale version
    const stale = await act(ticket.id, { action: 'solve', version: loaded.version });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.message).toMatch(/changed since you loaded it/);

    // The customer writes again: a routine question is not answered by the bot now
    const followUp = await postJson(
      service.app,
      '/v1/messages?wait=30',
      {
        channel: 'web-chat',
        externalMessageId: `t-follow-${sequence++}`,
        conversationId: after.conversation.externalId,
        customer: { id: 'cust-9' },
        text: 'How long does a refund take?',
      },
      bearer('integration'),
    );
    const followed = await followUp.json();
    expect(followed.action).toBe('handoff');
    expect(followed.ticket.id).toBe(ticket.id);
    expect(followed.conversationId).toBe(conversationId);
    // Solved: the bot may answer again (a new question: the same one asked again unanswered would
    // be repeat contact, which needs a person)
    const current = await getTicket(ticket.id);
    expect((await act(ticket.id, { action: 'solve', version: current.version })).status).toBe(200);
    const later = await postJson(
      service.app,
      '/v1/messages?wait=30',
      {
        channel: 'web-chat',
        externalMessageId: `t-later-${sequence++}`,
        conversationId: after.conversation.externalId,
        customer: { id: 'cust-9' },
        text: 'Which payment methods do you accept?',
      },
      bearer('integration'),
    );
    expect((await later.json()).action).toBe('auto_reply');
  });

  it('rejects a draft with a reason and a corrected category, and exports it as feedback', async () => {
    const { ticket } = await handoff('你们的客服小王态度太差了，我要投诉他');
    const loaded = await getTicket(ticket.id);
    const bad = await act(ticket.id, {
      action: 'reject',
      reason: 'wrong',
      category: 'no_such_category',
      version: loaded.version,
    });
    expect(bad.status).toBe(400);
    const rejected = await act(ticket.id, {
      action: 'reject',
      reason: 'tone is wrong for a complaint',
      category: 'complaint',
      version: loaded.version,
    });
    expect(rejected.status).toBe(200);
    const exported = await (
      await service.app.request('/v1/feedback/export', { headers: bearer('admin') })
    ).text();
    const records = exported
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const record = records.find(
      (candidate: { ticketId: string; decision: string }) =>
        candidate.ticketId === ticket.id && candidate.decision === 'rejected',
    );
    expect(record).toMatchObject({
      correctedCategory: 'complaint',
      rejectReason: 'tone is wrong for a complaint',
      sentText: null,
    });
    const audit = await (
      await service.app.request(`/v1/audit?subjectId=${ticket.id}`, { headers: bearer('admin') })
    ).json();
    expect(audit.entries.map((entry: { action: string }) => entry.action)).toContain(
      'ticket.reject',
    );
  });

  it('sends a follow-up as a plain reply, not counted as a decision on the draft', async () => {
    const { ticket } = await handoff('东西坏了，我要投诉，客服电话一直打不通');
    const before = await (
      await service.app.request('/v1/stats/agent-actions', { headers: bearer('agent') })
    ).json();
    let loaded = await getTicket(ticket.id);
    expect(
      (
        await act(ticket.id, {
          action: 'reply',
          text: '您好，我们已收到，正在核实。',
          version: loaded.version,
        })
      ).status,
    ).toBe(200);
    loaded = await getTicket(ticket.id);
    expect(loaded.conversation.messages.at(-1)).toMatchObject({
      author: 'agent',
      authorId: 'alice',
      text: '您好，我们已收到，正在核实。',
    });
    expect(loaded.sla.firstResponse.state).toBe('met');
    expect(
      await (
        await service.app.request('/v1/stats/agent-actions', { headers: bearer('agent') })
      ).json(),
    ).toEqual(before);
  });

  it('stops the first-response clock when a ticket is solved without a reply', async () => {
    const { ticket } = await handoff('我要投诉你们的售后');
    const loaded = await getTicket(ticket.id);
    expect((await act(ticket.id, { action: 'solve', version: loaded.version })).status).toBe(200);
    clock.advance(86_400_000);
    const solved = await getTicket(ticket.id);
    expect(['met', 'missed']).toContain(solved.sla.firstResponse.state);
    expect(solved.sla.firstResponse.remainingSeconds).toBeNull();
  });

  it('redacts personal data in the feedback export', async () => {
    const { ticket } = await handoff(
      '快递丢了我要投诉！我的手机 13812345678，订单 2024112312345678',
    );
    const loaded = await getTicket(ticket.id);
    await act(ticket.id, { action: 'accept', version: loaded.version });
    const exported = await (
      await service.app.request('/v1/feedback/export', { headers: bearer('admin') })
    ).text();
    expect(exported).not.toContain('13812345678');
    expect(exported).toContain('2024112312345678');
  });
});
