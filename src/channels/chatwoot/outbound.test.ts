import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakePlatform,
  type RecordedRequest,
  startFakePlatform,
} from '../../testing/fake-platform.js';
import { silentLogger } from '../../testing/logger.js';
import { DeliveryError, type HandoffDelivery } from '../channel.js';
import { createChatwootApi } from './api.js';
import { chatwootSender } from './outbound.js';

const handoff: HandoffDelivery = {
  deliveryId: 'delivery-1',
  type: 'conversation.handoff',
  messageId: 'm1',
  channel: 'chatwoot',
  conversationId: '3:77',
  customerId: '3:14',
  inReplyTo: '501',
  ticketId: 't1',
  category: 'refund',
  urgency: { score: 64, level: 'high' },
  reasons: ['The customer asks for a person'],
  draft: 'Your refund is on its way.',
  firstResponseDueAt: '2026-11-24T10:00:00.000Z',
  createdAt: '2026-11-24T09:00:00.000Z',
};

let fake: FakePlatform;
const state = new Map<string, unknown>();
beforeAll(async () => {
  fake = await startFakePlatform();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  state.clear();
});

function sender() {
  return chatwootSender({
    api: createChatwootApi({ baseUrl: fake.url, apiToken: 'bot-token' }),
    state: {
      readState: async (key) => state.get(key),
      writeState: async (key, value) => void state.set(key, value),
    },
    logger: silentLogger(),
  });
}

const calls = () => fake.requests.map((request) => `${request.method} ${request.path}`);
const base = '/api/v1/accounts/3/conversations/77';

/** Chatwoot's answers: labels kept as given, a message id for created messages. */
function chatwoot(request: RecordedRequest) {
  if (request.path.endsWith('/labels'))
    return {
      body: {
        payload: request.method === 'GET' ? ['vip'] : (request.json as { labels: string[] }).labels,
      },
    };
  if (request.path.endsWith('/messages')) return { body: { id: 9001 } };
  return { body: {} };
}

describe('Chatwoot sender', () => {
  it('adds its labels to those the conversation has (a POST replaces the list)', async () => {
    fake.answer(chatwoot);
    await sender().handoff!(handoff);
    expect(calls()).toEqual([
      `POST ${base}/messages`,
      `GET ${base}/labels`,
      `POST ${base}/labels`,
      `POST ${base}/toggle_priority`,
      `POST ${base}/toggle_status`,
    ]);
    expect(fake.requests[2]!.json).toEqual({ labels: ['vip', 'refund', 'urgency-high'] });
    expect(fake.requests.every((request) => request.headers.api_access_token === 'bot-token')).toBe(
      true,
    );
    expect(state.get('handoff:delivery-1')).toEqual({ notePosted: true, noteMessageId: '9001' });
  });

  it('goes on without labels when Chatwoot does not let bots label (older versions)', async () => {
    fake.answer((request) =>
      request.path.endsWith('/labels')
        ? { status: 401, body: { error: 'Access to this endpoint is not authorized for bots' } }
        : chatwoot(request),
    );
    await sender().handoff!(handoff);
    expect(calls()).toEqual([
      `POST ${base}/messages`,
      `GET ${base}/labels`,
      `POST ${base}/toggle_priority`,
      `POST ${base}/toggle_status`,
    ]);
  });

  it('posts the note once when a later call fails and the outbox tries again', async () => {
    fake.answer((request) =>
      request.path.endsWith('/toggle_priority') ? { status: 503 } : chatwoot(request),
    );
    const error = await sender().handoff!(handoff).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(true);

    fake.answer(chatwoot);
    await sender().handoff!(handoff);
    const notes = fake.requests.filter((request) => request.path.endsWith('/messages'));
    expect(notes).toHaveLength(1);
    expect(calls().filter((call) => call.endsWith('/toggle_status'))).toHaveLength(1);
  });

  it('maps Chatwoot’s answers to retry or give up', async () => {
    const reply = {
      deliveryId: 'r1',
      type: 'message.outbound' as const,
      messageId: 'm2',
      channel: 'chatwoot',
      conversationId: '3:77',
      customerId: '3:14',
      inReplyTo: '501',
      author: 'bot' as const,
      text: 'Hello',
      createdAt: '2026-11-24T09:00:00.000Z',
    };
    for (const [status, retryable] of [
      [500, true],
      [429, true],
      [404, false],
      [401, false],
    ] as const) {
      fake.answer(() => ({ status, body: { error: 'x' } }));
      const error = await sender()
        .send(reply)
        .catch((caught: unknown) => caught);
      expect(error, String(status)).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).retryable, String(status)).toBe(retryable);
    }
    // An id this adapter never wrote cannot be addressed: no call, no retry.
    const error = await sender()
      .send({ ...reply, conversationId: 'web-conv-1' })
      .catch((caught: unknown) => caught);
    expect((error as DeliveryError).retryable).toBe(false);
  });
});
