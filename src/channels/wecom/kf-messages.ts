/**
 * What `kf/sync_msg` returns and what this service does with each entry: a customer's text
 * (origin 3) is a message to triage, a servicer's message in the WeCom client (origin 5) is an
 * agent reply (the bot goes silent in that conversation), everything else is only logged.
 * Schemas keep to the fields used, so WeCom adding fields breaks nothing.
 */
import { z } from 'zod';

export const kfMessageSchema = z.object({
  msgid: z.string().min(1),
  open_kfid: z.string().optional(),
  external_userid: z.string().optional(),
  send_time: z.number(),
  /** 3: the WeChat customer, 4: a system event, 5: a servicer in the WeCom client. */
  origin: z.number(),
  servicer_userid: z.string().optional(),
  msgtype: z.string(),
  text: z.object({ content: z.string() }).optional(),
  event: z.object({ event_type: z.string() }).loose().optional(),
});
export type KfMessage = z.infer<typeof kfMessageSchema>;

export const syncMsgResponseSchema = z.object({
  next_cursor: z.string().optional(),
  /** 1 while more is waiting; an empty msg_list does not mean the end (the docs say so). */
  has_more: z.union([z.number(), z.boolean()]).optional(),
  msg_list: z.array(z.unknown()).default([]),
});
export type SyncMsgResponse = z.infer<typeof syncMsgResponseSchema>;

/** The conversation of one customer with one kf account: the reply needs both ids. */
export function kfConversationId(openKfId: string, externalUserId: string): string {
  return `${openKfId}:${externalUserId}`;
}

export function parseKfConversationId(
  conversationId: string,
): { openKfId: string; externalUserId: string } | undefined {
  const at = conversationId.indexOf(':');
  if (at <= 0 || at === conversationId.length - 1) return undefined;
  return { openKfId: conversationId.slice(0, at), externalUserId: conversationId.slice(at + 1) };
}

export type KfAction =
  | {
      kind: 'customer_text';
      msgid: string;
      conversationId: string;
      customerId: string;
      text: string;
      sentAt: Date;
    }
  | {
      kind: 'servicer_reply';
      msgid: string;
      conversationId: string;
      servicerId: string;
      text: string;
    }
  | { kind: 'skip'; msgid: string; reason: string };

/** What to do with one sync_msg entry (unparseable entries are skipped, never fatal). */
export function kfAction(entry: unknown): KfAction {
  const parsed = kfMessageSchema.safeParse(entry);
  if (!parsed.success) {
    const msgid = (entry as { msgid?: unknown } | null)?.msgid;
    return {
      kind: 'skip',
      msgid: typeof msgid === 'string' ? msgid : '?',
      reason: 'unreadable entry',
    };
  }
  const message = parsed.data;
  const { msgid } = message;
  if (message.origin === 4 || message.msgtype === 'event')
    return { kind: 'skip', msgid, reason: `event ${message.event?.event_type ?? '?'}` };
  if (!message.open_kfid || !message.external_userid)
    return { kind: 'skip', msgid, reason: 'no open_kfid or external_userid' };
  const conversationId = kfConversationId(message.open_kfid, message.external_userid);
  const text = message.msgtype === 'text' ? (message.text?.content ?? '') : '';
  if (message.origin === 5) {
    // A servicer answering in the WeCom client took the conversation, whatever they sent.
    return {
      kind: 'servicer_reply',
      msgid,
      conversationId,
      servicerId: message.servicer_userid ?? 'wecom-servicer',
      text: text.trim() || `[${message.msgtype}]`,
    };
  }
  if (message.origin !== 3) return { kind: 'skip', msgid, reason: `origin ${message.origin}` };
  if (message.msgtype !== 'text')
    return { kind: 'skip', msgid, reason: `customer ${message.msgtype} message` };
  if (!text.trim()) return { kind: 'skip', msgid, reason: 'empty text' };
  return {
    kind: 'customer_text',
    msgid,
    conversationId,
    customerId: message.external_userid,
    text,
    sentAt: new Date(message.send_time * 1000),
  };
}
