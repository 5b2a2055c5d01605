/**
 * Replies to Telegram: each delivery is one or more `sendMessage` calls to the customer's chat,
 * the first answering the customer's message (`reply_parameters`, sent even when that message
 * was deleted). Telegram answers `{"ok":false,"error_code","description","parameters"}` on
 * failure: 429 (flood control, `parameters.retry_after`) and 5xx are worth a retry; 400 (a bad
 * request) and 403 (the person blocked the bot) are not.
 */
import { z } from 'zod';
import {
  type ChannelSender,
  DeliveryError,
  deliveryErrorForStatus,
  type OutboundDelivery,
} from '../channel.js';
import { splitText } from './split-text.js';
import { parseExternalMessageId } from './update.js';

const telegramResponseSchema = z.looseObject({
  ok: z.boolean(),
  error_code: z.number().int().optional(),
  description: z.string().optional(),
  parameters: z.looseObject({ retry_after: z.number().optional() }).optional(),
});

/** How many parts of a long reply went out: a retry of the delivery sends only the rest. */
const progressSchema = z.object({ sent: z.number().int().nonnegative() });

export interface TelegramSenderOptions {
  apiBaseUrl: string;
  botToken: string;
  /** Durable per-key state (the channel context's): the progress of a reply sent in parts. */
  state?: {
    read(key: string): Promise<unknown | undefined>;
    write(key: string, value: unknown): Promise<void>;
  };
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The chat a stored conversation id addresses; the bot only talks in private chats by id. */
function chatIdOf(conversationId: string): number {
  if (!/^-?\d+$/.test(conversationId))
    throw new DeliveryError(`Telegram conversation id ${conversationId} is not a chat id`, false);
  return Number(conversationId);
}

export function telegramSender(options: TelegramSenderOptions): ChannelSender {
  const doFetch = options.fetch ?? fetch;
  // The token is in the path: URLs are never put into errors or logs.
  const sendMessageUrl = `${options.apiBaseUrl}/bot${options.botToken}/sendMessage`;

  async function sendMessage(body: Record<string, unknown>): Promise<void> {
    let response: Response;
    try {
      response = await doFetch(sendMessageUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DeliveryError(`Telegram unreachable: ${(error as Error).message}`, true);
    }
    const text = await response.text().catch(() => '');
    let answer: z.infer<typeof telegramResponseSchema> | undefined;
    try {
      answer = telegramResponseSchema.parse(JSON.parse(text));
    } catch {
      answer = undefined;
    }
    if (response.ok && answer?.ok) return;
    const status = answer?.error_code ?? (response.ok ? 502 : response.status);
    const retryAfter = answer?.parameters?.retry_after;
    const detail = [
      answer?.description ?? (answer ? '' : 'not a Bot API answer'),
      retryAfter !== undefined ? `retry after ${retryAfter} s` : '',
    ]
      .filter(Boolean)
      .join('; ');
    throw deliveryErrorForStatus('Telegram sendMessage', status, detail);
  }

  return {
    name: 'telegram',
    async send(delivery: OutboundDelivery) {
      const chatId = chatIdOf(delivery.conversationId);
      const replyTo = delivery.inReplyTo ? parseExternalMessageId(delivery.inReplyTo) : undefined;
      const parts = splitText(delivery.text);
      if (parts.length === 0)
        throw new DeliveryError('Telegram cannot send an empty message', false);
      const progressKey = `delivery-progress:${delivery.deliveryId}`;
      // Only a reply in parts can have gone out partly; a one-part reply needs no bookkeeping.
      const resumed =
        parts.length > 1 && options.state
          ? progressSchema.safeParse(await options.state.read(progressKey))
          : undefined;
      let sent = resumed?.success ? resumed.data.sent : 0;
      try {
        for (; sent < parts.length; sent++) {
          await sendMessage({
            chat_id: chatId,
            text: parts[sent],
            // The first part answers the customer's message; the rest follow it.
            ...(sent === 0 && replyTo?.chatId === chatId
              ? {
                  reply_parameters: {
                    message_id: replyTo.messageId,
                    allow_sending_without_reply: true,
                  },
                }
              : {}),
          });
        }
      } catch (error) {
        if (sent > 0 && options.state) await options.state.write(progressKey, { sent });
        throw error;
      }
    },
  };
}
