/**
 * Telegram's Update as this channel reads it (Bot API: Update, Message, User, Chat), and the
 * one decision of the inbound side: which updates are a customer's question to store, and
 * which are acknowledged and left alone. Schemas hold only the fields used here, so a field
 * Telegram adds or drops elsewhere never breaks the webhook.
 */
import { z } from 'zod';
import type { InboundMessage } from '../../conversations/message-contract.js';

/** Anything Telegram posts has an update_id; the kind of update is whichever field is present. */
export const telegramUpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: z.unknown().optional(),
  edited_message: z.unknown().optional(),
});
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;

export const telegramUserSchema = z.looseObject({
  id: z.number().int(),
  // The 2015 samples of Telegram's webhook guide predate is_bot; today it is always sent.
  is_bot: z.boolean().default(false),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  language_code: z.string().optional(),
});

export const telegramChatSchema = z.looseObject({
  id: z.number().int(),
  /** private, group, supergroup or channel (absent only in the guide's 2015 samples). */
  type: z.string().optional(),
});

export const telegramMessageSchema = z.looseObject({
  message_id: z.number().int(),
  from: telegramUserSchema.optional(),
  /** Unix seconds. */
  date: z.number().int().nonnegative(),
  chat: telegramChatSchema,
  text: z.string().optional(),
  /** The words sent with a photo, video or document. */
  caption: z.string().optional(),
});
export type TelegramMessage = z.infer<typeof telegramMessageSchema>;

/** Why an update is acknowledged without storing anything (logged, and answered to Telegram). */
export type IgnoredReason =
  | 'not_a_message'
  | 'edited'
  | 'unreadable_message'
  | 'not_private_chat'
  | 'no_sender'
  | 'from_bot'
  | 'no_text'
  | 'command';

export type UpdateReading =
  | { kind: 'message'; message: Omit<InboundMessage, 'channel'> }
  | { kind: 'ignored'; reason: IgnoredReason };

/**
 * A text that is only a bot command: `/start` (also with a deep-link payload), which every
 * client sends when a person opens the bot, or a bare `/help`. Nothing for triage to read.
 */
const commandOnly = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?$|^\/start(@[A-Za-z0-9_]+)?\s+\S+$/;

/** The customer's conversation with the bot is its private chat: the chat id addresses replies. */
export const conversationIdOf = (chatId: number) => String(chatId);

/** message_id is unique only within a chat, so the stored id carries both. */
export const externalMessageIdOf = (chatId: number, messageId: number) => `${chatId}:${messageId}`;

/** The chat and message a stored external message id names, or undefined for another form. */
export function parseExternalMessageId(
  id: string,
): { chatId: number; messageId: number } | undefined {
  const match = /^(-?\d+):(\d+)$/.exec(id);
  if (!match) return undefined;
  return { chatId: Number(match[1]), messageId: Number(match[2]) };
}

function isPrivate(chat: TelegramMessage['chat']): boolean {
  // Bot API chat ids of groups, supergroups and channels are negative, of people positive.
  return chat.type === undefined ? chat.id > 0 : chat.type === 'private';
}

function customerName(user: NonNullable<TelegramMessage['from']>): string | undefined {
  const name = [user.first_name, user.last_name]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(' ');
  return name ? name.slice(0, 200) : undefined;
}

/** Cuts at maxChars without splitting a surrogate pair. */
function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const end = /[\uD800-\uDBFF]/.test(text[maxChars - 1]!) ? maxChars - 1 : maxChars;
  return text.slice(0, end);
}

/**
 * Reads an update: a new text message (or a captioned photo, video, document) a person sent
 * the bot in a private chat becomes an inbound message; everything else is ignored with a
 * reason. Edits are ignored: the original was triaged and may already be answered. A text
 * longer than `maxTextChars` is kept up to that length rather than dropped.
 */
export function readUpdate(update: TelegramUpdate, maxTextChars: number): UpdateReading {
  if (update.message === undefined)
    return { kind: 'ignored', reason: update.edited_message ? 'edited' : 'not_a_message' };
  const parsed = telegramMessageSchema.safeParse(update.message);
  if (!parsed.success) return { kind: 'ignored', reason: 'unreadable_message' };
  const message = parsed.data;
  if (!isPrivate(message.chat)) return { kind: 'ignored', reason: 'not_private_chat' };
  const sender = message.from;
  if (!sender) return { kind: 'ignored', reason: 'no_sender' };
  if (sender.is_bot) return { kind: 'ignored', reason: 'from_bot' };
  const text = (message.text ?? message.caption)?.trim();
  if (!text) return { kind: 'ignored', reason: 'no_text' };
  if (message.text !== undefined && commandOnly.test(text))
    return { kind: 'ignored', reason: 'command' };
  const name = customerName(sender);
  const locale = sender.language_code?.trim();
  return {
    kind: 'message',
    message: {
      externalMessageId: externalMessageIdOf(message.chat.id, message.message_id),
      conversationId: conversationIdOf(message.chat.id),
      customer: { id: String(sender.id), ...(name ? { name } : {}) },
      text: clip(text, maxTextChars),
      sentAt: new Date(message.date * 1000).toISOString(),
      ...(locale && locale.length >= 2 && locale.length <= 16 ? { locale } : {}),
    },
  };
}
