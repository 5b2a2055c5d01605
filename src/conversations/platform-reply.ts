/**
 * A person answered the customer on the channel's own platform (an agent in Chatwoot's inbox):
 * the reply is stored in the conversation, the conversation passes to the agent so the bot stays
 * silent in it (decide.ts), and an open ticket's first-response clock stops. Nothing is sent:
 * the customer already has the reply. A repeat delivery of the same platform message is dropped.
 */
import type { Kysely } from 'kysely';
import { appendAuditEntry } from '../audit/audit.repository.js';
import type { Database } from '../db/tables.js';
import { findOpenTicket, recordFirstResponse } from '../tickets/ticket.repository.js';
import { setConversationHolder } from './conversation.repository.js';
import { insertPlatformReply, lastInboundMessage } from './message.repository.js';

export interface PlatformAgentReply {
  channel: string;
  /** The platform's conversation id, as inbound messages gave it. */
  conversationId: string;
  /** The platform's id of the agent's message (repeats are recognised by it). */
  externalMessageId: string;
  /** Who answered, as the platform names them (an agent id or name). */
  agentId: string;
  text: string;
}

export type PlatformReplyOutcome = 'recorded' | 'duplicate' | 'unknown_conversation';

export async function recordPlatformAgentReply(
  db: Kysely<Database>,
  reply: PlatformAgentReply,
  now: Date,
): Promise<PlatformReplyOutcome> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx
      .selectFrom('conversations')
      .select('id')
      .where('channel', '=', reply.channel)
      .where('external_id', '=', reply.conversationId)
      .executeTakeFirst();
    // An agent answering a conversation no customer message of ours started: nothing to silence.
    if (!conversation) return 'unknown_conversation';
    const answered = await lastInboundMessage(trx, conversation.id);
    const inserted = await insertPlatformReply(trx, {
      conversationId: conversation.id,
      channel: reply.channel,
      author: 'agent',
      authorId: reply.agentId,
      text: reply.text,
      replyToMessageId: answered?.id ?? null,
      externalMessageId: reply.externalMessageId,
      now,
    });
    if (!inserted) return 'duplicate';
    await setConversationHolder(trx, conversation.id, 'agent', now);
    const ticket = await findOpenTicket(trx, conversation.id);
    if (ticket) await recordFirstResponse(trx, ticket.id, now);
    await appendAuditEntry(trx, {
      actorType: 'agent',
      actorId: reply.agentId,
      action: 'message.platform_reply',
      subjectType: 'message',
      subjectId: inserted.id,
      details: { channel: reply.channel, ticketId: ticket?.id ?? null },
      at: now,
    });
    return 'recorded';
  });
}

/** What a platform resolution needs of the ticket service (solving runs its transition). */
export interface TicketSolver {
  get(id: string): Promise<{ version: number }>;
  act(id: string, action: { action: 'solve'; version: number }, agentId: string): Promise<unknown>;
}

export type PlatformResolutionOutcome = 'solved' | 'handed_back' | 'unknown_conversation';

/**
 * The platform's agents resolved the conversation (Chatwoot's `conversation_resolved`): its
 * open ticket is solved as if in the console (audit, CSAT, the conversation back to the bot),
 * or, without a ticket, the conversation goes back to the bot, which answers the next message.
 */
export async function recordPlatformResolution(
  db: Kysely<Database>,
  tickets: TicketSolver,
  resolution: { channel: string; conversationId: string; agentId: string },
  now: Date,
): Promise<PlatformResolutionOutcome> {
  const conversation = await db
    .selectFrom('conversations')
    .select('id')
    .where('channel', '=', resolution.channel)
    .where('external_id', '=', resolution.conversationId)
    .executeTakeFirst();
  if (!conversation) return 'unknown_conversation';
  const open = await findOpenTicket(db, conversation.id);
  if (open) {
    const { version } = await tickets.get(open.id);
    await tickets.act(open.id, { action: 'solve', version }, resolution.agentId);
    return 'solved';
  }
  await setConversationHolder(db, conversation.id, 'bot', now);
  return 'handed_back';
}
