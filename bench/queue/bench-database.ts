/**
 * The two databases the queue benchmark runs on, reached the way the service reaches them:
 * node-postgres under Kysely, over an embedded in-memory PGlite (createPgConfig, one
 * connection, as openEmbeddedDatabase does) or over a server URL (a pool). Creates only the
 * tables the queues need, with the columns and indexes of our migrations (no pgvector).
 */
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/db/tables.js';

export interface BenchDatabase {
  name: 'PGlite' | 'Postgres 15';
  pool: pg.Pool;
  db: Kysely<Database>;
  /** Set for a server: pg-boss opens its own pool with it. */
  url?: string;
  /** The WAL position now, to count the bytes a run writes; undefined where unsupported. */
  walPosition(): Promise<string | undefined>;
  walBytesSince(position: string | undefined): Promise<number | undefined>;
  close(): Promise<void>;
}

// Postgres returns bigint (int8) as a string; as in src/db/database.ts.
pg.types.setTypeParser(20, (value) => Number(value));

export async function openPglite(): Promise<BenchDatabase> {
  const pglite = await PGlite.create('memory://');
  // One PGlite instance is one backend: a pool of one, as the service has it.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  return withHelpers('PGlite', pool, undefined, async () => {
    await pglite.close();
  });
}

export async function openServer(url: string, poolSize: number): Promise<BenchDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  return withHelpers('Postgres 15', pool, url, async () => {});
}

function withHelpers(
  name: BenchDatabase['name'],
  pool: pg.Pool,
  url: string | undefined,
  closeEngine: () => Promise<void>,
): BenchDatabase {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    name,
    pool,
    db,
    url,
    async walPosition() {
      try {
        const result = await pool.query<{ lsn: string }>(
          'select pg_current_wal_lsn()::text as lsn',
        );
        return result.rows[0]?.lsn;
      } catch {
        return undefined;
      }
    },
    async walBytesSince(position) {
      if (position === undefined) return undefined;
      const result = await pool.query<{ bytes: string }>(
        'select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text as bytes',
        [position],
      );
      return Number(result.rows[0]?.bytes);
    },
    async close() {
      await db.destroy();
      await closeEngine();
    },
  };
}

/**
 * New `messages` and `outbox` tables, as migrations 0001, 0003 and 0008 leave them (no foreign
 * keys: the same for every queue). Autovacuum is off for them: on a production-sized table a
 * burst of a few thousand messages is far below autovacuum's 10 % threshold, so the planner
 * keeps the statistics it had; on the benchmark's small tables autovacuum would analyze
 * mid-run. `history` triaged messages are stored first and analyzed, which leaves the
 * statistics of a server whose queue was quiet when it last analyzed (none: a new table, as
 * an embedded database always has: PGlite runs no autovacuum).
 */
export async function resetQueueTables(
  database: BenchDatabase,
  options: { history?: number } = {},
): Promise<void> {
  await database.pool.query(`
    drop table if exists messages, outbox;
    create table messages (
      id uuid primary key default gen_random_uuid(),
      conversation_id uuid not null,
      channel text not null,
      external_message_id text,
      direction text not null check (direction in ('inbound', 'outbound')),
      author text not null check (author in ('customer', 'bot', 'agent')),
      author_id text,
      text text not null,
      sent_at timestamptz,
      created_at timestamptz not null default now(),
      processing text not null default 'triaged' check (processing in ('received', 'triaged')),
      claimed_at timestamptz,
      reply_to_message_id uuid references messages(id),
      locale text,
      constraint messages_channel_external_uq unique (channel, external_message_id)
    ) with (autovacuum_enabled = false);
    create index messages_conversation_idx on messages (conversation_id, created_at);
    create index messages_unprocessed_idx on messages (created_at) where processing = 'received';
    create index messages_conversation_unprocessed_idx on messages (conversation_id, created_at)
      where processing = 'received';
    create table outbox (
      id uuid primary key default gen_random_uuid(),
      message_id uuid not null unique,
      channel text not null,
      payload jsonb not null,
      status text not null default 'pending'
        check (status in ('pending', 'delivered', 'failed', 'skipped')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      locked_until timestamptz,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz not null default now()
    ) with (autovacuum_enabled = false);
    create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending';
  `);
  if (options.history) {
    await database.pool.query(
      `insert into messages (conversation_id, channel, external_message_id, direction, author,
         text, processing, created_at)
       select md5((g / 5)::text)::uuid, 'history', 'h-' || g, 'inbound', 'customer',
         'Where is my order?', 'triaged', now() - interval '1 day' + g * interval '1 second'
       from generate_series(1, $1::int) g`,
      [options.history],
    );
    await database.pool.query('analyze messages');
  }
}
