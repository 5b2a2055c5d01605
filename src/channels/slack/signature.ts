/**
 * Slack's request signing ("Verifying requests from Slack"): every request carries
 * `X-Slack-Request-Timestamp` and `X-Slack-Signature: v0=<hex HMAC-SHA256 of
 * "v0:<timestamp>:<raw body>" keyed with the app's signing secret>`. A request signed more than
 * five minutes away from our clock is refused, so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's own tolerance: five minutes either way. */
export const SLACK_SIGNATURE_TOLERANCE_SECONDS = 300;

export function signSlackRequest(secret: string, timestamp: string | number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export type SlackSignatureCheck =
  { valid: true } | { valid: false; reason: 'missing' | 'stale' | 'mismatch' };

export function verifySlackSignature(request: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  now: Date;
  toleranceSeconds?: number;
}): SlackSignatureCheck {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return { valid: false, reason: 'missing' };
  // Digits only: the timestamp is signed as written, and "1e9" or " 1" must not pass as a number.
  if (!/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'stale' };
  const age = Math.abs(request.now.getTime() / 1000 - Number(timestamp));
  if (age > (request.toleranceSeconds ?? SLACK_SIGNATURE_TOLERANCE_SECONDS))
    return { valid: false, reason: 'stale' };
  const expected = Buffer.from(signSlackRequest(request.secret, timestamp, request.body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // Lengths are public (always v0= and 64 hex digits); the bytes are compared in constant time.
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { valid: false, reason: 'mismatch' };
  return { valid: true };
}
