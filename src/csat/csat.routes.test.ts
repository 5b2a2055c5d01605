/**
 * The satisfaction survey end to end: an agent solves a ticket, the survey reaches the customer
 * through the outbox (a webhook receiver here), a bare rating is stored as its answer and thanked
 * (no triage result, no ticket), and a real message while the survey is open is triaged as usual.
 * With CSAT_SURVEY=off nothing is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlatform, type FakePlatform } from '../testing/fake-platform.js';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';
import { manualClock } from '../time/clock.js';

// A Tuesday 10:00 in Shanghai: working time.
const clock = manualClock('2026-03-10T02:00:00Z');
let service: TestService;
let receiver: FakePlatform;
let sequence = 0;

async function say(conversation: string, text: string, customer = 'cust-csat') {
  const response = await postJson(
    service.app,
    '/v1/messages?wait=30',
    {
      channel: 'shop',
      externalMessageId: `csat-${sequence++}`,
      conversationId: conversation,
      customer: { id: customer },
      text,
    },
    bearer('integration'),
  );
  expect(response.status).toBe(200);
  return response.json();
}

async function act(ticketId: string, action: Record<string, unknown>) {
  const ticket = await (
    await service.app.request(`/v1/tickets/${ticketId}`, { headers: bearer('agent') })
  ).json();
  const response = await postJson(
    service.app,
    `/v1/tickets/${ticketId}/actions`,
    { ...action, version: ticket.version },
    bearer('agent'),
  );
  expect(response.status).toBe(200);
}

const delivered = () =>
  receiver.requests.map((request) => request.json as { text: string; conversationId: string });

async function handedOff(conversation: string, text: string) {
  const outcome = await say(conversation, text);
  expect(outcome.action).toBe('handoff');
  return outcome.ticket.id as string;
}

describe('CSAT survey', () => {
  beforeAll(async () => {
    receiver = await startFakePlatform(() => ({ body: { ok: true } }));
    service = await startTestService(
      {
        ...testApiKeysEnv,
        WEBHOOK_URL: `${receiver.url}/hook`,
        WEBHOOK_SECRET: 'csat-secret',
        CSAT_SURVEY_WINDOW_HOURS: '48',
      },
      { clock },
    );
  }, 180_000);
  afterAll(async () => {
    await service?.close();
    await receiver?.close();
  });

  it('asks after a solve, takes a bare rating as the answer and thanks the customer', async () => {
    const ticketId = await handedOff('c-survey', '收到的杯子是碎的，我要求赔偿');
    await act(ticketId, { action: 'reply', text: '非常抱歉，我们会给您补发一个新的杯子。' });
    clock.advance(60_000);
    await act(ticketId, { action: 'solve' });
    await service.outbox.deliverDue();
    const survey = delivered().find((body) => body.text.includes('1-5'));
    expect(survey?.text).toContain('请直接回复数字 1-5');
    expect(survey?.conversationId).toBe('c-survey');

    clock.advance(5 * 60_000);
    const answer = await say('c-survey', '５分');
    expect(answer).toMatchObject({ action: 'auto_reply', csat: { ticketId, rating: 5 } });
    expect(answer.ticket).toBeUndefined();
    expect(answer.reply.text).toBe('感谢您的评价，祝您生活愉快！');
    await service.outbox.deliverDue();
    expect(delivered().at(-1)?.text).toBe('感谢您的评价，祝您生活愉快！');

    const db = service.database.db;
    const stored = await db.selectFrom('csat_surveys').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ ticket_id: ticketId, rating: 5, language: 'zh' });
    // Not triaged: no triage result, no new ticket, the solved ticket stays solved.
    const results = await db
      .selectFrom('triage_results')
      .select('id')
      .where('message_id', '=', answer.messageId)
      .execute();
    expect(results).toEqual([]);
    const tickets = await db
      .selectFrom('tickets')
      .innerJoin('conversations', 'conversations.id', 'tickets.conversation_id')
      .select(['tickets.id', 'tickets.status'])
      .where('conversations.external_id', '=', 'c-survey')
      .execute();
    expect(tickets).toEqual([{ id: ticketId, status: 'solved' }]);
    const audit = await (
      await service.app.request(`/v1/audit?subjectId=${ticketId}`, { headers: bearer('admin') })
    ).json();
    expect(audit.entries.map((entry: { action: string }) => entry.action)).toContain('csat.answer');

    // A second "5" has no open survey left: it is an ordinary message again.
    const again = await say('c-survey', '5');
    expect(again.csat).toBeUndefined();
    expect(
      await db
        .selectFrom('triage_results')
        .select('id')
        .where('message_id', '=', again.messageId)
        .execute(),
    ).toHaveLength(1);
  });

  it('triages a real message while the survey is open, and ignores a rating after the window', async () => {
    const ticketId = await handedOff(
      'c-late',
      'I want to talk to a person, my parcel was damaged and I am very angry',
    );
    await act(ticketId, { action: 'solve' });
    await service.outbox.deliverDue();
    expect(
      delivered().some(
        (body) =>
          body.conversationId === 'c-late' && body.text.includes('Reply with a number from 1'),
      ),
    ).toBe(true);

    const question = await say('c-late', '3 days and the refund is still not on my card');
    expect(question.csat).toBeUndefined();
    const [survey] = await service.database.db
      .selectFrom('csat_surveys')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .execute();
    expect(survey?.answered_at).toBeNull();

    clock.advance(49 * 3_600_000);
    const late = await say('c-late', '4');
    expect(late.csat).toBeUndefined();
    const [still] = await service.database.db
      .selectFrom('csat_surveys')
      .select('rating')
      .where('ticket_id', '=', ticketId)
      .execute();
    expect(still?.rating).toBeNull();
  });
});

describe('CSAT_SURVEY=off', () => {
  let quiet: TestService;
  beforeAll(async () => {
    quiet = await startTestService({ ...testApiKeysEnv, CSAT_SURVEY: 'off' }, { clock });
  }, 180_000);
  afterAll(async () => quiet?.close());

  it('solves without a survey', async () => {
    const outcome = await (
      await postJson(
        quiet.app,
        '/v1/messages?wait=30',
        {
          channel: 'shop',
          externalMessageId: 'off-1',
          conversationId: 'c-off',
          customer: { id: 'cust-off' },
          text: '收到的杯子是碎的，我要求赔偿',
        },
        bearer('integration'),
      )
    ).json();
    const ticket = await (
      await quiet.app.request(`/v1/tickets/${outcome.ticket.id}`, { headers: bearer('agent') })
    ).json();
    const solved = await postJson(
      quiet.app,
      `/v1/tickets/${ticket.id}/actions`,
      { action: 'solve', version: ticket.version },
      bearer('agent'),
    );
    expect(solved.status).toBe(200);
    expect(await quiet.database.db.selectFrom('csat_surveys').selectAll().execute()).toEqual([]);
    const after = await (
      await quiet.app.request(`/v1/tickets/${ticket.id}`, { headers: bearer('agent') })
    ).json();
    expect(
      after.conversation.messages.filter((message: { text: string }) =>
        message.text.includes('1-5'),
      ),
    ).toEqual([]);
  });
});
