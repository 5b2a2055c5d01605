/**
 * Customer satisfaction surveys (issue 16): when a ticket is solved the customer is asked for a
 * 1-5 rating through their channel; the survey row remembers which message asked, until when a
 * bare rating in that conversation answers it, and the answer. One row per solve (a ticket
 * solved again after a reopen asks again). Frozen once shipped: change the schema in a new
 * migration.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('csat_surveys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ticket_id', 'uuid', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('conversation_id', 'uuid', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    // The bot message that asked (stored and delivered through the outbox like any reply).
    .addColumn('message_id', 'uuid', (c) =>
      c.notNull().references('messages.id').onDelete('cascade'),
    )
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('rating', 'smallint', (c) => c.check(sql`rating between 1 and 5`))
    .addColumn('response_message_id', 'uuid', (c) =>
      c.references('messages.id').onDelete('set null'),
    )
    .addColumn('answered_at', 'timestamptz')
    .execute();
  // "Is a survey waiting in this conversation?" is asked for every customer message.
  await sql`create index csat_surveys_pending_idx on csat_surveys (conversation_id, sent_at) where answered_at is null`.execute(
    db,
  );
  await db.schema
    .createIndex('csat_surveys_sent_idx')
    .on('csat_surveys')
    .column('sent_at')
    .execute();
  // What a rating message answered, when its outcome is read (POST /v1/messages?wait=).
  await db.schema
    .createIndex('csat_surveys_response_idx')
    .on('csat_surveys')
    .column('response_message_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('csat_surveys').ifExists().execute();
}
