/**
 * The Chatwoot agent bot end to end: webhooks as Chatwoot sends them (the documented
 * message_created payload, signed like Chatwoot 4.13+), triage on the real local models, and the
 * replies and hand-offs sent to a local fake of Chatwoot's API.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakePlatform,
  type RecordedRequest,
  startFakePlatform,
} from '../../testing/fake-platform.js';
import { startTestService, type TestService } from '../../testing/service.js';
import { manualClock } from '../../time/clock.js';
import { signChatwootBody } from './webhook-auth.js';

const token = 'chatwoot-webhook-token-0001';
const secret = 'chatwoot-bot-secret';
const clock = manualClock('2026-11-24T02:00:00Z');
let chatwoot: FakePlatform;
let service: TestService;

/** Chatwoot's answers: created messages get an id, labels are kept as posted. */
function chatwootApi(request: RecordedRequest) {
  if (request.path.endsWith('/messages'))
    return { body: { id: 90_000 + chatwoot.requests.length } };
  if (request.path.endsWith('/labels')) {
    const labels = request.method === 'GET' ? [] : (request.json as { labels: string[] }).labels;
    return { body: { payload: labels } };
  }
  return { body: {} };
}

beforeAll(async () => {
  chatwoot = await startFakePlatform(chatwootApi);
  service = await startTestService(
    {
      CHATWOOT_WEBHOOK_TOKEN: token,
      CHATWOOT_BASE_URL: chatwoot.url,
      CHATWOOT_API_TOKEN: 'agent-bot-access-token',
      CHATWOOT_WEBHOOK_SECRET: secret,
    },
    { clock },
  );
});
afterAll(async () => {
  await service?.close();
  await chatwoot?.close();
});

const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8'));

/** A Chatwoot message in conversation `conversation` of account 1, in the bot's pending state. */
function chatwootMessage(
  name: string,
  fields: { id: number; conversation: number; content?: string | null },
): Record<string, any> {
  const payload = fixture(name);
  return {
    ...payload,
    id: fields.id,
    ...(fields.content === undefined ? {} : { content: fields.content }),
    created_at: clock.now().toISOString(),
    conversation: { ...payload.conversation, id: fields.conversation, status: 'pending' },
  };
}

async function webhook(
  payload: unknown,
  options: { token?: string | null; signature?: string | null } = {},
) {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(clock.now().getTime() / 1000));
  const query = options.token === null ? '' : `?token=${options.token ?? token}`;
  return service.app.request(`/channels/chatwoot/webhook${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-chatwoot-timestamp': timestamp,
      ...(options.signature === null
        ? {}
        : {
            'x-chatwoot-signature':
              options.signature ?? signChatwootBody(secret, timestamp, Buffer.from(body)),
          }),
    },
    body,
  });
}

/** Lets triage finish and the outbox send what is due (after any backoff). */
async function settle() {
  await service.intake.idle();
  clock.advance(3_600_000);
  return service.outbox.deliverDue();
}

const toConversation = (conversation: number) => (request: RecordedRequest) =>
  request.path.startsWith(`/api/v1/accounts/1/conversations/${conversation}/`);

async function triageAction(externalMessageId: string) {
  const row = await service.database.db
    .selectFrom('messages')
    .innerJoin('triage_results', 'triage_results.message_id', 'messages.id')
    .select(['triage_results.action', 'triage_results.ticket_id'])
    .where('messages.channel', '=', 'chatwoot')
    .where('messages.external_message_id', '=', externalMessageId)
    .executeTakeFirstOrThrow();
  return row;
}

async function storedMessages(externalMessageId: string) {
  return service.database.db
    .selectFrom('messages')
    .select('id')
    .where('channel', '=', 'chatwoot')
    .where('external_message_id', '=', externalMessageId)
    .execute();
}

describe('Chatwoot agent bot', () => {
  it('stores a customer message once and posts the answer as the bot’s outgoing message', async () => {
    const message = chatwootMessage('message-created-incoming', {
      id: 1001,
      conversation: 501,
      content: 'How long does a refund take to reach my card?',
    });
    const first = await webhook(message);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: 'customer_message', duplicate: false });
    // Chatwoot's retry of the same message (same id) is acknowledged and dropped.
    expect(await (await webhook(message)).json()).toEqual({
      received: 'customer_message',
      duplicate: true,
    });
    expect(await storedMessages('1001')).toHaveLength(1);

    await settle();
    expect((await triageAction('1001')).action).toBe('auto_reply');
    const sent = chatwoot.requests.filter(toConversation(501));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/accounts/1/conversations/501/messages',
      headers: { api_access_token: 'agent-bot-access-token' },
      json: { message_type: 'outgoing', private: false },
    });
    const conversation = await service.conversations.getByExternalId('chatwoot', '1:501');
    expect(conversation.customer).toEqual({ id: '1:14', name: 'little-haze-776' });
    const reply = conversation.messages.find((stored) => stored.author === 'bot')!;
    expect((sent[0]!.json as { content: string }).content).toBe(reply.text);
    expect(reply.text).toMatch(/refund/i);
  });

  it('hands off with a private note, labels, priority and the conversation opened for agents', async () => {
    const message = chatwootMessage('message-created-incoming', {
      id: 1002,
      conversation: 502,
      content: 'I want to talk to a person, my parcel was damaged and I am very angry',
    });
    expect((await webhook(message)).status).toBe(200);
    await settle();
    const { action, ticket_id } = await triageAction('1002');
    expect(action).toBe('handoff');
    const ticket = await service.database.db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket_id!)
      .executeTakeFirstOrThrow();

    const calls = chatwoot.requests.filter(toConversation(502));
    const base = '/api/v1/accounts/1/conversations/502';
    const note = calls.find(
      (call) => call.path === `${base}/messages` && (call.json as any).private === true,
    )!;
    const noteText = (note.json as { content: string }).content;
    expect(note.json).toMatchObject({ message_type: 'outgoing', private: true });
    expect(noteText).toContain(`ticket ${ticket.id}`);
    expect(noteText).toContain(`Category: ${ticket.category}`);
    expect(noteText).toContain(`Urgency: ${ticket.urgency_level} (score ${ticket.urgency_score}`);
    expect(noteText).toContain('First response due: ');
    if (ticket.draft) expect(noteText).toContain(`DRAFT REPLY (not sent`);

    const labels = calls.find((call) => call.method === 'POST' && call.path === `${base}/labels`)!;
    expect(labels.json).toEqual({
      labels: [...(ticket.category ? [ticket.category] : []), `urgency-${ticket.urgency_level}`],
    });
    const priority = { low: 'low', normal: 'medium', high: 'high', critical: 'urgent' }[
      ticket.urgency_level
    ];
    expect(calls.find((call) => call.path === `${base}/toggle_priority`)!.json).toEqual({
      priority,
    });
    expect(calls.find((call) => call.path === `${base}/toggle_status`)!.json).toEqual({
      status: 'open',
    });
    // In that order, the status last: agents see the conversation with everything on it.
    const order = calls.map((call) => call.path).filter((path) => !path.endsWith('/messages'));
    expect(order).toEqual([
      `${base}/labels`,
      `${base}/labels`,
      `${base}/toggle_priority`,
      `${base}/toggle_status`,
    ]);
    // The customer hears a person has it: a public bot message besides the note.
    expect(
      calls.filter(
        (call) => call.path === `${base}/messages` && (call.json as any).private === false,
      ),
    ).toHaveLength(1);
  });

  it('stays silent once a human agent answered in Chatwoot', async () => {
    const question = 'How long does a refund take to reach my card?';
    await webhook(
      chatwootMessage('message-created-incoming', {
        id: 1003,
        conversation: 503,
        content: question,
      }),
    );
    await settle();
    expect(chatwoot.requests.filter(toConversation(503))).toHaveLength(1); // the bot's answer

    const agentReply = chatwootMessage('message-created-agent-reply', {
      id: 1004,
      conversation: 503,
      content: 'Hi, John here: I have checked your refund, it left us yesterday.',
    });
    const recorded = await webhook(agentReply);
    expect(await recorded.json()).toEqual({ received: 'agent_reply', outcome: 'recorded' });
    expect(await (await webhook(agentReply)).json()).toEqual({
      received: 'agent_reply',
      outcome: 'duplicate',
    });

    await webhook(
      chatwootMessage('message-created-incoming', {
        id: 1005,
        conversation: 503,
        content: question,
      }),
    );
    const before = chatwoot.requests.filter(toConversation(503)).length;
    await settle();
    // Triage leaves it to John: no answer, a hand-off (the agents' note carries the draft).
    expect((await triageAction('1005')).action).toBe('handoff');
    const conversation = await service.conversations.getByExternalId('chatwoot', '1:503');
    expect(conversation.status).toBe('agent');
    expect(conversation.messages.find((stored) => stored.author === 'agent')).toMatchObject({
      authorId: 'John',
      text: 'Hi, John here: I have checked your refund, it left us yesterday.',
    });
    const answers = conversation.messages.filter(
      (stored) => stored.author === 'bot' && stored.authorId !== 'handoff-acknowledgement',
    );
    expect(answers).toHaveLength(1); // the first one, before John
    // Nothing public reached the customer since: no answer, and no bot notice of the new
    // ticket either while John holds the conversation (the agents' private note is allowed).
    expect(
      conversation.messages.some((stored) => stored.authorId === 'handoff-acknowledgement'),
    ).toBe(false);
    const publicSince = chatwoot.requests
      .filter(toConversation(503))
      .slice(before)
      .filter((call) => call.path.endsWith('/messages') && (call.json as any).private === false);
    expect(publicSince).toEqual([]);
  });

  it('solves the ticket and answers again once Chatwoot resolves the conversation', async () => {
    // Conversation 503 from the test before: John holds it and its hand-off ticket is open.
    const before = await service.conversations.getByExternalId('chatwoot', '1:503');
    expect(before.status).toBe('agent');
    const { ticket_id: ticketId } = await triageAction('1005');
    expect((await service.tickets.get(ticketId!)).status).not.toBe('solved');

    const resolved = await webhook({ ...fixture('conversation-resolved'), id: 503 });
    expect(await resolved.json()).toEqual({ received: 'resolved', outcome: 'solved' });
    expect((await service.tickets.get(ticketId!)).status).toBe('solved');
    expect((await service.conversations.getByExternalId('chatwoot', '1:503')).status).toBe('bot');

    // The customer comes back. While John held the conversation nothing public went out for
    // such a message (the test before); now the bot speaks again.
    const sent = chatwoot.requests.length;
    await webhook(
      chatwootMessage('message-created-incoming', {
        id: 1010,
        conversation: 503,
        content: 'How long does a refund take to reach my card?',
      }),
    );
    await settle();
    // Whatever it decided (the third time of asking raises the urgency), the customer hears
    // from the bot again: its answer, or a new ticket's acknowledgement.
    const publicAgain = chatwoot.requests
      .slice(sent)
      .filter(toConversation(503))
      .filter((call) => call.path.endsWith('/messages') && (call.json as any).private === false);
    // (The solve also sent the CSAT survey.) One bot message answers 1010 and went out.
    const [asked] = await storedMessages('1010');
    const botReplies = await service.database.db
      .selectFrom('messages')
      .select('text')
      .where('reply_to_message_id', '=', asked!.id)
      .where('author', '=', 'bot')
      .execute();
    expect(botReplies).toHaveLength(1);
    expect(publicAgain.map((call) => (call.json as { content: string }).content)).toContain(
      botReplies[0]!.text,
    );
  });

  it('refuses a wrong or missing token or signature and stores nothing', async () => {
    const message = chatwootMessage('message-created-incoming', {
      id: 1006,
      conversation: 506,
      content: 'How long does a refund take to reach my card?',
    });
    for (const options of [
      { token: 'wrong-token-wrong-token' },
      { token: null },
      { signature: null },
      { signature: `sha256=${'0'.repeat(64)}` },
    ]) {
      const response = await webhook(message, options);
      expect(response.status, JSON.stringify(options)).toBe(401);
      expect((await response.json()).error.code).toBe('unauthorized');
    }
    // A signature from ten minutes ago is a replay.
    const body = JSON.stringify(message);
    const old = String(Math.floor(clock.now().getTime() / 1000) - 600);
    const replay = await service.app.request(`/channels/chatwoot/webhook?token=${token}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-chatwoot-timestamp': old,
        'x-chatwoot-signature': signChatwootBody(secret, old, Buffer.from(body)),
      },
      body,
    });
    expect(replay.status).toBe(401);
    expect(await storedMessages('1006')).toHaveLength(0);
  });

  it('ignores its own messages echoed back, private notes and conversation events', async () => {
    for (const name of ['message-created-bot-echo', 'message-created-private-note']) {
      const response = await webhook(
        chatwootMessage(name, { id: 1007, conversation: 507, content: 'Anything at all' }),
      );
      expect(response.status).toBe(200);
      expect((await response.json()).received).toBe('ignored');
    }
    // A conversation this service never saw: nothing to solve or hand back.
    const resolved = await webhook({ ...fixture('conversation-resolved'), id: 507 });
    expect(await resolved.json()).toEqual({
      received: 'resolved',
      outcome: 'unknown_conversation',
    });
    expect(await storedMessages('1007')).toHaveLength(0);
    await expect(service.conversations.getByExternalId('chatwoot', '1:507')).rejects.toThrow();
    expect((await webhook({ nothing: true })).status).toBe(400);
  });

  it('gives agents a bot-held conversation whose message has no text', async () => {
    const picture = chatwootMessage('message-created-incoming', {
      id: 1008,
      conversation: 508,
      content: null,
    });
    const response = await webhook({ ...picture, attachments: [{ file_type: 'image' }] });
    expect(await response.json()).toMatchObject({ received: 'needs_agent' });
    expect(chatwoot.requests.filter(toConversation(508))).toEqual([
      expect.objectContaining({
        path: '/api/v1/accounts/1/conversations/508/toggle_status',
        json: { status: 'open' },
      }),
    ]);
    expect(await storedMessages('1008')).toHaveLength(0);
  });

  it('retries a failed hand-off without posting the note twice', async () => {
    chatwoot.answer((request) =>
      request.path.endsWith('/toggle_priority')
        ? { status: 500, body: 'boom' }
        : chatwootApi(request),
    );
    await webhook(
      chatwootMessage('message-created-incoming', {
        id: 1009,
        conversation: 509,
        content: 'I want to talk to a person, my parcel was damaged and I am very angry',
      }),
    );
    await service.intake.idle();
    expect((await triageAction('1009')).action).toBe('handoff');
    const first = await service.outbox.deliverDue();
    expect(first.retried).toBe(1);
    const calls = () => chatwoot.requests.filter(toConversation(509));
    expect(calls().some((call) => call.path.endsWith('/toggle_status'))).toBe(false);

    chatwoot.answer(chatwootApi);
    clock.advance(3_600_000);
    expect((await service.outbox.deliverDue()).delivered).toBeGreaterThanOrEqual(1);
    const notes = calls().filter(
      (call) => call.path.endsWith('/messages') && (call.json as any).private === true,
    );
    expect(notes).toHaveLength(1);
    expect(calls().filter((call) => call.path.endsWith('/toggle_priority'))).toHaveLength(2);
    expect(calls().filter((call) => call.path.endsWith('/toggle_status'))).toHaveLength(1);
  });
});
