import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakePlatform, type FakePlatform } from '../../testing/fake-platform.js';
import { DeliveryError, type OutboundDelivery } from '../channel.js';
import { telegramSender } from './outbound.js';
import { telegramFixture } from './test-fixtures.js';

const token = '7000000001:AAtestTOKEN_only-for-tests';
let telegram: FakePlatform;
beforeAll(async () => {
  telegram = await startFakePlatform();
});
afterAll(async () => {
  await telegram.close();
});
beforeEach(() => {
  telegram.requests.length = 0;
  telegram.answer(() => ({ body: telegramFixture('send-message-ok') }));
});

const delivery = (overrides: Partial<OutboundDelivery> = {}): OutboundDelivery => ({
  deliveryId: 'delivery-1',
  type: 'message.outbound',
  messageId: 'm-1',
  channel: 'telegram',
  conversationId: '111111111',
  customerId: '111111111',
  inReplyTo: '111111111:1365',
  author: 'bot',
  text: 'Refunds reach your card within 5-10 business days.',
  createdAt: '2026-12-05T08:00:00.000Z',
  ...overrides,
});

function memoryState() {
  const values = new Map<string, unknown>();
  return {
    values,
    read: async (key: string) => values.get(key),
    write: async (key: string, value: unknown) => void values.set(key, value),
  };
}

const sender = (state?: ReturnType<typeof memoryState>) =>
  telegramSender({ apiBaseUrl: telegram.url, botToken: token, ...(state ? { state } : {}) });

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('the Telegram sender', () => {
  it('answers the customer message with sendMessage and reply_parameters', async () => {
    await sender().send(delivery());
    expect(telegram.requests).toHaveLength(1);
    const [request] = telegram.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(`/bot${token}/sendMessage`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.json).toEqual({
      chat_id: 111111111,
      text: 'Refunds reach your card within 5-10 business days.',
      reply_parameters: { message_id: 1365, allow_sending_without_reply: true },
    });
  });

  it("sends an agent's reply without a message to answer as a plain message", async () => {
    await sender().send(delivery({ author: 'agent', inReplyTo: null, text: 'Hello, Alice here.' }));
    expect(telegram.requests[0]!.json).toEqual({ chat_id: 111111111, text: 'Hello, Alice here.' });
  });

  it('maps Telegram errors: 429 and 5xx retryable, 403 and 400 not', async () => {
    telegram.answer(() => ({ status: 429, body: telegramFixture('send-message-429') }));
    const flood = await failure(sender().send(delivery()));
    expect(flood.retryable).toBe(true);
    expect(flood.message).toContain('429');
    expect(flood.message).toContain('retry after 35 s');

    telegram.answer(() => ({ status: 403, body: telegramFixture('send-message-403') }));
    const blocked = await failure(sender().send(delivery()));
    expect(blocked.retryable).toBe(false);
    expect(blocked.message).toContain('bot was blocked by the user');

    telegram.answer(() => ({ status: 400, body: telegramFixture('send-message-400') }));
    expect((await failure(sender().send(delivery()))).retryable).toBe(false);

    telegram.answer(() => ({
      status: 502,
      body: '<html><body>502 Bad Gateway</body></html>',
    }));
    const gateway = await failure(sender().send(delivery()));
    expect(gateway.retryable).toBe(true);
    expect(gateway.message).toContain('not a Bot API answer');

    telegram.answer(() => ({
      status: 500,
      body: { ok: false, error_code: 500, description: 'Internal Server Error' },
    }));
    expect((await failure(sender().send(delivery()))).retryable).toBe(true);

    // The token is part of the URL: it never shows in an error.
    for (const error of [flood, blocked, gateway]) expect(error.message).not.toContain(token);
  });

  it('treats an unreachable API as retryable', async () => {
    const closed = await startFakePlatform();
    await closed.close();
    const error = await failure(
      telegramSender({ apiBaseUrl: closed.url, botToken: token }).send(delivery()),
    );
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain(token);
  });

  it('refuses a conversation id that is not a chat id without calling Telegram', async () => {
    const error = await failure(sender().send(delivery({ conversationId: 'web-77' })));
    expect(error.retryable).toBe(false);
    expect(telegram.requests).toHaveLength(0);
  });

  it('splits a long reply into messages of at most 4096 characters, the first one answering', async () => {
    const paragraph = 'Refund steps. '.repeat(250).trim(); // 3,499 characters
    const text = [paragraph, paragraph, paragraph].join('\n\n');
    await sender().send(delivery({ text }));
    const bodies = telegram.requests.map((request) => request.json as Record<string, unknown>);
    expect(bodies.map((body) => body.text)).toEqual([paragraph, paragraph, paragraph]);
    expect(bodies[0]!.reply_parameters).toEqual({
      message_id: 1365,
      allow_sending_without_reply: true,
    });
    expect(bodies.slice(1).every((body) => body.reply_parameters === undefined)).toBe(true);
  });

  it('resumes a long reply after the parts that went out when a retry follows a failure', async () => {
    const state = memoryState();
    const paragraph = 'Refund steps. '.repeat(250).trim();
    const text = [`${paragraph} one`, `${paragraph} two`, `${paragraph} three`].join('\n\n');
    let calls = 0;
    telegram.answer(() =>
      ++calls === 2
        ? { status: 429, body: telegramFixture('send-message-429') }
        : { body: telegramFixture('send-message-ok') },
    );
    const error = await failure(sender(state).send(delivery({ text })));
    expect(error.retryable).toBe(true);
    expect(state.values.get('delivery-progress:delivery-1')).toEqual({ sent: 1 });

    // The outbox retries the same delivery: parts two and three go out, part one not again.
    await sender(state).send(delivery({ text }));
    const texts = telegram.requests.map((request) => (request.json as { text: string }).text);
    expect(texts.map((part) => part.split(' ').at(-1))).toEqual(['one', 'two', 'two', 'three']);
  });
});
