import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePlatform, startFakePlatform } from '../../testing/fake-platform.js';
import { DeliveryError } from '../channel.js';
import { slackSender } from './outbound.js';

const delivery = {
  deliveryId: 'd1',
  type: 'message.outbound' as const,
  messageId: 'm1',
  channel: 'slack',
  conversationId: 'C123ABC456:1515449522.000016',
  customerId: 'T061EG9R6:U061F7AUR',
  inReplyTo: 'C123ABC456:1515449522.000016',
  author: 'bot' as const,
  text: 'Refunds take 5-10 days <card> & bank',
  createdAt: '2026-12-05T09:00:00.000Z',
};

let slack: FakePlatform;
beforeAll(async () => {
  slack = await startFakePlatform();
});
afterAll(async () => {
  await slack.close();
});
const sender = () => slackSender({ apiBaseUrl: slack.url, botToken: 'xoxb-test-token' });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as DeliveryError,
  );

describe('Slack replies', () => {
  it('posts into the thread with the bot token, text escaped', async () => {
    slack.answer(() => ({ body: { ok: true, channel: 'C123ABC456', ts: '1515449530.000100' } }));
    await sender().send(delivery);
    const request = slack.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/chat.postMessage');
    expect(request.headers.authorization).toBe('Bearer xoxb-test-token');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.json).toEqual({
      channel: 'C123ABC456',
      thread_ts: '1515449522.000016',
      text: 'Refunds take 5-10 days &lt;card&gt; &amp; bank',
    });
  });

  it('maps Slack error codes and HTTP statuses to retryable or not', async () => {
    const cases: [
      { status?: number; body?: unknown; headers?: Record<string, string> },
      boolean,
    ][] = [
      [{ body: { ok: false, error: 'ratelimited' } }, true],
      [
        {
          status: 429,
          headers: { 'retry-after': '30' },
          body: { ok: false, error: 'ratelimited' },
        },
        true,
      ],
      [{ body: { ok: false, error: 'internal_error' } }, true],
      [{ body: { ok: false, error: 'fatal_error' } }, true],
      [{ body: { ok: false, error: 'service_unavailable' } }, true],
      [{ status: 500, body: 'oops' }, true],
      [{ status: 503, body: { ok: false, error: 'service_unavailable' } }, true],
      [{ body: '<html>proxy</html>' }, true],
      [{ body: { ok: false, error: 'channel_not_found' } }, false],
      [{ body: { ok: false, error: 'not_in_channel' } }, false],
      [{ body: { ok: false, error: 'invalid_auth' } }, false],
      [{ body: { ok: false, error: 'msg_too_long' } }, false],
      [{ body: { ok: false, error: 'is_archived' } }, false],
      [{ status: 400, body: { ok: false, error: 'invalid_arguments' } }, false],
      [{ status: 404, body: 'not found' }, false],
    ];
    for (const [reply, retryable] of cases) {
      slack.answer(() => reply);
      const error = await failure(sender().send(delivery));
      expect(error, JSON.stringify(reply)).toBeInstanceOf(DeliveryError);
      expect(error!.retryable, JSON.stringify(reply)).toBe(retryable);
    }
    slack.answer(() => ({ status: 429, headers: { 'retry-after': '30' }, body: '' }));
    expect((await failure(sender().send(delivery)))!.message).toMatch(/429.*retry after 30 s/);
    slack.answer(() => ({ body: { ok: false, error: 'not_in_channel' } }));
    expect((await failure(sender().send(delivery)))!.message).toMatch(/not_in_channel/);
  });

  it('retries when Slack cannot be reached, refuses a conversation id it did not make', async () => {
    const offline = slackSender({ apiBaseUrl: 'http://127.0.0.1:9', botToken: 't' });
    expect((await failure(offline.send(delivery)))!.retryable).toBe(true);
    const before = slack.requests.length;
    const error = await failure(sender().send({ ...delivery, conversationId: 'chat-42' }));
    expect(error!.retryable).toBe(false);
    expect(slack.requests).toHaveLength(before);
  });
});
