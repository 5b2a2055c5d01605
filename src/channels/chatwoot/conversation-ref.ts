/**
 * How a Chatwoot conversation is named here: `<account id>:<conversation display id>`, the two
 * numbers its API needs to address a reply (`/api/v1/accounts/{account}/conversations/{id}`).
 * The inbound side stores it as the conversation id; the sender reads it back.
 */
import { DeliveryError } from '../channel.js';

export interface ConversationRef {
  accountId: string;
  conversationId: string;
}

export function encodeConversationRef(ref: ConversationRef): string {
  return `${ref.accountId}:${ref.conversationId}`;
}

/** Throws a permanent DeliveryError for an id this adapter did not write. */
export function decodeConversationRef(value: string): ConversationRef {
  const match = /^(\d+):(\d+)$/.exec(value);
  if (!match) {
    throw new DeliveryError(
      `"${value}" is not a Chatwoot conversation id (expected <account id>:<conversation id>)`,
      false,
    );
  }
  return { accountId: match[1]!, conversationId: match[2]! };
}
