/**
 * The Telegram channel end to end on one service: Telegram's webhook calls in, triage, and the
 * replies reaching a local fake of the Bot API through the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlatform, type FakePlatform } from '../../testing/fake-platform.js';
import { startTestService, type TestService } from '../../testing/service.js';
import { telegramFixture } from './test-fixtures.js';

const token = '7000000001:AAtestTOKEN_only-for-tests';
const secret = 'telegram-hook-secret_01';
let telegram: FakePlatform;
let service: TestService;

beforeAll(async () => {
  telegram = await startFakePlatform(() => ({ body: telegramFixture('send-message-ok') }));
  service = await startTestService({
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_WEBHOOK_SECRET: secret,
    TELEGRAM_API_BASE_URL: telegram.url,
  });
});
afterAll(async () => {
  await service?.close();
  await telegram?.close();
});

const deliver = (
  update: unknown,
  headers: Record<string, string> = { 'X-Telegram-Bot-Api-Secret-Token': secret },
) =>
  service.app.request('/channels/telegram/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(update),
  });

/** Triage finishes and the outbox sends what is due, as the background workers would. */
async function settle() {
  await service.intake.idle();
  await service.outbox.deliverDue();
}

const sendMessages = () =>
  telegram.requests.filter((request) => request.path === `/bot${token}/sendMessage`);

async function conversation(chatId: number) {
  return service.conversations.getByExternalId('telegram', String(chatId)).catch(() => undefined);
}

/** An update from another person (each test its own chat, so they do not meet). */
function fromPerson(chatId: number, updateId: number, text: string) {
  const update = telegramFixture('private-text');
  const message = update.message as Record<string, unknown>;
  return {
    update_id: updateId,
    message: {
      ...message,
      message_id: 10,
      from: { ...(message.from as object), id: chatId },
      chat: { ...(message.chat as object), id: chatId },
      text,
    },
  };
}

describe('the Telegram channel', () => {
  it('stores a message once, answers it with sendMessage, and drops the repeated update', async () => {
    const update = telegramFixture('private-text');
    const first = await deliver(update);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, stored: true, duplicate: false });
    await settle();

    const stored = await conversation(111111111);
    expect(stored?.customer).toEqual({ id: '111111111', name: 'Ada Lovelace' });
    const inbound = stored!.messages.filter((message) => message.direction === 'inbound');
    expect(inbound.map((message) => message.text)).toEqual([
      'How long does a refund take to reach my card?',
    ]);
    const reply = stored!.messages.find((message) => message.direction === 'outbound');
    expect(reply?.author).toBe('bot');
    expect(sendMessages()).toHaveLength(1);
    expect(sendMessages()[0]!.json).toEqual({
      chat_id: 111111111,
      text: reply!.text,
      reply_parameters: { message_id: 1365, allow_sending_without_reply: true },
    });

    // Telegram delivers the same update again (it missed our 200): nothing new is stored or sent.
    const again = await deliver(update);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, stored: true, duplicate: true });
    await settle();
    const after = await conversation(111111111);
    expect(after!.messages).toHaveLength(stored!.messages.length);
    expect(sendMessages()).toHaveLength(1);
  });

  it('refuses a wrong or missing secret token with 401 and stores nothing', async () => {
    const update = fromPerson(444444444, 725002001, 'Where is my parcel?');
    expect((await deliver(update, { 'X-Telegram-Bot-Api-Secret-Token': 'wrong' })).status).toBe(
      401,
    );
    expect((await deliver(update, {})).status).toBe(401);
    await settle();
    expect(await conversation(444444444)).toBeUndefined();
  });

  it('acknowledges edits, group messages, bots and bare commands without storing them', async () => {
    const before = sendMessages().length;
    for (const name of ['edited-message', 'group-message', 'bot-message', 'webhook-guide-start']) {
      const response = await deliver(telegramFixture(name));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, stored: false });
    }
    await settle();
    expect(await conversation(-1001234567890)).toBeUndefined();
    expect(await conversation(333333333)).toBeUndefined();
    expect(await conversation(1111111)).toBeUndefined();
    // The edit did not add a message to the first test's conversation.
    const edited = await conversation(111111111);
    expect(edited!.messages.filter((message) => message.direction === 'inbound')).toHaveLength(1);
    expect(sendMessages()).toHaveLength(before);
  });

  it("sends a hand-off's acknowledgement and the agent's console reply to the same chat", async () => {
    const chatId = 555555555;
    const response = await deliver(
      fromPerson(
        chatId,
        725003001,
        'I want to talk to a person, my parcel was damaged and I am very angry',
      ),
    );
    expect(response.status).toBe(200);
    await settle();
    const stored = await conversation(chatId);
    const tickets = await service.tickets.queue({ status: 'active' });
    const ticket = tickets.find((candidate) => candidate.conversationId === stored!.id);
    expect(ticket).toBeDefined();
    const acknowledgement = sendMessages().filter(
      (request) => (request.json as { chat_id: number }).chat_id === chatId,
    );
    expect(acknowledgement).toHaveLength(1);
    expect(acknowledgement[0]!.json).toMatchObject({
      reply_parameters: { message_id: 10, allow_sending_without_reply: true },
    });

    await service.tickets.act(
      ticket!.id,
      {
        action: 'reply',
        text: 'Hello, this is Alice. I am sorry about the parcel.',
        version: ticket!.version,
      },
      'alice',
    );
    await service.outbox.deliverDue();
    const toChat = sendMessages().filter(
      (request) => (request.json as { chat_id: number }).chat_id === chatId,
    );
    expect(toChat).toHaveLength(2);
    expect((toChat[1]!.json as { text: string }).text).toBe(
      'Hello, this is Alice. I am sorry about the parcel.',
    );
  });
});
