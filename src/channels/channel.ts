/**
 * The Channel port: how a reply leaves the service. Each platform adapter (Telegram, Slack,
 * WeCom, Chatwoot, the widget, the generic webhook) sends the deliveries of its channel name;
 * a channel without an adapter keeps its replies in the database for the integration to read.
 * Deliveries are rows of the durable outbox (outbox.ts): retried with backoff, and every
 * attempt carries the same delivery id.
 */
import { z } from 'zod';
import { urgencyLevels } from '../triage/urgency-levels.js';

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

/**
 * A hand-off told to the platform's agents (a Chatwoot private note, labels and priority):
 * queued once per new ticket, only for channels whose adapter takes it.
 */
export const handoffDeliverySchema = z.object({
  deliveryId: z.string(),
  type: z.literal('conversation.handoff'),
  /** Our id of the customer message that opened the ticket. */
  messageId: z.string(),
  channel: z.string(),
  conversationId: z.string(),
  customerId: z.string(),
  inReplyTo: z.string().nullable(),
  ticketId: z.string(),
  category: z.string().nullable(),
  urgency: z.object({
    score: z.number(),
    level: z.enum(urgencyLevels),
  }),
  /** Why a person must answer (urgency and decision reasons, as on the ticket). */
  reasons: z.array(z.string()),
  /** The sendable draft, when triage wrote one. */
  draft: z.string().nullable(),
  firstResponseDueAt: z.string(),
  createdAt: z.string(),
});
export type HandoffDelivery = z.infer<typeof handoffDeliverySchema>;

export const channelDeliverySchema = z.discriminatedUnion('type', [
  outboundDeliverySchema,
  handoffDeliverySchema,
]);
export type ChannelDelivery = z.infer<typeof channelDeliverySchema>;

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
  /** Delivers a bot's or agent's reply; throws DeliveryError (retryable or not). */
  send(delivery: OutboundDelivery): Promise<void>;
  /** Tells the platform's agents about a hand-off; channels without it get no such rows. */
  handoff?(delivery: HandoffDelivery): Promise<void>;
}

/** Which adapter sends a channel's replies; undefined when the channel has none. */
export type ChannelDirectory = (channel: string) => ChannelSender | undefined;

/** Maps a platform's HTTP answer to a DeliveryError: 408, 429 and 5xx say "later". */
export function deliveryErrorForStatus(what: string, status: number, detail = ''): DeliveryError {
  const retryable = status >= 500 || status === 408 || status === 429;
  return new DeliveryError(`${what} answered ${status}${detail ? `: ${detail}` : ''}`, retryable);
}
