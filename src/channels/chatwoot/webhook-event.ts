/**
 * What an agent bot's webhook tells us, read from the payload Chatwoot sends
 * (`Message#webhook_data` merged with `event`, see __fixtures__/README.md). Only the fields used
 * are checked, so additions on Chatwoot's side change nothing here. Each request maps to one
 * thing to do: a customer's message to triage, a person's reply to record (the bot then stays
 * silent in that conversation), a conversation to give to agents, or nothing.
 */
import { z } from 'zod';
import type { InboundMessage } from '../../conversations/message-contract.js';
import type { PlatformAgentReply } from '../../conversations/platform-reply.js';
import { type ConversationRef, encodeConversationRef } from './conversation-ref.js';

/** Chatwoot ids are integers; its documentation's samples also show them as strings. */
const chatwootId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .transform(String);

const messageTypes = ['incoming', 'outgoing', 'activity', 'template'] as const;
/** `webhook_data` names the type; `push_event_data` (and older payloads) give its number. */
const messageType = z.union([
  z.enum(messageTypes),
  z
    .number()
    .int()
    .min(0)
    .max(3)
    .transform((index) => messageTypes[index]!),
]);

const messageEventSchema = z.object({
  event: z.enum(['message_created', 'message_updated']),
  id: chatwootId,
  content: z.string().nullish(),
  message_type: messageType,
  /** Absent before Chatwoot put it in webhook_data (2021): such messages count as public. */
  private: z.boolean().nullish(),
  created_at: z.union([z.string(), z.number()]).nullish(),
  /** Contact (`contact`), agent (`user`), agent bot (`agent_bot`) or none (system messages). */
  sender: z
    .object({
      id: chatwootId.nullish(),
      name: z.string().nullish(),
      type: z.string().nullish(),
    })
    .nullish(),
  conversation: z.object({
    /** The display id, which the API addresses conversations by. */
    id: chatwootId,
    status: z.string().nullish(),
  }),
  account: z.object({ id: chatwootId }),
  attachments: z.array(z.unknown()).nullish(),
});

const anyEventSchema = z.object({ event: z.string() });

/**
 * `conversation_resolved` carries `Conversation#webhook_data`: the display id, and the account
 * (top-level `account_id` in newer versions, else on its messages).
 */
const resolvedEventSchema = z.object({
  event: z.literal('conversation_resolved'),
  id: chatwootId,
  account_id: chatwootId.nullish(),
  messages: z.array(z.object({ account_id: chatwootId.nullish() })).nullish(),
});

export type ChatwootEvent =
  | { kind: 'customer_message'; message: Omit<InboundMessage, 'channel'> }
  | { kind: 'agent_reply'; reply: Omit<PlatformAgentReply, 'channel'> }
  /** A customer's message the bot cannot read (a picture, a file) in a conversation the bot holds. */
  | { kind: 'needs_agent'; conversation: ConversationRef; reason: string }
  /** Chatwoot's agents resolved it: our ticket is solved and the bot answers again. */
  | { kind: 'resolved'; conversationId: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

/** Chatwoot's `created_at`: ISO 8601 or "2020-03-03 13:05:57 UTC" (webhook_data), or unix seconds. */
function sentAt(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function readChatwootEvent(body: unknown): ChatwootEvent {
  const named = anyEventSchema.safeParse(body);
  if (!named.success) return { kind: 'invalid', reason: 'the body has no "event" name' };
  if (named.data.event === 'conversation_resolved') {
    const resolved = resolvedEventSchema.safeParse(body);
    const accountId =
      resolved.data?.account_id ??
      resolved.data?.messages?.find((message) => message.account_id)?.account_id;
    if (!resolved.success || !accountId)
      return { kind: 'ignored', reason: 'conversation_resolved without its account' };
    return {
      kind: 'resolved',
      conversationId: encodeConversationRef({ accountId, conversationId: resolved.data.id }),
    };
  }
  // conversation_opened / _status_changed, webwidget_triggered, message_updated: nothing for
  // triage to do (see README, Chatwoot agent bot).
  if (named.data.event !== 'message_created')
    return { kind: 'ignored', reason: `event ${named.data.event}` };

  const parsed = messageEventSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return { kind: 'invalid', reason: `message_created payload: ${issues.join('; ')}` };
  }
  const message = parsed.data;
  const ref = { accountId: message.account.id, conversationId: message.conversation.id };
  const conversationId = encodeConversationRef(ref);
  const text = message.content?.trim() ?? '';
  const senderType = message.sender?.type ?? null;

  if (message.private) return { kind: 'ignored', reason: 'private note' };

  if (message.message_type === 'incoming') {
    if (senderType !== null && senderType !== 'contact')
      return { kind: 'ignored', reason: `incoming message from a ${senderType}` };
    if (!text) {
      // The bot holds a pending conversation until it hands it over: a message it cannot read
      // would wait there unseen, so the agents get it.
      return message.conversation.status === 'pending'
        ? { kind: 'needs_agent', conversation: ref, reason: 'a message without text' }
        : { kind: 'ignored', reason: 'incoming message without text' };
    }
    const contactId = message.sender?.id ?? null;
    const name = message.sender?.name?.trim();
    const at = sentAt(message.created_at);
    return {
      kind: 'customer_message',
      message: {
        externalMessageId: message.id,
        conversationId,
        // A contact per account; without one (never seen), the conversation stands in.
        customer: {
          id: contactId ? `${message.account.id}:${contactId}` : conversationId,
          ...(name ? { name: name.slice(0, 200) } : {}),
        },
        text,
        ...(at ? { sentAt: at } : {}),
      },
    };
  }

  if (message.message_type === 'outgoing') {
    // Our own replies come back as the agent bot's; automations and campaigns have no sender.
    if (senderType !== 'user')
      return { kind: 'ignored', reason: `outgoing message from ${senderType ?? 'no sender'}` };
    const agentId = message.sender?.id ?? 'unknown';
    return {
      kind: 'agent_reply',
      reply: {
        conversationId,
        externalMessageId: message.id,
        agentId: message.sender?.name?.trim() || `chatwoot-user-${agentId}`,
        text: text || '[attachment]',
      },
    };
  }

  return { kind: 'ignored', reason: `${message.message_type} message` };
}
