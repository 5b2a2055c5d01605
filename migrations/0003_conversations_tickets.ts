/**
 * Conversations in motion: message processing state (so a crash between storing and
 * triaging is recovered, and a duplicate delivery waits for the one triage), the durable
 * outbox of replies, ticket clocks and agent actions, users and API keys for access,
 * and settings that must be shared by every process (the session signing secret).
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('messages')
    // Inbound: received -> triaged. Outbound messages are born `triaged` (nothing to do).
    .addColumn('processing', 'text', (c) =>
      c
        .notNull()
        .defaultTo('triaged')
        .check(sql`processing in ('received', 'triaged')`),
    )
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('reply_to_message_id', 'uuid', (c) => c.references('messages.id'))
    .addColumn('author_id', 'text')
    .execute();
  await sql`create index messages_unprocessed_idx on messages (created_at) where processing = 'received'`.execute(
    db,
  );

  await db.schema
    .alterTable('tickets')
    .addColumn('first_responded_at', 'timestamptz')
    .addColumn('solved_at', 'timestamptz')
    .addColumn('last_customer_message_at', 'timestamptz')
    .addColumn('escalated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('language', 'text')
    .addColumn('subject', 'text')
    .execute();
  // At most one ticket open per conversation: follow-ups land on it instead of a new one.
  await sql`create unique index tickets_one_open_per_conversation on tickets (conversation_id) where status in ('open', 'pending_customer')`.execute(
    db,
  );

  // The ticket a hand-off opened or added to, so a repeat delivery answers with the same one.
  await db.schema
    .alterTable('triage_results')
    .addColumn('ticket_id', 'uuid', (c) => c.references('tickets.id'))
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('message_id', 'uuid', (c) =>
      c.notNull().unique().references('messages.id').onDelete('cascade'),
    )
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'delivered', 'failed', 'skipped')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending'`.execute(
    db,
  );

  await db.schema
    .createTable('agent_actions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket_id', 'uuid', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`action in ('accept', 'edit', 'reject', 'reassign', 'escalate', 'solve', 'close', 'reopen', 'pending')`,
        ),
    )
    .addColumn('draft', 'text')
    .addColumn('sent_text', 'text')
    .addColumn('edit_distance', 'integer')
    .addColumn('reason', 'text')
    .addColumn('corrected_category', 'text')
    .addColumn('sent_message_id', 'uuid', (c) => c.references('messages.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('agent_actions_ticket_idx')
    .on('agent_actions')
    .columns(['ticket_id', 'at'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('agent', 'admin')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('integration', 'agent', 'admin')`),
    )
    // SHA-256 of the key: keys are long random strings, so a slow hash adds nothing.
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('app_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['app_settings', 'api_keys', 'users', 'agent_actions', 'outbox'])
    await db.schema.dropTable(table).ifExists().execute();
  await db.schema.alterTable('triage_results').dropColumn('ticket_id').execute();
  await sql`drop index if exists tickets_one_open_per_conversation`.execute(db);
  await db.schema
    .alterTable('tickets')
    .dropColumn('first_responded_at')
    .dropColumn('solved_at')
    .dropColumn('last_customer_message_at')
    .dropColumn('escalated')
    .dropColumn('language')
    .dropColumn('subject')
    .execute();
  await db.schema
    .alterTable('messages')
    .dropColumn('processing')
    .dropColumn('claimed_at')
    .dropColumn('reply_to_message_id')
    .dropColumn('author_id')
    .execute();
}
