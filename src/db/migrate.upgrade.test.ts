import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createMigrator, migrateToLatest } from './migrate.js';

// Migration 0003 shipped without the `reply` agent action and was later edited to allow it;
// 0006 now carries that change, so databases of either history end with the same schema.
const beforeReplyMigration = '0005_sessions_and_key_scopes';

let open: { db: Kysely<any>; pglite: PGlite } | undefined;
afterEach(async () => {
  await open?.db.destroy();
  await open?.pglite.close();
  open = undefined;
});

async function emptyDatabase(): Promise<Kysely<any>> {
  const pglite = await PGlite.create('memory://', { extensions: { vector } });
  const db = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }),
  });
  open = { db, pglite };
  // Foreign keys are triggers, which the replica role skips: an action row needs no ticket here,
  // while check constraints still apply.
  await sql`set session_replication_role = replica`.execute(db);
  return db;
}

async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const result = await createMigrator(db).migrateTo(name);
  if (result.error) throw result.error;
}

async function recordAction(db: Kysely<any>, action: string): Promise<'stored' | 'refused'> {
  try {
    await sql`insert into agent_actions (ticket_id, agent_id, action) values (gen_random_uuid(), 'alice', ${action})`.execute(
      db,
    );
    return 'stored';
  } catch (error) {
    if (/agent_actions_action_check/.test(String(error))) return 'refused';
    throw error;
  }
}

async function actionChecks(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ conname: string }>`
    select conname from pg_constraint where conrelid = 'agent_actions'::regclass and contype = 'c'`.execute(
    db,
  );
  return rows.map((row) => row.conname);
}

describe('agent action migrations', () => {
  it('a new database accepts reply actions and refuses unknown ones', async () => {
    const db = await emptyDatabase();
    await migrateToLatest(db);
    expect(await recordAction(db, 'reply')).toBe('stored');
    expect(await recordAction(db, 'accept')).toBe('stored');
    expect(await recordAction(db, 'shout')).toBe('refused');
    expect(await actionChecks(db)).toEqual(['agent_actions_action_check']);
  });

  it('0003 is the shipped one (no reply) and 0006 upgrades such a database', async () => {
    const db = await emptyDatabase();
    await migrateTo(db, beforeReplyMigration);
    expect(await recordAction(db, 'reply')).toBe('refused');
    await recordAction(db, 'edit');
    await migrateToLatest(db);
    expect(await recordAction(db, 'reply')).toBe('stored');
    expect(await recordAction(db, 'shout')).toBe('refused');
    expect(await actionChecks(db)).toEqual(['agent_actions_action_check']);
    const { rows } = await sql<{
      count: number;
    }>`select count(*)::int as count from agent_actions`.execute(db);
    expect(rows[0]?.count).toBe(2);
  });

  it('0006 also upgrades a database that ran the edited 0003 (reply already allowed)', async () => {
    const db = await emptyDatabase();
    await migrateTo(db, beforeReplyMigration);
    // What the edited 0003 created: the same column check, with reply.
    await sql`alter table agent_actions drop constraint agent_actions_action_check`.execute(db);
    await sql`alter table agent_actions add constraint agent_actions_action_check
      check (action in ('accept', 'edit', 'reject', 'reply', 'reassign', 'escalate', 'solve', 'close', 'reopen', 'pending'))`.execute(
      db,
    );
    expect(await recordAction(db, 'reply')).toBe('stored');
    await migrateToLatest(db);
    expect(await recordAction(db, 'reply')).toBe('stored');
    expect(await recordAction(db, 'shout')).toBe('refused');
    expect(await actionChecks(db)).toEqual(['agent_actions_action_check']);
  });
});
