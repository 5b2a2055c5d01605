/**
 * The Channel port: how a reply leaves the service. Adapters (the generic webhook first)
 * are chosen per channel name; a channel without an adapter keeps its replies in the
 * database for the integration to read.
 */
import { z } from 'zod';

export const outboundDeliverySchema = z.object({
  /** The outbox row: the same id on every retry, so a receiver can drop repeats. */
  deliveryId: z.string(),
  type: z.literal('message.outbound'),
  messageId: z.string(),
  channel: z.string(),
  /** The channel's own conversation id, as it was given on the inbound message. */
  conversationId: z.string(),
  customerId: z.string(),
  /** The channel's id of the customer message this answers, when there is one. */
  inReplyTo: z.string().nullable(),
  author: z.enum(['bot', 'agent']),
  text: z.string(),
  createdAt: z.string(),
});
export type OutboundDelivery = z.infer<typeof outboundDeliverySchema>;

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    /** False when a retry cannot help (the receiver refused the request itself). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface ChannelSender {
  readonly name: string;
  send(delivery: OutboundDelivery): Promise<void>;
}

/** Which adapter sends a channel's replies; undefined when the channel has none. */
export type ChannelDirectory = (channel: string) => ChannelSender | undefined;
