/**
 * The widget's endpoints against the whole service: a visitor's message stored once, the
 * bot's reply readable by that visitor only (polling and the event stream), and the guards:
 * site key, origin allow-list with CORS, rate limits per visitor and per address, text and
 * body limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../testing/service.js';
import { manualClock } from '../../time/clock.js';

const shop = 'https://shop.example.com';
const siteKey = 'shop-1';
const env = {
  WIDGET_SITE_KEYS: `${siteKey},other-shop`,
  WIDGET_ALLOWED_ORIGINS: `${shop}/, http://localhost:5173`,
  WIDGET_RATE_LIMIT_PER_MINUTE: '3',
  WIDGET_ADDRESS_RATE_LIMIT_PER_MINUTE: '5',
  TRUST_PROXY: 'true',
};
// Time stands still: rate-limit buckets refill only when the test moves the clock.
const clock = manualClock('2026-03-10T02:00:00Z');

let service: TestService;
let visitorCount = 0;
/** A fresh visitor id in the widget's format (32 hex characters). */
const newVisitor = () => `${String(++visitorCount).padStart(4, '0')}${'ab12'.repeat(7)}`;

function post(body: unknown, headers: Record<string, string> = {}) {
  return service.app.request('/channels/widget/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: shop, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function message(visitorId: string, clientMessageId: string, text: string) {
  return { siteKey, visitorId, clientMessageId, text, locale: 'en-US' };
}

function transcript(visitorId: string, query: Record<string, string> = {}, origin = shop) {
  const search = new URLSearchParams({ siteKey, visitorId, ...query });
  return service.app.request(`/channels/widget/messages?${search}`, { headers: { origin } });
}

beforeAll(async () => {
  service = await startTestService(env, { clock });
}, 180_000);

afterAll(async () => {
  await service?.close();
});

describe('widget messages', () => {
  it('stores a message once and shows the bot reply to the same visitor only', async () => {
    const visitor = newVisitor();
    const first = await post(
      message(visitor, 'm1', 'How long does a refund take to reach my card?'),
    );
    expect(first.status).toBe(202);
    expect(first.headers.get('access-control-allow-origin')).toBe(shop);
    expect(first.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const accepted = await first.json();
    expect(accepted).toMatchObject({ duplicate: false, status: 'queued' });

    // The page lost the answer and sends the same message again.
    const again = await post(
      message(visitor, 'm1', 'How long does a refund take to reach my card?'),
    );
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ messageId: accepted.messageId, duplicate: true });

    await service.intake.idle();
    await service.outbox.deliverDue();
    const stored = await service.conversations.getByExternalId('widget', `${siteKey}:${visitor}`);
    expect(stored.customer.id).toBe(visitor);
    expect(stored.messages.filter((entry) => entry.author === 'customer')).toHaveLength(1);

    const read = await transcript(visitor);
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe(shop);
    const { messages } = await read.json();
    expect(messages[0]).toMatchObject({
      id: accepted.messageId,
      author: 'customer',
      text: 'How long does a refund take to reach my card?',
    });
    const reply = messages.find((entry: { author: string }) => entry.author === 'bot');
    expect(reply?.text).toMatch(/refund/i);
    expect(Object.keys(reply).sort()).toEqual(['author', 'createdAt', 'id', 'text']);
    // The triage decided to answer, and delivered through the widget's sender.
    const botMessage = stored.messages.find((entry) => entry.author === 'bot');
    expect(botMessage?.delivery).toBe('delivered');

    // Only what follows a message the page already shows.
    const after = await (await transcript(visitor, { after: accepted.messageId })).json();
    expect(after.messages.map((entry: { id: string }) => entry.id)).toEqual([reply.id]);

    // Another visitor id (or the same one under another site key) sees nothing of it.
    expect((await (await transcript(newVisitor())).json()).messages).toEqual([]);
    const otherSite = await service.app.request(
      `/channels/widget/messages?${new URLSearchParams({ siteKey: 'other-shop', visitorId: visitor })}`,
      { headers: { origin: shop } },
    );
    expect((await otherSite.json()).messages).toEqual([]);
  });

  it('streams the conversation and wakes the stream when a reply is delivered', async () => {
    const visitor = newVisitor();
    const controller = new AbortController();
    const response = await service.app.request(
      `/channels/widget/stream?${new URLSearchParams({ siteKey, visitorId: visitor })}`,
      { headers: { origin: shop }, signal: controller.signal },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('access-control-allow-origin')).toBe(shop);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const until = async (pattern: RegExp) => {
      const deadline = Date.now() + 30_000;
      while (!pattern.test(received)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in ${received}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${received}`);
        received += value;
      }
    };

    const sent = await post(message(visitor, 'q', '退款多久到账？'));
    const { messageId } = await sent.json();
    await until(new RegExp(`id: ${messageId}`));
    await service.intake.idle();
    const started = Date.now();
    await service.outbox.deliverDue();
    await until(/"author":"bot"/);
    // Woken by the sender, not found by the 5-second re-read.
    expect(Date.now() - started).toBeLessThan(4_000);
    const events = received
      .split('\n\n')
      .filter((block) => block.startsWith('event: message'))
      .map((block) => JSON.parse(block.split('\n')[1]!.slice('data: '.length)));
    expect(events.map((event) => event.author)).toEqual(['customer', 'bot']);
    expect(events[1].text).toMatch(/退款/);
    controller.abort();
    await reader.cancel().catch(() => undefined);
  });
});

describe('widget guards', () => {
  it('answers a preflight from an allowed origin and refuses others without CORS headers', async () => {
    const preflight = await service.app.request('/channels/widget/messages', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/content-type/i);

    const elsewhere = await service.app.request('/channels/widget/messages', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    const visitor = newVisitor();
    const refused = await post(message(visitor, 'x', 'hello'), { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect((await refused.json()).error.message).toContain('WIDGET_ALLOWED_ORIGINS');
    const noOrigin = await service.app.request('/channels/widget/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message(visitor, 'x', 'hello')),
    });
    expect(noOrigin.status).toBe(403);
    const read = await transcript(visitor, {}, 'https://evil.example');
    expect(read.status).toBe(403);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    // Nothing was stored for the refused visitor.
    await expect(
      service.conversations.getByExternalId('widget', `${siteKey}:${visitor}`),
    ).rejects.toThrow(/No conversation/);
  });

  it('refuses an unknown site key with 403 the page can read', async () => {
    const response = await post({ ...message(newVisitor(), 'k', 'hello'), siteKey: 'not-ours' });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe(shop);
    expect((await response.json()).error).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('Unknown site key "not-ours"'),
    });
    const read = await service.app.request(
      `/channels/widget/messages?siteKey=not-ours&visitorId=${newVisitor()}`,
      { headers: { origin: shop } },
    );
    expect(read.status).toBe(403);
  });

  it('limits messages per visitor with 429 and Retry-After', async () => {
    const visitor = newVisitor();
    for (let i = 1; i <= 3; i++)
      expect((await post(message(visitor, `r${i}`, `question ${i}`))).status).toBe(202);
    const limited = await post(message(visitor, 'r4', 'question 4'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(limited.headers.get('access-control-allow-origin')).toBe(shop);
    expect(limited.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect((await limited.json()).error).toMatchObject({
      code: 'rate_limited',
      message: 'Too many messages: wait 20 s before sending again.',
    });
    // Another visitor is not held back by this one.
    expect((await post(message(newVisitor(), 'r1', 'question'))).status).toBe(202);
    // A token comes back after 60/3 s.
    clock.advance(20_000);
    expect((await post(message(visitor, 'r4', 'question 4'))).status).toBe(202);
    await service.intake.idle();
  });

  it('limits messages per client address across visitors', async () => {
    const address = { 'x-forwarded-for': '203.0.113.7' };
    let accepted = 0;
    let status = 202;
    for (let i = 0; i < 8 && status === 202; i++) {
      // A new visitor id each time: a script cannot dodge the address limit that way.
      status = (await post(message(newVisitor(), `a${i}`, 'hello'), address)).status;
      if (status === 202) accepted++;
    }
    expect(accepted).toBe(5);
    expect(status).toBe(429);
    // Another address is served.
    expect(
      (await post(message(newVisitor(), 'a', 'hello'), { 'x-forwarded-for': '203.0.113.8' }))
        .status,
    ).toBe(202);
    await service.intake.idle();
  });

  it('refuses an over-long text and a bad body with a clear message', async () => {
    const visitor = newVisitor();
    const long = await post(message(visitor, 'l', 'x'.repeat(4001)));
    expect(long.status).toBe(400);
    expect((await long.json()).error).toMatchObject({
      code: 'validation_failed',
      message: 'text: the message is longer than 4000 characters: shorten it',
    });
    const empty = await post(message(visitor, 'e', '   '));
    expect((await empty.json()).error.message).toBe('text: the message is empty');
    const badVisitor = await post(message('1234', 'b', 'hello'));
    expect(badVisitor.status).toBe(400);
    expect((await badVisitor.json()).error.message).toContain('visitorId: must be the random');
    const notJson = await post('{"siteKey":');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe('invalid_json');
    // Past the widget's own bound (4 bytes a character and some), far below MAX_BODY_BYTES.
    const huge = await post(message(visitor, 'h', 'x'.repeat(20 * 1024)));
    expect(huge.status).toBe(413);
    expect(huge.headers.get('access-control-allow-origin')).toBe(shop);
    expect((await huge.json()).error.code).toBe('payload_too_large');
    // None of these spent the visitor's message budget or stored anything.
    await expect(
      service.conversations.getByExternalId('widget', `${siteKey}:${visitor}`),
    ).rejects.toThrow(/No conversation/);
  });
});

describe('GET /widget.js', () => {
  it('serves the script for other origins to run, with the text limit filled in', async () => {
    const response = await service.app.request('/widget.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await response.text();
    expect(script).toContain('var SETTINGS = {"maxTextChars":4000};');
    expect(script).toContain('attachShadow');
    // Texts are never parsed as HTML.
    expect(script).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/);
  });
});

// Last: the channels stay stopped.
describe('stopping', () => {
  it('ends open streams when the channels stop, so a shutdown does not wait on them', async () => {
    const response = await service.app.request(
      `/channels/widget/stream?${new URLSearchParams({ siteKey, visitorId: newVisitor() })}`,
      { headers: { origin: shop } },
    );
    const reader = response.body!.getReader();
    await reader.read(); // the retry line: the stream is open
    const started = Date.now();
    await service.channelRegistry.stop();
    for (;;) if ((await reader.read()).done) break;
    expect(Date.now() - started).toBeLessThan(2_000);
    const refused = await service.app.request(
      `/channels/widget/stream?${new URLSearchParams({ siteKey, visitorId: newVisitor() })}`,
      { headers: { origin: shop } },
    );
    expect(refused.status).toBe(503);
  });
});
