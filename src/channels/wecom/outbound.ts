/**
 * Sends replies to WeChat customers with `kf/send_msg`. The conversation id we stored names the
 * kf account and the customer. WeCom takes at most 2048 bytes of text per message, so a longer
 * reply goes out in parts, cut at a line or word break where one is near; the parts sent are
 * remembered per delivery, so a retry after a failed part does not repeat the earlier ones.
 */
import { z } from 'zod';
import { type ChannelSender, DeliveryError, type OutboundDelivery } from '../channel.js';
import type { ChannelContext } from '../channel-module.js';
import { parseKfConversationId } from './kf-messages.js';
import { type WecomApi, WecomApiError } from './wecom-api.js';

export const WECOM_TEXT_BYTES = 2048;

/** Splits text into parts of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitUtf8(text: string, maxBytes = WECOM_TEXT_BYTES): string[] {
  const parts: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest, 'utf8') > maxBytes) {
    let bytes = 0;
    let end = 0;
    for (const character of rest) {
      const size = Buffer.byteLength(character, 'utf8');
      if (bytes + size > maxBytes) break;
      bytes += size;
      end += character.length;
    }
    // Prefer a line break, then a space, in the second half of the part.
    const window = rest.slice(0, end);
    const lineBreak = window.lastIndexOf('\n');
    const space = Math.max(window.lastIndexOf(' '), window.lastIndexOf('。'));
    const cut = lineBreak > end / 2 ? lineBreak + 1 : space > end / 2 ? space + 1 : end;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

const progressSchema = z.object({ sent: z.number().int().nonnegative() });
const progressKey = (deliveryId: string) => `sent:${deliveryId}`;

export function wecomSender(
  api: WecomApi,
  context: Pick<ChannelContext, 'readState' | 'writeState'>,
): ChannelSender {
  return {
    name: 'wecom',
    async send(delivery: OutboundDelivery) {
      const address = parseKfConversationId(delivery.conversationId);
      if (!address)
        throw new DeliveryError(
          `wecom conversation id ${delivery.conversationId} names no kf account and customer`,
          false,
        );
      const parts = splitUtf8(delivery.text);
      const several = parts.length > 1;
      const done = several
        ? (progressSchema.safeParse(await context.readState(progressKey(delivery.deliveryId))).data
            ?.sent ?? 0)
        : 0;
      for (let index = done; index < parts.length; index++) {
        try {
          await api.post('/cgi-bin/kf/send_msg', {
            touser: address.externalUserId,
            open_kfid: address.openKfId,
            msgtype: 'text',
            text: { content: parts[index] },
          });
        } catch (error) {
          if (error instanceof WecomApiError)
            throw new DeliveryError(error.message, error.retryable);
          throw error;
        }
        if (several)
          await context.writeState(progressKey(delivery.deliveryId), { sent: index + 1 });
      }
    },
  };
}
