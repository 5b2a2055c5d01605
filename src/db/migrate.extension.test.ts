import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MigrationError, migrateToLatest } from './migrate.js';

describe('migrateToLatest without pgvector', () => {
  it('fails with one line that says what to do about the extension', async () => {
    // A Postgres without the vector extension, like a server where pgvector is not installed.
    const pglite = await PGlite.create('memory://');
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }),
    });
    try {
      const failure = await migrateToLatest(db).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MigrationError);
      expect((failure as Error).message).toMatch(
        /^Migration 0001_init failed: .*vector.*DATABASE_URL has no pgvector/,
      );
      expect((failure as Error).message).not.toContain('\n');
    } finally {
      await db.destroy();
      await pglite.close();
    }
  });
});
