/**
 * What every widget request passes after its origin: a configured site key, then the rate
 * limits of its kind, per visitor id and per client address. Sending spends the message
 * budget (WIDGET_RATE_LIMIT_PER_MINUTE, WIDGET_ADDRESS_RATE_LIMIT_PER_MINUTE); reading
 * (polls, stream connections) has a budget six times larger, so a page polling every few
 * seconds never runs out while a script looping on reads is still stopped.
 */
import type { Context } from 'hono';
import { errorResponse } from '../../http/errors.js';
import { clientAddress } from '../../http/middleware.js';
import type { Clock } from '../../time/clock.js';
import type { WidgetSettings } from './config.js';
import { createRateLimiter, spendAll } from './rate-limit.js';

export type WidgetRequestKind = 'message' | 'read';

/** Reads per minute for each message per minute. */
const readsPerMessage = 6;

export interface WidgetGate {
  /** A refusal (403 unknown site key, 429 with Retry-After), or undefined to go on. */
  admit(
    context: Context,
    request: { siteKey: string; visitorId: string },
    kind: WidgetRequestKind,
  ): Response | undefined;
}

export function createWidgetGate(settings: WidgetSettings, clock: Clock): WidgetGate {
  const limiters = {
    message: {
      visitor: createRateLimiter({ perMinute: settings.visitorMessagesPerMinute }),
      address: createRateLimiter({ perMinute: settings.addressMessagesPerMinute }),
    },
    read: {
      visitor: createRateLimiter({
        perMinute: settings.visitorMessagesPerMinute * readsPerMessage,
      }),
      address: createRateLimiter({
        perMinute: settings.addressMessagesPerMinute * readsPerMessage,
      }),
    },
  };
  return {
    admit(context, request, kind) {
      if (!settings.siteKeys.has(request.siteKey)) {
        return errorResponse(
          context,
          'forbidden',
          `Unknown site key "${request.siteKey.slice(0, 64)}": the snippet's data-site-key must be one of WIDGET_SITE_KEYS.`,
        );
      }
      // In-process requests (tests, tools) have no address: only the visitor's limit applies.
      const address = clientAddress(context, settings.trustProxy);
      const wait = spendAll(
        [
          [limiters[kind].visitor, request.visitorId],
          [limiters[kind].address, address],
        ],
        clock.now().getTime(),
      );
      if (wait === 0) return undefined;
      context.header('Retry-After', String(wait));
      return errorResponse(
        context,
        'rate_limited',
        kind === 'message'
          ? `Too many messages: wait ${wait} s before sending again.`
          : `Too many requests for this conversation: wait ${wait} s.`,
      );
    },
  };
}
