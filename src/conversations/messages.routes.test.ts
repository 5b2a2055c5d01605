import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusyError } from '../errors/domain-errors.js';
import { createApp } from '../http/app.js';
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

let sequence = 0;
const message = (text: string, overrides: Record<string, unknown> = {}) => ({
  channel: 'web-chat',
  externalMessageId: `m-${Date.now()}-${sequence++}`,
  conversationId: `c-${Date.now()}-${sequence++}`,
  customer: { id: 'cust-1', name: 'Li' },
  text,
  ...overrides,
});

describe('POST /v1/messages', () => {
  it('answers a routine question automatically and stores both messages', async () => {
    const response = await postJson(
      service.app,
      '/v1/messages?wait=30',
      message('How long does a refund take to reach my card?'),
      bearer('integration'),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.action).toBe('auto_reply');
    expect(body.reply.citations).toContain('refund_timeline');
    expect(body.duplicate).toBe(false);
    const conversation = await (
      await service.app.request(`/v1/conversations/${body.conversationId}`, {
        headers: bearer('integration'),
      })
    ).json();
    expect(conversation.messages.map((m: { author: string }) => m.author)).toEqual([
      'customer',
      'bot',
    ]);
    // No channel adapter configured: the reply is kept, marked skipped
    expect(conversation.messages[1].delivery).toBe('skipped');
  });

  it('hands a complaint to a human with a ticket and SLA due times', async () => {
    const response = await postJson(
      service.app,
      '/v1/messages?wait=30',
      message('再不处理我就去12315投诉你们！'),
      bearer('integration'),
    );
    const body = await response.json();
    expect(body.action).toBe('handoff');
    // The acknowledgement: a person has it, and by when (messages.handoff.routes.test.ts)
    expect(body.reply.text).toMatch(/前回复您/);
    expect(body.ticket.status).toBe('open');
    expect(body.ticket.urgency.level).toMatch(/high|critical/);
    expect(Date.parse(body.ticket.firstResponseDueAt)).toBeGreaterThan(Date.now() - 1000);
  });

  it('turns 20 concurrent deliveries of one message into one message, one triage, at most one ticket', async () => {
    const input = message('我的快递显示签收了但是我没收到，订单号 2024112312345678，怎么办');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        postJson(service.app, '/v1/messages?wait=30', input, bearer('integration')),
      ),
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(new Set(bodies.map((body) => body.messageId)).size).toBe(1);
    expect(bodies.filter((body) => !body.duplicate)).toHaveLength(1);
    expect(new Set(bodies.map((body) => body.ticket?.id ?? 'none')).size).toBe(1);
    const db = service.database.db;
    const stored = await db
      .selectFrom('messages')
      .select('id')
      .where('external_message_id', '=', input.externalMessageId)
      .execute();
    expect(stored).toHaveLength(1);
    const triaged = await db
      .selectFrom('triage_results')
      .select('id')
      .where('message_id', '=', stored[0]!.id)
      .execute();
    expect(triaged).toHaveLength(1);
    const tickets = await db
      .selectFrom('tickets')
      .select('id')
      .where('message_id', '=', stored[0]!.id)
      .execute();
    expect(tickets.length).toBeLessThanOrEqual(1);
    const replies = await db
      .selectFrom('messages')
      .select('id')
      .where('reply_to_message_id', '=', stored[0]!.id)
      .execute();
    // One bot message either way: the answer, or the hand-off acknowledgement.
    expect(replies).toHaveLength(1);
  });

  it('refuses bad input with a clear error and stores nothing', async () => {
    const before = await service.database.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const noText = await postJson(
      service.app,
      '/v1/messages?wait=30',
      message('   '),
      bearer('integration'),
    );
    expect(noText.status).toBe(400);
    expect((await noText.json()).error.message).toMatch(/text/);
    const noCustomer = await postJson(
      service.app,
      '/v1/messages?wait=30',
      { ...message('hi'), customer: undefined },
      bearer('integration'),
    );
    expect(noCustomer.status).toBe(400);
    const extra = await postJson(
      service.app,
      '/v1/messages?wait=30',
      { ...message('hi'), priority: 'vip' },
      bearer('integration'),
    );
    expect(extra.status).toBe(400);
    const after = await service.database.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('keeps the bot silent once a ticket is open in the conversation', async () => {
    const conversationId = `c-silent-${Date.now()}`;
    const first = await (
      await postJson(
        service.app,
        '/v1/messages?wait=30',
        message('收到的杯子是碎的，要求赔偿', { conversationId }),
        bearer('integration'),
      )
    ).json();
    expect(first.action).toBe('handoff');
    const second = await (
      await postJson(
        service.app,
        '/v1/messages?wait=30',
        message('How long does a refund take?', { conversationId }),
        bearer('integration'),
      )
    ).json();
    expect(second.action).toBe('handoff');
    expect(second.ticket.id).toBe(first.ticket.id);
  });

  it('acknowledges with 202 once stored when the caller does not wait; the answer follows', async () => {
    const input = message('How long does a refund take to reach my card?');
    const response = await postJson(service.app, '/v1/messages', input, bearer('integration'));
    expect(response.status).toBe(202);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'queued', duplicate: false });
    expect(body.action).toBeUndefined();
    await service.intake.idle();
    const conversation = await (
      await service.app.request(`/v1/conversations/${body.conversationId}`, {
        headers: bearer('integration'),
      })
    ).json();
    expect(conversation.messages.map((m: { author: string }) => m.author)).toEqual([
      'customer',
      'bot',
    ]);
    // The same delivery again, now triaged: the outcome.
    const again = await postJson(service.app, '/v1/messages', input, bearer('integration'));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      status: 'processed',
      action: 'auto_reply',
      duplicate: true,
    });
  });

  it('refuses a wait longer than the cap', async () => {
    const response = await postJson(
      service.app,
      '/v1/messages?wait=600',
      message('hello'),
      bearer('integration'),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/wait/);
  });

  it('answers 429 with Retry-After when the intake is full', async () => {
    const busy = createApp({
      ...service,
      intake: {
        ...service.intake,
        receive: () => Promise.reject(new BusyError('2000 messages are waiting', 7)),
      },
    });
    const response = await postJson(busy, '/v1/messages', message('hello'), bearer('integration'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect((await response.json()).error.code).toBe('rate_limited');
  });
});
