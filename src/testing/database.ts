/**
 * Test databases from the shared snapshot, through either driver: `pglite` in process,
 * or `pg` (node-postgres over the wire protocol, against PGlite behind our wire-protocol
 * server, since Debian's Postgres has no pgvector). TEST_DB_DRIVER picks one; CI runs both.
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { startPGliteServer } from '../db/pglite-server.js';

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
  const server = await startPGliteServer({ pglite, host: '127.0.0.1', port: 0 });
  const url = `postgres://postgres:postgres@${server.host}:${server.port}/postgres`;
  // Several connections, as in production: the server runs each one's batches and
  // transactions whole, so a pool larger than one is safe (pglite-socket needed one).
  const handle = await openDatabase({ databaseUrl: url, poolSize: 4 });
  return {
    ...handle,
    async close() {
      await handle.close();
      await server.close();
      await pglite.close();
    },
  };
}
