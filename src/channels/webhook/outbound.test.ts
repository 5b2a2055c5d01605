import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../channel.js';
import { signWebhookBody, verifyWebhookSignature, webhookChannel } from './outbound.js';

const delivery = {
  deliveryId: 'd1',
  type: 'message.outbound' as const,
  messageId: 'm1',
  channel: 'web-chat',
  conversationId: 'c1',
  customerId: 'u1',
  inReplyTo: null,
  author: 'bot' as const,
  text: '您好',
  createdAt: '2026-11-24T00:00:00.000Z',
};

describe('webhook signatures', () => {
  const now = new Date('2026-11-24T00:00:00Z');
  const t = Math.floor(now.getTime() / 1000);
  it('verifies its own signature and refuses a changed body, a wrong secret and a stale timestamp', () => {
    const header = signWebhookBody('s3cret', t, '{"a":1}');
    expect(verifyWebhookSignature('s3cret', header, '{"a":1}', { now })).toBe(true);
    expect(verifyWebhookSignature('s3cret', header, '{"a":2}', { now })).toBe(false);
    expect(verifyWebhookSignature('other', header, '{"a":1}', { now })).toBe(false);
    expect(
      verifyWebhookSignature('s3cret', header, '{"a":1}', {
        now: new Date(now.getTime() + 600_000),
      }),
    ).toBe(false);
    expect(verifyWebhookSignature('s3cret', 'garbage', '{"a":1}', { now })).toBe(false);
  });
});

describe('webhook channel', () => {
  const sender = (status: number) =>
    webhookChannel({
      url: 'http://receiver.test/hook',
      secret: 's',
      fetch: (async () => new Response(null, { status })) as typeof fetch,
    });

  it('treats 5xx, 408 and 429 as retryable and other 4xx as permanent', async () => {
    await expect(sender(204).send(delivery)).resolves.toBeUndefined();
    for (const [status, retryable] of [
      [500, true],
      [503, true],
      [429, true],
      [408, true],
      [400, false],
      [410, false],
    ] as const) {
      const error = await sender(status)
        .send(delivery)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).retryable).toBe(retryable);
    }
  });
});
