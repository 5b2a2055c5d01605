/**
 * Test databases from the shared snapshot, through either driver: `pglite` in process,
 * or `pg` (node-postgres over the wire protocol, against PGlite behind pglite-socket,
 * since Debian's Postgres has no pgvector). TEST_DB_DRIVER picks one; CI runs both.
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../db/database.js';

export const testDriver: 'pglite' | 'pg' = process.env.TEST_DB_DRIVER === 'pg' ? 'pg' : 'pglite';

export async function snapshotBlob(): Promise<Blob> {
  return new Blob([await readFile(inject('databaseSnapshot'))]);
}

/** A fresh database with the schema migrated and the shipped knowledge base ingested. */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const snapshot = await snapshotBlob();
  if (testDriver === 'pglite') return openDatabase({ dataDir: 'memory://', loadDataDir: snapshot });

  const pglite = await PGlite.create('memory://', {
    extensions: { vector },
    loadDataDir: snapshot,
  });
  const server = new PGLiteSocketServer({
    db: pglite,
    port: 0,
    host: '127.0.0.1',
    maxConnections: 1,
  });
  await server.start();
  const url = `postgres://postgres:postgres@${server.getServerConn()}/postgres`;
  const handle = await openDatabase({ databaseUrl: url, poolSize: 1 });
  return {
    ...handle,
    async close() {
      await handle.close();
      await server.stop();
      await pglite.close();
    },
  };
}
