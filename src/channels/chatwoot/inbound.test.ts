import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ReceiveResult } from '../../conversations/message-intake.js';
import { BusyError, InvalidError } from '../../errors/domain-errors.js';
import { silentLogger } from '../../testing/logger.js';
import { systemClock } from '../../time/clock.js';
import type { ChannelContext } from '../channel-module.js';
import type { ChatwootApi } from './api.js';
import { registerChatwootRoutes } from './inbound.js';

const token = 'chatwoot-webhook-token-0001';
const incoming = readFileSync(
  new URL('./__fixtures__/message-created-incoming.json', import.meta.url),
  'utf8',
);

/** The webhook alone: a context whose intake answers as the test says. */
function webhook(receive: ChannelContext['receive']) {
  const received: unknown[] = [];
  const router = new Hono();
  registerChatwootRoutes(router, {
    settings: {
      webhookToken: token,
      baseUrl: 'http://chatwoot.test',
      apiToken: 't',
      webhookSecret: undefined,
    },
    context: {
      async receive(message) {
        received.push(message);
        return receive(message);
      },
      clock: systemClock,
      logger: silentLogger(),
    } as ChannelContext,
    api: {} as ChatwootApi,
  });
  const post = (query = `?token=${token}`) =>
    router.request(`/webhook${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: incoming,
    });
  return { post, received };
}

const accepted = async (): Promise<ReceiveResult> => ({
  status: 'queued',
  accepted: { messageId: 'm', conversationId: 'c', status: 'queued', duplicate: false },
});

describe('the Chatwoot webhook', () => {
  it('answers 429 with Retry-After when the intake is full, so Chatwoot retries', async () => {
    let full = true;
    const { post, received } = webhook(async (message) => {
      if (full) throw new BusyError('2000 messages are waiting', 7);
      return accepted();
    });
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect((await refused.json()).error.code).toBe('rate_limited');
    full = false;
    expect((await post()).status).toBe(200);
    expect(received).toHaveLength(2);
  });

  it('answers 400 for a message the contract refuses (Chatwoot then gives it to its agents)', async () => {
    const { post } = webhook(async () => {
      throw new InvalidError('text: too long');
    });
    const refused = await post();
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toContain('too long');
  });

  it('checks the token before anything reaches the intake', async () => {
    const { post, received } = webhook(accepted);
    expect((await post('?token=nope')).status).toBe(401);
    expect((await post('')).status).toBe(401);
    expect(received).toHaveLength(0);
  });
});
