/**
 * The generic webhook channel: each reply is POSTed as JSON to the configured URL, signed
 * like Stripe and GitHub webhooks: `x-triage-signature: t=<unix seconds>,v1=<hex HMAC-SHA256
 * of "<t>.<body>">`. The receiver recomputes it and rejects stale timestamps (replays).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type ChannelSender, DeliveryError, type OutboundDelivery } from '../channel.js';

export interface WebhookChannelOptions {
  url: string;
  secret: string;
  timeoutMs?: number;
  now?: () => Date;
  fetch?: typeof fetch;
}

export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/** Checks a signature header; what a receiver of our webhooks runs (and our tests do). */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  const parts = Object.fromEntries(
    (header ?? '').split(',').map((part) => part.split('=', 2) as [string, string]),
  );
  const timestamp = Number(parts.t);
  if (!Number.isFinite(timestamp) || !parts.v1) return false;
  const age = Math.abs((options.now ?? new Date()).getTime() / 1000 - timestamp);
  if (age > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function webhookChannel(options: WebhookChannelOptions): ChannelSender {
  const doFetch = options.fetch ?? fetch;
  return {
    name: 'webhook',
    async send(delivery: OutboundDelivery) {
      const body = JSON.stringify(delivery);
      const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
      let response: Response;
      try {
        response = await doFetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-triage-delivery': delivery.deliveryId,
            'x-triage-signature': signWebhookBody(options.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new DeliveryError(`webhook unreachable: ${(error as Error).message}`, true);
      }
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return;
      // 408 and 429 say "later"; other 4xx say the request itself is wrong.
      const retryable =
        response.status >= 500 || response.status === 408 || response.status === 429;
      throw new DeliveryError(`webhook answered ${response.status}`, retryable);
    },
  };
}
