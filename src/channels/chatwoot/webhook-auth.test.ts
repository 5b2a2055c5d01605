import { describe, expect, it } from 'vitest';
import { signChatwootBody, tokenMatches, verifyChatwootSignature } from './webhook-auth.js';

describe('Chatwoot webhook authentication', () => {
  it('matches the URL token exactly', () => {
    expect(tokenMatches('token-of-sixteen-chars', 'token-of-sixteen-chars')).toBe(true);
    expect(tokenMatches('token-of-sixteen-charz', 'token-of-sixteen-chars')).toBe(false);
    expect(tokenMatches('token', 'token-of-sixteen-chars')).toBe(false);
    expect(tokenMatches(undefined, 'token-of-sixteen-chars')).toBe(false);
    expect(tokenMatches('', 'token-of-sixteen-chars')).toBe(false);
  });

  it('checks the signature over "<timestamp>.<body>" and refuses stale or changed requests', () => {
    const now = new Date('2026-11-24T09:00:00Z');
    const timestamp = String(now.getTime() / 1000);
    const body = new TextEncoder().encode('{"event":"message_created","content":"退款"}');
    const signature = signChatwootBody('bot-secret', timestamp, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    const check = (headers: { timestamp?: string; signature?: string }, payload = body, at = now) =>
      verifyChatwootSignature(
        'bot-secret',
        { timestamp: headers.timestamp, signature: headers.signature },
        payload,
        { now: at },
      );
    expect(check({ timestamp, signature })).toBe(true);
    expect(check({ timestamp, signature }, new TextEncoder().encode('{"event":"x"}'))).toBe(false);
    expect(check({ timestamp: String(Number(timestamp) + 1), signature })).toBe(false);
    expect(check({ timestamp, signature }, body, new Date(now.getTime() + 301_000))).toBe(false);
    expect(check({ timestamp })).toBe(false);
    expect(check({ signature })).toBe(false);
    expect(check({ timestamp, signature: signature.toUpperCase() })).toBe(false);
  });
});
