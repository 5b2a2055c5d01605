/**
 * All SQL of messages: storing inbound (unique per channel and external id) and outbound
 * ones, the processing claim that lets one worker triage a message, and the reads of a
 * conversation's messages. Functions take the database (or an open transaction) first and
 * return rows.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface InboundMessageInsert {
  conversationId: string;
  channel: string;
  externalMessageId: string;
  customerId: string;
  text: string;
  sentAt: string | null;
  /** The channel's locale hint, for the background triage. */
  locale: string | null;
  now: Date;
}

/**
 * Stores a customer message, waiting for a worker (unclaimed); undefined when the channel
 * delivered it before.
 */
export async function insertInboundMessage(
  db: Db,
  message: InboundMessageInsert,
): Promise<{ id: string } | undefined> {
  return db
    .insertInto('messages')
    .values({
      conversation_id: message.conversationId,
      channel: message.channel,
      external_message_id: message.externalMessageId,
      direction: 'inbound',
      author: 'customer',
      author_id: message.customerId,
      text: message.text,
      sent_at: message.sentAt,
      locale: message.locale,
      processing: 'received',
      claimed_at: null,
      created_at: message.now,
    })
    .onConflict((conflict) => conflict.columns(['channel', 'external_message_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export interface OutboundMessageInsert {
  conversationId: string;
  channel: string;
  author: 'bot' | 'agent';
  authorId: string;
  text: string;
  replyToMessageId: string | null;
  now: Date;
  /** The platform's id, for a reply written on the platform itself (a Chatwoot agent's). */
  externalMessageId?: string | null;
}

export async function insertOutboundMessage(
  db: Db,
  message: OutboundMessageInsert,
): Promise<{ id: string }> {
  return db
    .insertInto('messages')
    .values({
      conversation_id: message.conversationId,
      channel: message.channel,
      direction: 'outbound',
      author: message.author,
      author_id: message.authorId,
      text: message.text,
      reply_to_message_id: message.replyToMessageId,
      created_at: message.now,
      external_message_id: message.externalMessageId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Stores a reply written on the platform; undefined when that platform message is already here. */
export async function insertPlatformReply(
  db: Db,
  message: OutboundMessageInsert & { externalMessageId: string },
): Promise<{ id: string } | undefined> {
  return db
    .insertInto('messages')
    .values({
      conversation_id: message.conversationId,
      channel: message.channel,
      direction: 'outbound',
      author: message.author,
      author_id: message.authorId,
      text: message.text,
      reply_to_message_id: message.replyToMessageId,
      created_at: message.now,
      external_message_id: message.externalMessageId,
    })
    .onConflict((conflict) => conflict.columns(['channel', 'external_message_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export async function findMessageByExternalId(db: Db, channel: string, externalMessageId: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'conversation_id'])
    .where('channel', '=', channel)
    .where('external_message_id', '=', externalMessageId)
    .executeTakeFirstOrThrow();
}

/** A stored customer message with what triage and the reply need of its conversation. */
export async function messageForTriage(db: Db, messageId: string) {
  return db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select([
      'messages.id',
      'messages.text',
      'messages.channel',
      'messages.created_at',
      'messages.external_message_id',
      'conversations.id as conversation_id',
      'conversations.external_id as conversation_external_id',
      'conversations.customer_id',
      'conversations.status as conversation_status',
    ])
    .where('messages.id', '=', messageId)
    .executeTakeFirstOrThrow();
}

export async function messageProcessing(db: Db, messageId: string) {
  const row = await db
    .selectFrom('messages')
    .select('processing')
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
  return row.processing;
}

/**
 * Claims the next message a worker may triage, oldest first: unclaimed or claimed before
 * `staleBefore` (its worker died), and the earliest waiting message of its conversation, so a
 * conversation is triaged in the order it was written even when several workers or instances
 * share the queue. `skip locked` lets concurrent claimers pass each other's candidate.
 * The head-of-conversation test is a scalar sub-select, not NOT EXISTS: with NOT EXISTS a
 * Postgres server whose statistics were taken on a quiet queue may pick an anti join that
 * compares every waiting message with every other (0.5-1.2 s per claim at a 2,000-message
 * backlog, bench/queue/compare.ts); a sub-select stays one index probe per candidate while the
 * outer scan walks messages_unprocessed_idx in arrival order and stops at the first head.
 */
export async function claimNextMessage(
  db: Db,
  claim: { now: Date; staleBefore: Date },
): Promise<{ id: string; locale: string | null } | undefined> {
  const result = await sql<{ id: string; locale: string | null }>`
    update messages set claimed_at = ${claim.now}
    where id = (
      select candidate.id from messages candidate
      where candidate.processing = 'received'
        and (candidate.claimed_at is null or candidate.claimed_at < ${claim.staleBefore})
        and candidate.id = (
          select head.id from messages head
          where head.conversation_id = candidate.conversation_id
            and head.processing = 'received'
          order by head.created_at, head.id
          limit 1
        )
      order by candidate.created_at
      limit 1
      for update skip locked
    ) and processing = 'received'
    returning id, locale`.execute(db);
  return result.rows[0];
}

/** Forgets every claim on untriaged messages: only when no other process can hold one. */
export async function releaseAllClaims(db: Db): Promise<number> {
  const rows = await db
    .updateTable('messages')
    .set({ claimed_at: null })
    .where('processing', '=', 'received')
    .where('claimed_at', 'is not', null)
    .returning('id')
    .execute();
  return rows.length;
}

/** Customer messages stored and not yet triaged, and when the oldest of them arrived. */
export async function unprocessedBacklog(db: Db): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
    .where('processing', '=', 'received')
    .executeTakeFirstOrThrow();
  return {
    count: Number(row.count),
    oldest: row.oldest === null ? null : new Date(row.oldest as string | Date),
  };
}

export async function markTriaged(db: Db, messageId: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ processing: 'triaged' })
    .where('id', '=', messageId)
    .execute();
}

/** The bot's message answering this customer message (an answer or a hand-off acknowledgement). */
export async function botReplyTo(db: Db, messageId: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'text'])
    .where('reply_to_message_id', '=', messageId)
    .where('author', '=', 'bot')
    .executeTakeFirst();
}

/** The customer's latest message in the conversation (an agent's reply answers it). */
export async function lastInboundMessage(db: Db, conversationId: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'external_message_id'])
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'inbound')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every message of a conversation with its delivery state, in order. */
export async function conversationMessages(db: Db, conversationId: string) {
  return db
    .selectFrom('messages')
    .leftJoin('outbox', 'outbox.message_id', 'messages.id')
    .select([
      'messages.id',
      'messages.direction',
      'messages.author',
      'messages.author_id',
      'messages.text',
      'messages.created_at',
      'outbox.status as delivery',
    ])
    .where('messages.conversation_id', '=', conversationId)
    .orderBy('messages.created_at')
    .orderBy('messages.direction')
    .execute();
}

/** Non-empty turns before one message within a window, newest first. */
export async function turnsBefore(
  db: Db,
  conversationId: string,
  before: { id: string; createdAt: Date; since: Date; limit: number },
) {
  return db
    .selectFrom('messages')
    .select(['author', 'text'])
    .where('conversation_id', '=', conversationId)
    .where('id', '!=', before.id)
    .where('created_at', '<=', before.createdAt)
    .where('created_at', '>=', before.since)
    .where('text', '!=', '')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(before.limit)
    .execute();
}
