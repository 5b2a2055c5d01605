/**
 * Replies and hand-offs into Chatwoot. A reply is an outgoing message of the agent bot. A
 * hand-off is four calls: a private note for the agents, the labels, the priority, and the
 * status `open`, which takes the conversation out of the bot's `pending` state and into the
 * agents' lists. The outbox retries a failed hand-off as a whole, so the one call that is not
 * harmless to repeat, the note, is remembered per delivery id once it succeeded; the other three
 * set a value and may run again.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ChannelSender, HandoffDelivery, OutboundDelivery } from '../channel.js';
import type { ChannelContext } from '../channel-module.js';
import { type ChatwootApi, ChatwootApiError } from './api.js';
import { type ConversationRef, decodeConversationRef } from './conversation-ref.js';
import { chatwootPriority, handoffLabels, handoffNote } from './handoff-note.js';

const handoffProgressSchema = z.object({
  notePosted: z.literal(true),
  noteMessageId: z.string().nullable(),
});

/** Statuses by which a Chatwoot without bot access to labels (older versions) refuses the calls. */
const labelsRefused = new Set([401, 403, 404]);

export interface ChatwootSenderOptions {
  api: ChatwootApi;
  state: Pick<ChannelContext, 'readState' | 'writeState'>;
  logger: Logger;
}

export function chatwootSender(options: ChatwootSenderOptions): ChannelSender {
  const { api, state, logger } = options;

  /** Adds ours to the labels the conversation has: a POST replaces the whole list. */
  async function addLabels(ref: ConversationRef, wanted: string[]): Promise<void> {
    try {
      const current = await api.labels(ref);
      const kept = await api.setLabels(ref, [...new Set([...current, ...wanted])]);
      const dropped = kept ? wanted.filter((label) => !kept.includes(label)) : [];
      if (dropped.length) {
        logger.warn(
          { conversation: ref, dropped },
          'Chatwoot kept only labels defined in the account: create these under Settings → Labels',
        );
      }
    } catch (error) {
      // Labels only help agents sort; the note says the same. A Chatwoot that does not let bots
      // label must not stop the hand-off.
      if (error instanceof ChatwootApiError && error.status && labelsRefused.has(error.status)) {
        logger.warn(
          { conversation: ref, error: error.message },
          'Chatwoot refused the bot labelling the conversation; the hand-off goes on without labels',
        );
        return;
      }
      throw error;
    }
  }

  return {
    name: 'chatwoot',

    async send(delivery: OutboundDelivery) {
      const ref = decodeConversationRef(delivery.conversationId);
      await api.createMessage(ref, { content: delivery.text, private: false });
    },

    async handoff(delivery: HandoffDelivery) {
      const ref = decodeConversationRef(delivery.conversationId);
      const progressKey = `handoff:${delivery.deliveryId}`;
      const progress = handoffProgressSchema.safeParse(await state.readState(progressKey));
      if (!progress.success) {
        const noteMessageId = await api.createMessage(ref, {
          content: handoffNote(delivery),
          private: true,
        });
        await state.writeState(progressKey, {
          notePosted: true,
          noteMessageId: noteMessageId ?? null,
        });
      }
      await addLabels(ref, handoffLabels(delivery));
      await api.setPriority(ref, chatwootPriority(delivery.urgency.level));
      // Last: agents see the conversation once note, labels and priority are there.
      await api.setStatus(ref, 'open');
    },
  };
}
