/**
 * All SQL of approved answers: proposing a candidate (or counting a repeat of one), the review
 * list, the state changes of a review, the approved answers of one entry (asked on every
 * automatic answer), counting a use, and finding where a ticket's reply came from. Functions take
 * the database (or an open transaction) first and return rows.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { ApprovedAnswersTable, Database } from '../db/tables.js';
import type { ApprovedAnswerStatus, CandidateOrigin } from './approved-answer-contract.js';

type Db = Kysely<Database> | Transaction<Database>;
export type ApprovedAnswerRow = Selectable<ApprovedAnswersTable>;

export interface CandidateInsert {
  entryId: string;
  language: string;
  question: string;
  answer: string;
  origin: CandidateOrigin;
  editRatio: number | null;
  sourceTicketId: string;
  sourceMessageId: string;
  agentId: string;
  redactions: unknown[];
  violations: unknown[];
  now: Date;
}

/**
 * Stores a candidate, or counts one more proposal of the same answer for the same entry while
 * that one waits or is approved: a draft accepted a hundred times is one line to review.
 */
export async function proposeCandidate(
  trx: Transaction<Database>,
  candidate: CandidateInsert,
): Promise<{ id: string; created: boolean }> {
  const same = await trx
    .updateTable('approved_answers')
    .set({ proposals: sql`proposals + 1`, updated_at: candidate.now })
    .where('entry_id', '=', candidate.entryId)
    .where('language', '=', candidate.language)
    .where('proposed_answer', '=', candidate.answer)
    .where('status', 'in', ['pending', 'approved'])
    .returning('id')
    .executeTakeFirst();
  if (same) return { id: same.id, created: false };
  const inserted = await trx
    .insertInto('approved_answers')
    .values({
      entry_id: candidate.entryId,
      language: candidate.language,
      question: candidate.question,
      answer: candidate.answer,
      proposed_answer: candidate.answer,
      origin: candidate.origin,
      edit_ratio: candidate.editRatio,
      source_ticket_id: candidate.sourceTicketId,
      source_message_id: candidate.sourceMessageId,
      agent_id: candidate.agentId,
      redactions: JSON.stringify(candidate.redactions),
      violations: JSON.stringify(candidate.violations),
      created_at: candidate.now,
      updated_at: candidate.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: inserted.id, created: true };
}

export async function findApprovedAnswer(
  db: Db,
  id: string,
): Promise<ApprovedAnswerRow | undefined> {
  return db.selectFrom('approved_answers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The review list: pending oldest first (a queue), approved and rejected newest first. */
export async function listApprovedAnswers(
  db: Db,
  filter: { status?: ApprovedAnswerStatus; entryId?: string; limit: number },
): Promise<ApprovedAnswerRow[]> {
  let query = db.selectFrom('approved_answers').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.entryId) query = query.where('entry_id', '=', filter.entryId);
  return query
    .orderBy('created_at', filter.status === 'pending' ? 'asc' : 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .execute();
}

/** A review's change, when the answer is still in one of `from`; undefined otherwise. */
export async function reviewApprovedAnswer(
  trx: Transaction<Database>,
  change: {
    id: string;
    from: readonly ApprovedAnswerStatus[];
    status?: ApprovedAnswerStatus;
    answer?: string;
    question?: string;
    by: string;
    note?: string | null;
    now: Date;
  },
): Promise<ApprovedAnswerRow | undefined> {
  return trx
    .updateTable('approved_answers')
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.answer !== undefined ? { answer: change.answer } : {}),
      ...(change.question !== undefined ? { question: change.question } : {}),
      ...(change.note !== undefined ? { review_note: change.note } : {}),
      reviewed_by: change.by,
      reviewed_at: change.now,
      updated_at: change.now,
    })
    .where('id', '=', change.id)
    .where('status', 'in', [...change.from])
    .returningAll()
    .executeTakeFirst();
}

/** The approved answers of one entry in one language (few; the newest review first). */
export async function approvedAnswersOf(
  db: Db,
  entryId: string,
  language: string,
): Promise<Pick<ApprovedAnswerRow, 'id' | 'question' | 'answer'>[]> {
  return db
    .selectFrom('approved_answers')
    .select(['id', 'question', 'answer'])
    .where('entry_id', '=', entryId)
    .where('language', '=', language)
    .where('status', '=', 'approved')
    .orderBy('reviewed_at', 'desc')
    .limit(100)
    .execute();
}

/** One automatic answer sent this approved answer (counted where the result is stored). */
export async function recordApprovedAnswerUse(db: Db, id: string, at: Date): Promise<void> {
  await db
    .updateTable('approved_answers')
    .set({ use_count: sql`use_count + 1`, last_used_at: at })
    .where('id', '=', id)
    .execute();
}

/**
 * The stored triage results of a ticket's customer messages, newest first, with each message's
 * text and the customer's name: where a reply on the ticket finds the question it answers and
 * the entry it was drafted from.
 */
export async function triageResultsOfTicket(db: Db, ticketId: string) {
  return db
    .selectFrom('triage_results')
    .innerJoin('messages', 'messages.id', 'triage_results.message_id')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select([
      'triage_results.message_id',
      'triage_results.result',
      'messages.text',
      'conversations.customer_name',
    ])
    .where('triage_results.ticket_id', '=', ticketId)
    .orderBy('triage_results.created_at', 'desc')
    .limit(20)
    .execute();
}

/** How many answers are in each review status (the /metrics gauge). */
export async function approvedAnswerCounts(
  db: Db,
): Promise<{ status: ApprovedAnswerStatus; count: number }[]> {
  const rows = await db
    .selectFrom('approved_answers')
    .select(['status', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy('status')
    .execute();
  return rows.map((found) => ({ status: found.status, count: Number(found.count) }));
}
