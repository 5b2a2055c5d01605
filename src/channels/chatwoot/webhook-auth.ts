/**
 * How a webhook request proves it comes from our Chatwoot agent bot: the token in its URL
 * (`?token=`), and, when the bot's secret is configured, Chatwoot's signature (4.13+, PR
 * chatwoot/chatwoot#13892): `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw
 * body>">` with `X-Chatwoot-Timestamp` in unix seconds. Both compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Hashing first gives equal lengths, so the comparison leaks neither content nor length. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function signChatwootBody(secret: string, timestamp: string, body: Uint8Array): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `sha256=${digest}`;
}

/** Chatwoot signs each attempt anew, so an old timestamp is a replay. */
export function verifyChatwootSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: Uint8Array,
  options: { now: Date; toleranceSeconds?: number },
): boolean {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const age = Math.abs(options.now.getTime() / 1000 - Number(timestamp));
  if (age > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signChatwootBody(secret, timestamp, body));
  const given = Buffer.from(signature.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
