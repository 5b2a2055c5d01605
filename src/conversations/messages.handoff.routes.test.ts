/**
 * What the customer hears around a hand-off, on one working-time clock: at 06:22 on a
 * Saturday (the team opens at 10:00, knowledge-base/service-hours.yaml) `/v1/triage`, the
 * ticket and the acknowledgement all say 10:05; the acknowledgement goes out once per ticket
 * through the outbox and does not stop the first-response clock. Bare greetings and thanks
 * are answered briefly and never open a ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';
import { manualClock } from '../time/clock.js';

// Saturday 2026-11-28 06:22 in Shanghai.
const clock = manualClock('2026-11-27T22:22:00Z');
const dueAt = '2026-11-28T02:05:00.000Z'; // 10:05 Shanghai: opening + 5 working minutes

let service: TestService;
beforeAll(async () => {
  service = await startTestService(testApiKeysEnv, { clock });
}, 120_000);
afterAll(async () => service?.close());

let sequence = 0;
const send = async (text: string, conversationId = `c-${sequence++}`) => {
  const response = await postJson(
    service.app,
    '/v1/messages?wait=30',
    {
      channel: 'web-chat',
      externalMessageId: `m-${sequence++}`,
      conversationId,
      customer: { id: 'cust-1' },
      text,
    },
    bearer('integration'),
  );
  expect(response.status).toBe(200);
  return response.json();
};
const conversation = async (id: string) =>
  (await service.app.request(`/v1/conversations/${id}`, { headers: bearer('integration') })).json();
const ticket = async (id: string) =>
  (await service.app.request(`/v1/tickets/${id}`, { headers: bearer('agent') })).json();
const complaint = '收到的杯子是碎的，要求赔偿';

describe('one working-time clock', () => {
  it('gives /v1/triage the same due time as the ticket, not five calendar minutes', async () => {
    const triage = await (
      await postJson(service.app, '/v1/triage', { text: complaint }, bearer('integration'))
    ).json();
    expect(triage.decision.action).toBe('handoff');
    expect(triage.sla.firstResponseDueAt).toBe(dueAt);
    expect(triage.reply.text).not.toMatch(/分钟|已收到您的消息|相关说明|\*\*/);

    const handed = await send(complaint);
    expect(handed.ticket.firstResponseDueAt).toBe(dueAt);
  });
});

describe('hand-off acknowledgement', () => {
  it('tells the customer once, through the outbox, by when a person replies, and leaves the first-response clock running', async () => {
    const conversationId = `c-ack-${sequence++}`;
    const first = await send(complaint, conversationId);
    expect(first.action).toBe('handoff');
    expect(first.reply.text).toContain('今天 10:05（北京时间）前回复您');
    expect(first.reply.text).toMatch(/抱歉/);

    const followUp = await send('杯子是昨天到的，能尽快处理吗', conversationId);
    expect(followUp.ticket.id).toBe(first.ticket.id);
    expect(followUp.reply).toBeUndefined();

    const { messages } = await conversation(first.conversationId);
    const bot = messages.filter((message: { author: string }) => message.author === 'bot');
    expect(bot).toHaveLength(1);
    expect(bot[0].text).toBe(first.reply.text);
    expect(bot[0].delivery).toBe('skipped'); // queued in the outbox; no adapter in this test
    const outbox = await service.database.db
      .selectFrom('outbox')
      .select('id')
      .where('message_id', '=', bot[0].id)
      .execute();
    expect(outbox).toHaveLength(1);

    const opened = await ticket(first.ticket.id);
    expect(opened.sla.firstResponse.state).toBe('running');
    expect(opened.status).toBe('open');
  });

  it('is left out for a category that switches it off', async () => {
    const category = service.taxonomy.categories.find(
      (candidate) => candidate.key === 'quality_issue',
    )!;
    category.handoffAcknowledgement = false;
    try {
      const handed = await send('吹风机用了三天就不出热风了');
      expect(handed.action).toBe('handoff');
      expect(handed.reply).toBeUndefined();
    } finally {
      delete category.handoffAcknowledgement;
    }
  });
});

describe('openers and closers', () => {
  it('answers a bare greeting with a question, without a ticket', async () => {
    for (const [text, pattern] of [
      ['您好呀', /请问有什么可以帮您/],
      ['hi there', /How can we help/],
    ] as const) {
      const answered = await send(text);
      expect(answered.action).toBe('auto_reply');
      expect(answered.ticket).toBeUndefined();
      expect(answered.reply.text).toMatch(pattern);
    }
    const triage = await (
      await postJson(service.app, '/v1/triage', { text: '在不在呀' }, bearer('integration'))
    ).json();
    expect(triage.smallTalk).toBe('greeting');
  });

  it('closes the loop on a bare thanks after an answer, without a ticket', async () => {
    const conversationId = `c-thanks-${sequence++}`;
    await send('How long does a refund take to reach my card?', conversationId);
    const thanks = await send('thx', conversationId);
    expect(thanks.action).toBe('auto_reply');
    expect(thanks.ticket).toBeUndefined();
    expect(thanks.reply.text).toMatch(/welcome/);
    const tickets = await service.database.db
      .selectFrom('tickets')
      .select('id')
      .where('conversation_id', '=', thanks.conversationId)
      .execute();
    expect(tickets).toHaveLength(0);
  });

  it('still triages a greeting followed by a question', async () => {
    const triage = await (
      await postJson(
        service.app,
        '/v1/triage',
        { text: '你好，我的快递还没到' },
        bearer('integration'),
      )
    ).json();
    expect(triage.smallTalk).toBeUndefined();
    expect(triage.category).toBe('logistics');
  });

  it('adds a bare thanks to an open ticket without reopening or re-triaging it', async () => {
    const conversationId = `c-open-${sequence++}`;
    const first = await send(complaint, conversationId);
    const before = await ticket(first.ticket.id);
    clock.advance(60_000);
    const sent = await postJson(
      service.app,
      `/v1/tickets/${first.ticket.id}/actions`,
      { action: 'reply', text: '您好，麻烦提供一下破损的照片。', version: before.version },
      bearer('agent'),
    );
    expect(sent.status).toBe(200);
    const waiting = await ticket(first.ticket.id);
    expect(waiting.status).toBe('pending_customer');

    clock.advance(60_000);
    const thanks = await send('收到，谢谢啦', conversationId);
    expect(thanks.action).toBe('handoff');
    expect(thanks.ticket.id).toBe(first.ticket.id);
    expect(thanks.reply).toBeUndefined();
    const after = await ticket(first.ticket.id);
    expect(after.status).toBe('pending_customer');
    expect(after.version).toBe(waiting.version);
    expect(after.urgency).toEqual(waiting.urgency);
    expect(after.draft).toBe(waiting.draft);
    expect(after.conversation.messages.at(-1).text).toBe('收到，谢谢啦');
  });
});
