/**
 * What a visitor may see of their conversation: their own messages and the bot's and agents'
 * replies as id, author, text and time. Nothing else of the conversation (agents' names,
 * triage, tickets) leaves through the widget.
 */
import { z } from 'zod';
import type { ConversationReader } from '../../conversations/conversation.reader.js';
import { NotFoundError } from '../../errors/domain-errors.js';

export const widgetMessageSchema = z.object({
  id: z.string(),
  author: z.enum(['customer', 'bot', 'agent']),
  text: z.string(),
  createdAt: z.string(),
});
export type WidgetMessage = z.infer<typeof widgetMessageSchema>;

/** The most messages a read returns: a chat panel shows the recent ones. */
export const transcriptLimit = 100;

/**
 * The widget's conversation id: the site key and the visitor id, so agents see which site a
 * conversation came from and one browser's conversations on two shops stay apart.
 */
export const widgetConversationId = (siteKey: string, visitorId: string) =>
  `${siteKey}:${visitorId}`;

/** The conversation's messages, oldest first; none when the visitor has not written yet. */
export async function readTranscript(
  conversations: ConversationReader,
  channel: string,
  conversationId: string,
): Promise<WidgetMessage[]> {
  let conversation;
  try {
    conversation = await conversations.getByExternalId(channel, conversationId);
  } catch (error) {
    if (error instanceof NotFoundError) return [];
    throw error;
  }
  return conversation.messages
    .filter((message) => message.text.trim() !== '')
    .slice(-transcriptLimit)
    .map((message) => ({
      id: message.id,
      author: message.author,
      text: message.text,
      createdAt: message.createdAt,
    }));
}

/** The messages after the one with id `after` (all when it is absent or not in the list). */
export function messagesAfter(
  messages: readonly WidgetMessage[],
  after: string | undefined,
): WidgetMessage[] {
  const index = after === undefined ? -1 : messages.findIndex((message) => message.id === after);
  return messages.slice(index + 1);
}
