import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ReceiveResult } from '../../conversations/message-intake.js';
import { BusyError, InvalidError } from '../../errors/domain-errors.js';
import { silentLogger } from '../../testing/logger.js';
import type { ChannelContext } from '../channel-module.js';
import { registerTelegramWebhook, secretMatches } from './inbound.js';
import { telegramFixture } from './test-fixtures.js';

const secret = 'hook-secret_0123456789';

/** The webhook on its own, with a context that records what reaches the intake. */
function webhook(receive: ChannelContext['receive'] = accepted) {
  const received: unknown[] = [];
  const claimed = new Set<string>();
  const router = new Hono();
  registerTelegramWebhook(router, {
    secret,
    context: {
      async receive(message) {
        received.push(message);
        return receive(message);
      },
      firstDelivery: async (eventId) => !claimed.has(eventId) && Boolean(claimed.add(eventId)),
      maxTextChars: 4000,
      logger: silentLogger(),
    },
  });
  // Stands in for the app's error handler (a 500 without the stack on stderr).
  router.onError((_error, c) => c.text('internal', 500));
  const post = (
    body: unknown,
    headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': secret },
  ) =>
    router.request('/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { post, received };
}

async function accepted(): Promise<ReceiveResult> {
  return {
    status: 'queued',
    accepted: { messageId: 'm', conversationId: 'c', status: 'queued', duplicate: false },
  };
}

describe('the Telegram webhook', () => {
  it('compares the secret token exactly', () => {
    expect(secretMatches(secret, secret)).toBe(true);
    expect(secretMatches(secret, `${secret}x`)).toBe(false);
    expect(secretMatches(secret, secret.slice(1))).toBe(false);
    expect(secretMatches(secret, '')).toBe(false);
    expect(secretMatches(secret, undefined)).toBe(false);
  });

  it('refuses a missing or wrong secret with 401 before reading the body', async () => {
    const { post, received } = webhook();
    expect((await post(telegramFixture('private-text'), {})).status).toBe(401);
    const wrong = await post(telegramFixture('private-text'), {
      'x-telegram-bot-api-secret-token': 'not-the-secret',
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(received).toHaveLength(0);
  });

  it('answers 400 to a body that is not an Update, which Telegram never sends', async () => {
    const { post, received } = webhook();
    expect((await post('{"update_id":')).status).toBe(400);
    expect((await post({ message: { text: 'hi' } })).status).toBe(400);
    expect(received).toHaveLength(0);
  });

  it('acknowledges updates it leaves alone with 200, so Telegram does not retry them', async () => {
    const { post, received } = webhook();
    for (const name of ['edited-message', 'group-message', 'bot-message', 'webhook-guide-start']) {
      const response = await post(telegramFixture(name));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, stored: false });
    }
    expect(received).toHaveLength(0);
  });

  it('answers 429 with Retry-After when the intake is full, and takes the retry', async () => {
    let full = true;
    const { post, received } = webhook(async () => {
      if (full) throw new BusyError('2000 messages are waiting', 7);
      return accepted();
    });
    const refused = await post(telegramFixture('private-text'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    full = false;
    // Telegram delivers the same update again: its id was seen, but it was never stored.
    const retried = await post(telegramFixture('private-text'));
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ ok: true, stored: true, duplicate: false });
    expect(received).toHaveLength(2);
  });

  it('acknowledges a message the contract refuses: a retry would be refused alike', async () => {
    const { post } = webhook(async () => {
      throw new InvalidError('text must not be empty');
    });
    const response = await post(telegramFixture('private-text'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, stored: false, reason: 'invalid_message' });
  });

  it('lets an unexpected failure answer 500, so Telegram delivers the update again', async () => {
    const { post } = webhook(async () => {
      throw new Error('database connection lost');
    });
    expect((await post(telegramFixture('private-text'))).status).toBe(500);
  });
});
