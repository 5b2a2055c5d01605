/**
 * A variant of the intake's claim, measured beside the service's own (claimNextMessage) and
 * not used by the service: the same rule (the earliest waiting message of its conversation,
 * oldest first) with the head-of-conversation test as a scalar sub-select instead of NOT
 * EXISTS. Postgres does not turn a scalar sub-select into a join, so it stays a probe per
 * candidate, and the outer scan walks messages_unprocessed_idx in created_at order and stops
 * at the first head; with NOT EXISTS the planner may choose an anti join that compares every
 * waiting message with every other when its statistics say the queue is nearly empty.
 * Ties in created_at between conversations are taken in any order (within a conversation the
 * sub-select still orders by created_at, id).
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../src/db/tables.js';

export async function claimHeadOfConversation(
  db: Kysely<Database> | Transaction<Database>,
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
