/**
 * All SQL of one customer's data: their conversations (by customer id, optionally on one
 * channel), everything hanging off them (messages, triage results, tickets, agent actions,
 * outbox rows, audit entries about any of those), rows of other tables that point at them, and
 * the deletes of an erase. Functions take the database (or an open transaction) first.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface CustomerSelector {
  customerId: string;
  /** Customer ids are the channel's own: without a channel every channel is searched. */
  channel?: string;
}

export async function customerConversations(db: Db, selector: CustomerSelector) {
  let query = db
    .selectFrom('conversations')
    .selectAll()
    .where('customer_id', '=', selector.customerId)
    .orderBy('created_at');
  if (selector.channel !== undefined) query = query.where('channel', '=', selector.channel);
  return query.execute();
}

export async function messagesOfConversations(db: Db, conversationIds: string[]) {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', 'in', conversationIds)
    .orderBy('created_at')
    .execute();
}

export async function triageResultsOfMessages(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('triage_results')
    .selectAll()
    .where('message_id', 'in', messageIds)
    .execute();
}

export async function ticketsOfConversations(db: Db, conversationIds: string[]) {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('conversation_id', 'in', conversationIds)
    .orderBy('created_at')
    .execute();
}

export async function agentActionsOfTickets(db: Db, ticketIds: string[]) {
  if (ticketIds.length === 0) return [];
  return db
    .selectFrom('agent_actions')
    .selectAll()
    .where('ticket_id', 'in', ticketIds)
    .orderBy('id')
    .execute();
}

export async function outboxRowsOfMessages(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('message_id', 'in', messageIds)
    .orderBy('created_at')
    .execute();
}

/** The subjects of the customer's audit entries, by type (the log's index is type then id). */
function auditSubjects(ids: CustomerIds, customerSubject?: string): [string, string[]][] {
  const subjects: [string, string[]][] = [
    ['conversation', ids.conversations],
    ['ticket', ids.tickets],
    ['message', ids.messages],
    ['customer', customerSubject ? [customerSubject] : []],
  ];
  return subjects.filter(([, list]) => list.length > 0);
}

/**
 * Audit entries about the customer's conversations, tickets and messages, and the entries of
 * earlier exports and erasures (their keyed-hash subject).
 */
export async function auditEntriesAbout(db: Db, ids: CustomerIds, customerSubject: string) {
  const subjects = auditSubjects(ids, customerSubject);
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where((eb) =>
      eb.or(
        subjects.map(([type, list]) =>
          eb.and([eb('subject_type', '=', type), eb('subject_id', 'in', list)]),
        ),
      ),
    )
    .orderBy('id')
    .execute();
}

/** Tables this file handles by name; rows of any other table are found by their columns. */
const knownTables = [
  'conversations',
  'messages',
  'triage_results',
  'tickets',
  'agent_actions',
  'outbox',
  'audit_log',
];

export interface RelatedColumn {
  table: string;
  column: string;
  /** What the column points at, by its name. */
  kind: 'conversation' | 'ticket' | 'message';
}

/**
 * Columns of other tables that point at a conversation, ticket or message (`conversation_id`,
 * `ticket_id`, `message_id`, `response_message_id`...): tables added later (surveys, approved
 * answers, alerts) are covered by an export and an erase without this file knowing them.
 */
export async function relatedColumns(db: Db): Promise<RelatedColumn[]> {
  // Ids are uuid (or text) columns; compared as they are, so each column's index serves.
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
     where table_schema = current_schema()
       and column_name ~ '(^|_)(conversation|ticket|message)_id$'
       and data_type in ('uuid', 'text', 'character varying')
     order by table_name, ordinal_position`.execute(db);
  return rows
    .filter((row) => !knownTables.includes(row.table_name))
    .map((row) => ({
      table: row.table_name,
      column: row.column_name,
      kind: row.column_name.endsWith('conversation_id')
        ? 'conversation'
        : row.column_name.endsWith('ticket_id')
          ? 'ticket'
          : 'message',
    }));
}

export interface CustomerIds {
  conversations: string[];
  tickets: string[];
  messages: string[];
}

function idsFor(column: RelatedColumn, ids: CustomerIds): string[] {
  if (column.kind === 'conversation') return ids.conversations;
  return column.kind === 'ticket' ? ids.tickets : ids.messages;
}

/** Rows of other tables that point at the customer's conversations, tickets or messages. */
export async function relatedRows(
  db: Db,
  columns: RelatedColumn[],
  ids: CustomerIds,
): Promise<Record<string, Record<string, unknown>[]>> {
  const found: Record<string, Record<string, unknown>[]> = {};
  for (const table of [...new Set(columns.map((column) => column.table))]) {
    const matches = columns
      .filter((column) => column.table === table && idsFor(column, ids).length > 0)
      .map((column) => sql`${sql.ref(column.column)}::text in (${sql.join(idsFor(column, ids))})`);
    if (matches.length === 0) continue;
    const { rows } = await sql<Record<string, unknown>>`
      select * from ${sql.table(table)} where ${sql.join(matches, sql` or `)}`.execute(db);
    if (rows.length) found[table] = rows;
  }
  return found;
}

/** Deletes the rows of other tables that point at the customer; how many, by table. */
async function deleteRelatedRows(
  trx: Transaction<Database>,
  columns: RelatedColumn[],
  ids: CustomerIds,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const table of [...new Set(columns.map((column) => column.table))]) {
    const matches = columns
      .filter((column) => column.table === table && idsFor(column, ids).length > 0)
      .map((column) => sql`${sql.ref(column.column)}::text in (${sql.join(idsFor(column, ids))})`);
    if (matches.length === 0) continue;
    const result =
      await sql`delete from ${sql.table(table)} where ${sql.join(matches, sql` or `)}`.execute(trx);
    const count = Number(result.numAffectedRows ?? 0);
    if (count > 0) deleted[table] = count;
  }
  return deleted;
}

export interface EraseCounts {
  conversations: number;
  messages: number;
  triageResults: number;
  tickets: number;
  agentActions: number;
  deliveries: number;
  auditEntries: number;
  /**
   * Rows of other tables that pointed at the customer's conversations, tickets or messages, by
   * table (satisfaction surveys, approved answers taken from their tickets, escalations...).
   */
  related: Record<string, number>;
}

/** Deletes every row of the customer, in an order the foreign keys accept. */
export async function deleteCustomerRows(
  trx: Transaction<Database>,
  ids: CustomerIds,
  columns: RelatedColumn[],
): Promise<EraseCounts> {
  const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);
  const subjects = [...ids.conversations, ...ids.tickets, ...ids.messages];
  const none = ['00000000-0000-0000-0000-000000000000'];
  const or = (list: string[]) => (list.length ? list : none);
  // First: a table added later may point at these rows without ON DELETE CASCADE.
  const related = await deleteRelatedRows(trx, columns, ids);
  const auditEntries = subjects.length
    ? count(
        await trx.deleteFrom('audit_log').where('subject_id', 'in', subjects).executeTakeFirst(),
      )
    : 0;
  const agentActions = count(
    await trx
      .deleteFrom('agent_actions')
      .where((eb) =>
        eb.or([
          eb('ticket_id', 'in', or(ids.tickets)),
          eb('sent_message_id', 'in', or(ids.messages)),
        ]),
      )
      .executeTakeFirst(),
  );
  // Before the tickets: a result names the ticket it opened.
  const triageResults = count(
    await trx
      .deleteFrom('triage_results')
      .where('message_id', 'in', or(ids.messages))
      .executeTakeFirst(),
  );
  const deliveries = count(
    await trx.deleteFrom('outbox').where('message_id', 'in', or(ids.messages)).executeTakeFirst(),
  );
  // Before the messages: a ticket names the message that opened it.
  const tickets = count(
    await trx
      .deleteFrom('tickets')
      .where('conversation_id', 'in', or(ids.conversations))
      .executeTakeFirst(),
  );
  // One statement: replies name the message they answer, all of them going at once.
  const messages = count(
    await trx
      .deleteFrom('messages')
      .where('conversation_id', 'in', or(ids.conversations))
      .executeTakeFirst(),
  );
  const conversations = count(
    await trx
      .deleteFrom('conversations')
      .where('id', 'in', or(ids.conversations))
      .executeTakeFirst(),
  );
  return {
    conversations,
    messages,
    triageResults,
    tickets,
    agentActions,
    deliveries,
    auditEntries,
    related,
  };
}
