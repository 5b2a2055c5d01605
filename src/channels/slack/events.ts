/**
 * The Events API payloads this channel reads, as zod schemas of only the fields it uses (Slack
 * adds fields freely; unknown ones are dropped). Shapes follow Slack's reference pages for
 * url_verification, event_callback, message.im / message.channels and app_mention, and
 * @slack/types (bolt-js): see __fixtures__/README.md.
 */
import { z } from 'zod';

const slackId = z.string().min(1).max(64);
/** A message timestamp: seconds and microseconds, "1355517523.000005"; unique per channel. */
const messageTs = z.string().regex(/^\d{1,12}\.\d{1,9}$/, 'a Slack ts such as 1355517523.000005');

export const urlVerificationSchema = z.object({
  type: z.literal('url_verification'),
  challenge: z.string().min(1).max(500),
});

/** An installation the event is visible to; with a bot token, `user_id` is our bot user. */
const authorizationSchema = z.object({
  team_id: z.string().nullish(),
  user_id: z.string().nullish(),
  is_bot: z.boolean().optional(),
});

export const eventCallbackSchema = z.object({
  type: z.literal('event_callback'),
  team_id: slackId,
  event_id: z.string().min(1).max(200),
  event_time: z.number().optional(),
  authorizations: z.array(authorizationSchema).optional(),
  /** Any event: `type` decides which schema below reads it. */
  event: z.looseObject({ type: z.string() }),
});
export type EventCallback = z.infer<typeof eventCallbackSchema>;

/** The other envelopes (app_rate_limited, future types) are acknowledged and not read. */
export const otherEnvelopeSchema = z.looseObject({ type: z.string() });

/**
 * A `message` (message.im, message.channels, ...) or `app_mention` event. Both carry the same
 * message fields; `subtype`, `bot_id` and `hidden` mark the ones that are not a person writing.
 */
export const messageEventSchema = z.object({
  type: z.enum(['message', 'app_mention']),
  subtype: z.string().optional(),
  hidden: z.boolean().optional(),
  channel: slackId,
  channel_type: z.string().optional(),
  user: slackId.optional(),
  bot_id: z.string().nullish(),
  text: z.string().optional(),
  ts: messageTs,
  thread_ts: messageTs.optional(),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const authTestResponseSchema = z.object({
  ok: z.boolean(),
  user_id: z.string().optional(),
  bot_id: z.string().optional(),
  error: z.string().optional(),
});

/** What every Web API method answers: `ok`, and on failure an error code (HTTP 200 mostly). */
export const webApiResponseSchema = z.object({
  ok: z.boolean(),
  error: z.string().optional(),
});
