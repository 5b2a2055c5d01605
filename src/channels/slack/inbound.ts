/**
 * Maps one Events API event to the message the intake stores, or says why it is not one.
 * Taken: a person's `message` (a DM with the bot, or a channel the bot is in) and `app_mention`.
 * Not taken: messages of bots (ours included, or every reply would be answered), edits,
 * deletions, joins and other subtypes, and messages with no text.
 */
import type { InboundMessage } from '../../conversations/message-contract.js';
import { slackConversationId, slackMessageId } from './addresses.js';
import { type EventCallback, messageEventSchema } from './events.js';
import { slackTextToPlain } from './slack-text.js';

/** Subtypes that are still a person writing (the rest are edits, joins, bots...). */
const personSubtypes = new Set(['thread_broadcast', 'file_share', 'me_message']);

/** Who our bot is on Slack (the bot token's user, from auth.test); any bot_id is ignored anyway. */
export interface SlackBotIdentity {
  userIds: ReadonlySet<string>;
}

export type MappedEvent =
  | { kind: 'message'; message: Omit<InboundMessage, 'channel'> }
  | { kind: 'ignored'; reason: string };

/** The bot user ids an envelope names: `authorizations` entries that are bots. */
export function botUserIdsOf(envelope: EventCallback): string[] {
  return (envelope.authorizations ?? []).flatMap((authorization) =>
    authorization.is_bot && authorization.user_id ? [authorization.user_id] : [],
  );
}

/** "1355517523.000005" -> the ISO time it stands for (milliseconds kept). */
export function slackTsToIso(ts: string): string {
  const [seconds = '0', fraction = ''] = ts.split('.');
  const milliseconds = Number(seconds) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
  return new Date(milliseconds).toISOString();
}

export function mapSlackEvent(envelope: EventCallback, bot: SlackBotIdentity): MappedEvent {
  const { type } = envelope.event;
  if (type !== 'message' && type !== 'app_mention')
    return { kind: 'ignored', reason: `event ${type}` };
  const parsed = messageEventSchema.safeParse(envelope.event);
  if (!parsed.success) return { kind: 'ignored', reason: `unreadable ${type} event` };
  const event = parsed.data;
  if (event.subtype && !personSubtypes.has(event.subtype))
    return { kind: 'ignored', reason: `subtype ${event.subtype}` };
  if (event.bot_id) return { kind: 'ignored', reason: 'bot message' };
  if (!event.user) return { kind: 'ignored', reason: 'no user' };
  const ownUserIds = new Set([...bot.userIds, ...botUserIdsOf(envelope)]);
  if (ownUserIds.has(event.user)) return { kind: 'ignored', reason: 'our own message' };
  const text = slackTextToPlain(event.text ?? '', ownUserIds);
  if (!text) return { kind: 'ignored', reason: 'no text' };
  return {
    kind: 'message',
    message: {
      externalMessageId: slackMessageId(event.channel, event.ts),
      conversationId: slackConversationId(event.channel, event.thread_ts ?? event.ts),
      customer: { id: `${envelope.team_id}:${event.user}` },
      text,
      sentAt: slackTsToIso(event.ts),
    },
  };
}
