import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from './signature.js';

// The worked example of "Verifying requests from Slack" (a slash command's form body).
const docSecret = '8f742231b10e8888abcd99yyyzzz85a5';
const docTimestamp = '1531420618';
const docBody =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const docSignature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

const secret = 'test-signing-secret';
const now = new Date('2026-12-05T09:00:00Z');
const timestamp = String(Math.floor(now.getTime() / 1000));
const body = '{"type":"event_callback","event_id":"Ev1"}';
/** Signed independently of signature.ts, so the scheme is checked rather than echoed. */
const sign = (at: string, text: string, key = secret) =>
  `v0=${createHmac('sha256', key).update(`v0:${at}:${text}`).digest('hex')}`;
const check = (overrides: Partial<Parameters<typeof verifySlackSignature>[0]>) =>
  verifySlackSignature({
    secret,
    timestamp,
    signature: sign(timestamp, body),
    body,
    now,
    ...overrides,
  });

describe('Slack request signatures', () => {
  it("reproduces Slack's documented example", () => {
    expect(signSlackRequest(docSecret, docTimestamp, docBody)).toBe(docSignature);
    expect(
      verifySlackSignature({
        secret: docSecret,
        timestamp: docTimestamp,
        signature: docSignature,
        body: docBody,
        now: new Date(Number(docTimestamp) * 1000 + 60_000),
      }),
    ).toEqual({ valid: true });
  });

  it('accepts a good signature and refuses a changed body, another secret or a bad header', () => {
    expect(check({})).toEqual({ valid: true });
    expect(check({ body: body.replace('Ev1', 'Ev2') })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(check({ signature: sign(timestamp, body, 'other-secret') }).valid).toBe(false);
    expect(check({ signature: sign(timestamp, body).replace('v0=', 'v1=') }).valid).toBe(false);
    expect(check({ signature: sign(timestamp, body).toUpperCase() }).valid).toBe(false);
    expect(check({ signature: 'v0=abc' }).valid).toBe(false);
    expect(check({ signature: undefined })).toEqual({ valid: false, reason: 'missing' });
    expect(check({ timestamp: undefined })).toEqual({ valid: false, reason: 'missing' });
  });

  it('signs the timestamp: one moved inside the window no longer matches', () => {
    const moved = String(Number(timestamp) - 10);
    expect(check({ timestamp: moved })).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('refuses timestamps more than five minutes from the clock, either way', () => {
    for (const offset of [-301, 301, -3600]) {
      const at = String(Number(timestamp) + offset);
      expect(check({ timestamp: at, signature: sign(at, body) })).toEqual({
        valid: false,
        reason: 'stale',
      });
    }
    for (const offset of [-300, 299]) {
      const at = String(Number(timestamp) + offset);
      expect(check({ timestamp: at, signature: sign(at, body) })).toEqual({ valid: true });
    }
    expect(check({ timestamp: '1e9', signature: sign('1e9', body) }).valid).toBe(false);
  });
});
