import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePlatform, startFakePlatform } from '../../testing/fake-platform.js';
import { DeliveryError } from '../channel.js';
import { splitUtf8, WECOM_TEXT_BYTES, wecomSender } from './outbound.js';
import { createWecomApi } from './wecom-api.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;

describe('splitUtf8', () => {
  it('keeps a short text whole', () => {
    expect(splitUtf8('退款多久到账？')).toEqual(['退款多久到账？']);
    expect(splitUtf8('')).toEqual(['']);
  });

  it('cuts Chinese text into parts of at most 2048 bytes without breaking a character', () => {
    const text = '退款'.repeat(1000); // 6000 bytes
    const parts = splitUtf8(text);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(WECOM_TEXT_BYTES);
    expect(parts.join('')).toBe(text);
  });

  it('prefers a line break near the end of a part', () => {
    const first = 'a'.repeat(1500);
    const parts = splitUtf8(`${first}\n${'b'.repeat(1500)}`);
    expect(parts).toEqual([first, 'b'.repeat(1500)]);
  });

  it('does not split an emoji (4 bytes) at the boundary', () => {
    const parts = splitUtf8(`${'a'.repeat(2046)}😀tail`);
    expect(parts[0]).toBe('a'.repeat(2046));
    expect(parts[1]).toBe('😀tail');
  });
});

describe('wecomSender', () => {
  let fake: FakePlatform;
  const state = new Map<string, unknown>();
  const context = {
    readState: async (key: string) => state.get(key),
    writeState: async (key: string, value: unknown) => void state.set(key, value),
  };
  let sendAnswers: unknown[] = [];

  beforeAll(async () => {
    fake = await startFakePlatform((request) => {
      if (request.path === '/cgi-bin/gettoken') return { body: fixture('gettoken.json') };
      return { body: sendAnswers.shift() ?? fixture('send-msg.json') };
    });
  });
  afterAll(() => fake.close());

  const sender = () =>
    wecomSender(
      createWecomApi({ baseUrl: fake.url, corpId: 'ww1', secret: 's', now: () => Date.now() }),
      context,
    );
  const delivery = (text: string, deliveryId = 'd1') => ({
    deliveryId,
    type: 'message.outbound' as const,
    messageId: 'm1',
    channel: 'wecom',
    conversationId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q:wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
    customerId: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
    inReplyTo: 'from_msgid_1',
    author: 'bot' as const,
    text,
    createdAt: '2026-12-05T00:00:00.000Z',
  });
  const sends = () => fake.requests.filter((request) => request.path === '/cgi-bin/kf/send_msg');

  it('maps errcodes: rate and busy retry later, session state and others do not', async () => {
    for (const [errcode, retryable] of [
      [-1, true],
      [45009, true],
      [95018, false],
      [60020, false],
      [40003, false],
    ] as const) {
      sendAnswers = [{ errcode, errmsg: 'x' }];
      const error = await sender()
        .send(delivery('hi'))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DeliveryError);
      expect([errcode, (error as DeliveryError).retryable]).toEqual([errcode, retryable]);
    }
    sendAnswers = [fixture('send-msg-session-invalid.json')];
    await expect(sender().send(delivery('hi'))).rejects.toThrow(/95018.*servicer/);
  });

  it('does not send the parts a failed attempt already delivered', async () => {
    const before = sends().length;
    const text = `${'一'.repeat(600)}\n${'二'.repeat(600)}\n${'三'.repeat(600)}`;
    sendAnswers = [fixture('send-msg.json'), { errcode: -1, errmsg: 'system busy' }];
    await expect(sender().send(delivery(text, 'long-1'))).rejects.toMatchObject({
      retryable: true,
    });
    await sender().send(delivery(text, 'long-1'));
    const contents = sends()
      .slice(before)
      .map((request) => (request.json as { text: { content: string } }).text.content[0]);
    // 一 sent, 二 refused, then 二 and 三 on the retry: 一 once.
    expect(contents).toEqual(['一', '二', '二', '三']);
    expect(sends().at(-1)!.json).toMatchObject({
      touser: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
      open_kfid: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q',
      msgtype: 'text',
    });
  });

  it('refuses a conversation id that names no kf account', async () => {
    await expect(
      sender().send({ ...delivery('hi'), conversationId: 'plain' }),
    ).rejects.toMatchObject({ retryable: false });
  });
});
