/**
 * `POST /channels/slack/events`, the Events API request URL. Order: verify the signature over
 * the raw body (401, nothing read, when it fails), answer `url_verification`, map the event,
 * store the message (a repeat of a stored one is recognised by its message id), answer 200.
 * Storing is all that happens before the answer (triage runs in the background), well within
 * Slack's 3 s.
 *
 * Slack retries an event it got no 2xx for (at once, after 1 and after 5 minutes, with
 * `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`). A retry of a stored event is dropped by the
 * intake's unique message id, written in the same transaction as the message, so neither a
 * refusal (backlog full: 429 with Retry-After; an error: 500) nor a crash before the store can
 * make a retry be dropped; the event id is recorded after the store. A message delivered twice
 * under two event ids (as
 * `message` and as `app_mention`) is stored once by its message id.
 */
import type { Context, Hono } from 'hono';
import { errorResponse } from '../../http/errors.js';
import { InvalidError } from '../../errors/domain-errors.js';
import type { ChannelContext } from '../channel-module.js';
import { eventCallbackSchema, otherEnvelopeSchema, urlVerificationSchema } from './events.js';
import { mapSlackEvent, type SlackBotIdentity } from './inbound.js';
import { verifySlackSignature } from './signature.js';

export interface SlackEventsOptions {
  signingSecret: string;
  context: ChannelContext;
  /** Read per request: auth.test fills it in after start. */
  bot: () => SlackBotIdentity;
}

/** Tells Slack not to send this request again: nothing in it will change on a retry. */
function refuseForGood(context: Context, message: string): Response {
  context.header('X-Slack-No-Retry', '1');
  return errorResponse(context, 'validation_failed', message);
}

export function registerSlackEventRoutes(router: Hono, options: SlackEventsOptions): void {
  const { context: channel } = options;
  const logger = channel.logger;

  router.post('/events', async function slackEvents(context) {
    const body = await context.req.text();
    const check = verifySlackSignature({
      secret: options.signingSecret,
      timestamp: context.req.header('x-slack-request-timestamp'),
      signature: context.req.header('x-slack-signature'),
      body,
      now: channel.clock.now(),
    });
    if (!check.valid) {
      logger.warn({ reason: check.reason }, 'slack request refused: signature');
      return errorResponse(
        context,
        'unauthorized',
        'The X-Slack-Signature of this request is missing, stale or wrong.',
      );
    }

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return refuseForGood(context, 'The body is not JSON.');
    }
    const verification = urlVerificationSchema.safeParse(json);
    if (verification.success) return context.json({ challenge: verification.data.challenge });
    const envelope = eventCallbackSchema.safeParse(json);
    if (!envelope.success) {
      const other = otherEnvelopeSchema.safeParse(json);
      if (other.success && other.data.type !== 'event_callback') {
        // app_rate_limited and newer envelope types: acknowledged, nothing to store.
        logger.info({ type: other.data.type }, 'slack envelope acknowledged');
        return context.json({ ok: true });
      }
      logger.warn({ issues: envelope.error.issues.slice(0, 3) }, 'slack event unreadable');
      return refuseForGood(context, 'The event_callback body does not have the expected fields.');
    }

    const { event_id: eventId } = envelope.data;
    const attempt = Number(context.req.header('x-slack-retry-num') ?? 0) || 0;
    const retryReason = context.req.header('x-slack-retry-reason');
    const mapped = mapSlackEvent(envelope.data, options.bot());
    if (mapped.kind === 'ignored') {
      logger.debug({ eventId, reason: mapped.reason }, 'slack event ignored');
      return context.json({ ok: true });
    }

    try {
      // The intake's unique message id is what drops a repeat: it is written with the message,
      // so a crash between a separate claim and the store cannot lose the event. The event id
      // is recorded after, for the log.
      const result = await channel.receive(mapped.message);
      const accepted = result.status === 'queued' ? result.accepted : result.outcome;
      if (!(await channel.firstDelivery(eventId)) || accepted.duplicate)
        logger.debug({ eventId, attempt, retryReason }, 'slack event repeat dropped');
      return context.json({ ok: true, duplicate: accepted.duplicate });
    } catch (error) {
      if (error instanceof InvalidError) {
        // Longer than MAX_TEXT_CHARS, say: a retry brings the same text.
        logger.warn({ eventId, error: error.message }, 'slack message not stored');
        return context.json({ ok: true, stored: false });
      }
      // BusyError: 429 with Retry-After; anything else: 500. Slack retries both, and nothing
      // was stored, so the retry is taken.
      throw error;
    }
  });
}
