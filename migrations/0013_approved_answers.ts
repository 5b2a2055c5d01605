/**
 * Approved answers (issue 16): a reply an agent sent on a ticket (a draft accepted or edited, or
 * their own reply) becomes a candidate answer for the knowledge-base entry the ticket's triage
 * grounded its draft in; an admin approves, edits or rejects it; an approved one is sent instead
 * of the entry's text when the same question comes again. The question and the answer are kept
 * with personal data and order numbers replaced by placeholders. Frozen once shipped: change the
 * schema in a new migration.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('approved_answers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'approved', 'rejected')`),
    )
    // The customer's question the reply answered, redacted.
    .addColumn('question', 'text', (c) => c.notNull())
    // The text sent when approved (the reviewer may edit it); `proposed_answer` stays as the agent sent it.
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('proposed_answer', 'text', (c) => c.notNull())
    // accepted: the draft unchanged; edited: lightly; rewritten: heavily; reply: the agent's own.
    .addColumn('origin', 'text', (c) =>
      c.notNull().check(sql`origin in ('accepted', 'edited', 'rewritten', 'reply')`),
    )
    // Edit distance over the longer text's length, for edits of the draft.
    .addColumn('edit_ratio', 'real')
    .addColumn('source_ticket_id', 'uuid', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('source_message_id', 'uuid', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    // What was replaced in the proposal ([{kind, count}]) and what the output check found ([{code, evidence}]).
    .addColumn('redactions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('violations', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // The same answer proposed again for the entry while this one waits or is approved.
    .addColumn('proposals', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('review_note', 'text')
    .addColumn('use_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Asked on every automatic answer: the approved answers of one entry in one language.
  await sql`create index approved_answers_lookup_idx on approved_answers (entry_id, language) where status = 'approved'`.execute(
    db,
  );
  await db.schema
    .createIndex('approved_answers_status_idx')
    .on('approved_answers')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('approved_answers_ticket_idx')
    .on('approved_answers')
    .column('source_ticket_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('approved_answers').ifExists().execute();
}
