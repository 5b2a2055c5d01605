/**
 * All SQL of stored triage results: one per message (a unique index decides which worker
 * records it), linked to the ticket it opened or landed on. The stored JSON is returned
 * parsed with `triageResultSchema`, the schema that defines it, or as `unknown` where it
 * is only passed through.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { type TriageResult, triageResultSchema } from '../triage/triage.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Records the message's result; undefined when another worker recorded it first. */
export async function insertTriageResult(
  db: Db,
  messageId: string,
  result: TriageResult,
  now: Date,
): Promise<{ id: string } | undefined> {
  return db
    .insertInto('triage_results')
    .values({
      message_id: messageId,
      category: result.category,
      action: result.decision.action,
      urgency_score: result.urgency.score,
      provider: result.provider,
      result: JSON.stringify(result),
      created_at: now,
    })
    .onConflict((conflict) => conflict.column('message_id').doNothing())
    .returning('id')
    .executeTakeFirst();
}

export async function linkTriageResultToTicket(
  db: Db,
  triageResultId: string,
  ticketId: string,
): Promise<void> {
  await db
    .updateTable('triage_results')
    .set({ ticket_id: ticketId })
    .where('id', '=', triageResultId)
    .execute();
}

/** The stored result of a message as written (for showing it), or undefined. */
export async function storedTriageResult(db: Db, messageId: string): Promise<unknown> {
  const row = await db
    .selectFrom('triage_results')
    .select('result')
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return row?.result;
}

/** What a message's triage led to: the result and the ticket it went to, if any. */
export async function triageOutcome(db: Db, messageId: string) {
  const row = await db
    .selectFrom('triage_results')
    .innerJoin('messages', 'messages.id', 'triage_results.message_id')
    .leftJoin('tickets', 'tickets.id', 'triage_results.ticket_id')
    .select([
      'messages.conversation_id',
      'triage_results.action',
      'triage_results.result',
      'tickets.id as ticket_id',
      'tickets.status as ticket_status',
      'tickets.urgency_score',
      'tickets.urgency_level',
      'tickets.first_response_due_at',
      'tickets.resolution_due_at',
    ])
    .where('triage_results.message_id', '=', messageId)
    .executeTakeFirstOrThrow();
  return { ...row, result: triageResultSchema.parse(row.result) };
}
