/**
 * All SQL of conversations: the one per channel and external id (made on the first
 * message), and who holds it (`bot`, or `agent` once an agent has replied). Functions take
 * the database (or an open transaction) first and return rows.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The conversation of this channel and external id, made when new; returns its id. */
export async function upsertConversation(
  db: Db,
  conversation: {
    channel: string;
    externalId: string;
    customerId: string;
    customerName: string | null;
    now: Date;
  },
): Promise<{ id: string }> {
  return db
    .insertInto('conversations')
    .values({
      channel: conversation.channel,
      external_id: conversation.externalId,
      customer_id: conversation.customerId,
      customer_name: conversation.customerName,
      created_at: conversation.now,
      updated_at: conversation.now,
    })
    .onConflict((conflict) =>
      conflict.columns(['channel', 'external_id']).doUpdateSet({ updated_at: conversation.now }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function findConversation(db: Db, id: string) {
  return db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The conversation of a channel's own conversation id, if any message started it. */
export async function findConversationByExternalId(db: Db, channel: string, externalId: string) {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** `agent`: a person holds the conversation and the bot stays silent; `bot`: the bot answers again. */
export async function setConversationHolder(
  db: Db,
  id: string,
  status: 'bot' | 'agent',
  now: Date,
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ status, updated_at: now })
    .where('id', '=', id)
    .execute();
}
