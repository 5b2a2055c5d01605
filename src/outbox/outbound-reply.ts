/**
 * A reply leaving the service, the bot's or an agent's: stored as an outbound message and
 * queued in the outbox, in the caller's transaction, so both happen or neither does.
 */
import type { Transaction } from 'kysely';
import type { ChannelDirectory, OutboundDelivery } from '../channels/channel.js';
import { insertOutboundMessage } from '../conversations/message.repository.js';
import type { Database } from '../db/tables.js';
import { enqueueDelivery } from './outbox.js';

export interface OutboundReply {
  conversation: { id: string; channel: string; externalId: string; customerId: string };
  /** The customer message answered: our id and the channel's. */
  inReplyTo: { id: string; externalId: string | null } | null;
  author: OutboundDelivery['author'];
  authorId: string;
  text: string;
}

export async function storeOutboundReply(
  trx: Transaction<Database>,
  reply: OutboundReply,
  options: { channels: ChannelDirectory; now: Date },
): Promise<string> {
  const { conversation, now } = { ...reply, now: options.now };
  const message = await insertOutboundMessage(trx, {
    conversationId: conversation.id,
    channel: conversation.channel,
    author: reply.author,
    authorId: reply.authorId,
    text: reply.text,
    replyToMessageId: reply.inReplyTo?.id ?? null,
    now,
  });
  await enqueueDelivery(
    trx,
    {
      type: 'message.outbound',
      messageId: message.id,
      channel: conversation.channel,
      conversationId: conversation.externalId,
      customerId: conversation.customerId,
      inReplyTo: reply.inReplyTo?.externalId ?? null,
      author: reply.author,
      text: reply.text,
      createdAt: now.toISOString(),
    },
    options,
  );
  return message.id;
}
