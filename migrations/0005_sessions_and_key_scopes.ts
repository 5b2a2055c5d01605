/**
 * Access hardening: console sessions kept server-side (so signing out ends a session for
 * good), failed sign-in counts that survive a restart (throttling), and the channels an
 * integration key may act for.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    // SHA-256 of the random token in the cookie: a copy of the table signs nobody in.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('sign_in_failures')
    // `user:<name>` or `ip:<address>`.
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // JSON array of channel names; null: every channel (and keys of the other roles).
  await db.schema.alterTable('api_keys').addColumn('channels', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('channels').execute();
  await db.schema.dropTable('sign_in_failures').ifExists().execute();
  await db.schema.dropTable('sessions').ifExists().execute();
}
