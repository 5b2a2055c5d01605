/**
 * Reads one conversation with its messages and their delivery state, optionally only
 * within some channels and with personal data redacted (for channel integrations).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { NotFoundError } from '../errors/domain-errors.js';
import { findConversation, findConversationByExternalId } from './conversation.repository.js';
import { conversationMessages } from './message.repository.js';
import { redactPersonalData } from '../triage/pii.js';

export interface ReadOptions {
  /** Only conversations of these channels exist for the reader; undefined: every channel. */
  channels?: readonly string[];
  /** Replace phones, ID numbers, addresses... in texts, and the customer's name, with placeholders. */
  redact?: boolean;
}

export function createConversationReader(db: Kysely<Database>) {
  const reader = {
    /** A channel's conversation by the channel's own id (the widget reads its visitor's). */
    async getByExternalId(channel: string, externalId: string, options: ReadOptions = {}) {
      const conversation = await findConversationByExternalId(db, channel, externalId);
      if (!conversation) throw new NotFoundError(`No conversation ${externalId} in ${channel}.`);
      return reader.get(conversation.id, options);
    },
    async get(id: string, options: ReadOptions = {}) {
      const conversation = await findConversation(db, id);
      // Another channel's conversation is answered like a missing one: its existence is not the reader's business.
      if (!conversation || (options.channels && !options.channels.includes(conversation.channel))) {
        throw new NotFoundError(`No conversation ${id}.`);
      }
      const shown = (text: string) => (options.redact ? redactPersonalData(text).text : text);
      const messages = await conversationMessages(db, id);
      return {
        id: conversation.id,
        channel: conversation.channel,
        externalId: conversation.external_id,
        customer: {
          id: conversation.customer_id,
          name:
            options.redact && conversation.customer_name ? '[NAME]' : conversation.customer_name,
        },
        status: conversation.status,
        messages: messages.map((message) => ({
          id: message.id,
          direction: message.direction,
          author: message.author,
          authorId: message.author_id,
          text: shown(message.text),
          createdAt: new Date(message.created_at).toISOString(),
          delivery: message.delivery ?? null,
        })),
      };
    },
  };
  return reader;
}
export type ConversationReader = ReturnType<typeof createConversationReader>;
