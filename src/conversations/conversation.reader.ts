/** Reads one conversation with its messages and their delivery state. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { ApiError } from '../http/errors.js';

export function createConversationReader(db: Kysely<Database>) {
  return {
    async get(id: string) {
      const conversation = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!conversation) throw new ApiError('not_found', `No conversation ${id}.`);
      const messages = await db
        .selectFrom('messages')
        .leftJoin('outbox', 'outbox.message_id', 'messages.id')
        .select(['messages.id', 'messages.direction', 'messages.author', 'messages.author_id', 'messages.text', 'messages.created_at', 'outbox.status as delivery'])
        .where('messages.conversation_id', '=', id)
        .orderBy('messages.created_at')
        .orderBy('messages.direction')
        .execute();
      return {
        id: conversation.id,
        channel: conversation.channel,
        externalId: conversation.external_id,
        customer: { id: conversation.customer_id, name: conversation.customer_name },
        status: conversation.status,
        messages: messages.map((message) => ({
          id: message.id,
          direction: message.direction,
          author: message.author,
          authorId: message.author_id,
          text: message.text,
          createdAt: new Date(message.created_at).toISOString(),
          delivery: message.delivery ?? null,
        })),
      };
    },
  };
}
export type ConversationReader = ReturnType<typeof createConversationReader>;
