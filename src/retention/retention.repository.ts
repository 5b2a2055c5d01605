/**
 * All SQL of the retention job: finding the messages and tickets whose text is past the
 * retention period (rows still to do are in partial indexes, migration 0010), and writing the
 * placeholder over the text of every row that holds or repeats it. Batches are claimed with
 * SKIP LOCKED, so instances sharing a database split the work instead of waiting on each other.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { activeTicketStatuses } from '../tickets/ticket-contract.js';
import { REDACTED } from './redaction.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Triaged messages written before `cutoff` and not redacted yet, locked for this transaction.
 * Left alone: messages of a conversation with an active ticket (an agent is still reading
 * them) and messages whose delivery is still pending (the sender needs the text).
 */
export async function claimExpiredMessages(
  trx: Transaction<Database>,
  claim: { cutoff: Date; limit: number },
): Promise<string[]> {
  const rows = await trx
    .selectFrom('messages')
    .select('messages.id')
    .where('messages.redacted_at', 'is', null)
    .where('messages.created_at', '<', claim.cutoff)
    .where('messages.processing', '=', 'triaged')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('tickets')
            .select('tickets.id')
            .whereRef('tickets.conversation_id', '=', 'messages.conversation_id')
            .where('tickets.status', 'in', activeTicketStatuses),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('outbox')
            .select('outbox.id')
            .whereRef('outbox.message_id', '=', 'messages.id')
            .where('outbox.status', '=', 'pending'),
        ),
      ),
    )
    .orderBy('messages.created_at')
    .limit(claim.limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((row) => row.id);
}

export async function redactMessageTexts(db: Db, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('messages')
    .set({ text: REDACTED, redacted_at: now })
    .where('id', 'in', ids)
    .execute();
}

export async function triageResultsOfMessages(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('triage_results')
    .select(['id', 'result'])
    .where('message_id', 'in', messageIds)
    .execute();
}

export async function replaceTriageResult(db: Db, id: string, result: unknown): Promise<void> {
  await db
    .updateTable('triage_results')
    .set({ result: JSON.stringify(result) })
    .where('id', '=', id)
    .execute();
}

export async function outboxRowsOfMessages(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('outbox')
    .select(['id', 'payload', 'last_error'])
    .where('message_id', 'in', messageIds)
    .execute();
}

export async function replaceOutboxPayload(
  db: Db,
  id: string,
  row: { payload: unknown; lastError: string | null },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ payload: JSON.stringify(row.payload), last_error: row.lastError })
    .where('id', '=', id)
    .execute();
}

/** Audit entries about these subjects (messages or tickets). */
export async function auditEntriesAbout(db: Db, subjectType: string, subjectIds: string[]) {
  if (subjectIds.length === 0) return [];
  return db
    .selectFrom('audit_log')
    .select(['id', 'details'])
    .where('subject_type', '=', subjectType)
    .where('subject_id', 'in', subjectIds)
    .execute();
}

export async function replaceAuditDetails(
  db: Db,
  id: string,
  details: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('audit_log')
    .set({ details: JSON.stringify(details) })
    .where('id', '=', id)
    .execute();
}

/** Solved or closed tickets opened before `cutoff` whose text is not redacted yet, locked. */
export async function claimExpiredTickets(
  trx: Transaction<Database>,
  claim: { cutoff: Date; limit: number },
) {
  return trx
    .selectFrom('tickets')
    .select(['id', 'reasons'])
    .where('redacted_at', 'is', null)
    .where('created_at', '<', claim.cutoff)
    .where('status', 'not in', activeTicketStatuses)
    .orderBy('created_at')
    .limit(claim.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function redactTicket(
  db: Db,
  id: string,
  update: { reasons: string[]; now: Date },
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({
      draft: sql<string | null>`case when draft is null then null else ${REDACTED} end`,
      subject: sql<string | null>`case when subject is null then null else ${REDACTED} end`,
      reasons: JSON.stringify(update.reasons),
      redacted_at: update.now,
    })
    .where('id', '=', id)
    .execute();
}

/** The draft, the text sent and the agent's reason of every action on these tickets. */
export async function redactAgentActionTexts(db: Db, ticketIds: string[]): Promise<void> {
  if (ticketIds.length === 0) return;
  await db
    .updateTable('agent_actions')
    .set({
      draft: sql<string | null>`case when draft is null then null else ${REDACTED} end`,
      sent_text: sql<string | null>`case when sent_text is null then null else ${REDACTED} end`,
      reason: sql<string | null>`case when reason is null then null else ${REDACTED} end`,
    })
    .where('ticket_id', 'in', ticketIds)
    .execute();
}

/**
 * Forgets the customer's name on conversations quiet since `cutoff` without an active ticket;
 * returns how many. The customer id stays: repeat-contact counts and an erase need it.
 */
export async function forgetCustomerNames(
  db: Db,
  claim: { cutoff: Date; limit: number },
): Promise<number> {
  const result = await db
    .updateTable('conversations')
    .set({ customer_name: null })
    .where(
      'id',
      'in',
      db
        .selectFrom('conversations')
        .select('conversations.id')
        .where('conversations.customer_name', 'is not', null)
        .where('conversations.updated_at', '<', claim.cutoff)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('tickets')
                .select('tickets.id')
                .whereRef('tickets.conversation_id', '=', 'conversations.id')
                .where('tickets.status', 'in', activeTicketStatuses),
            ),
          ),
        )
        .limit(claim.limit),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
