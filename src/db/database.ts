/**
 * The Database port: Kysely over node-postgres, either against a real server
 * (DATABASE_URL) or against an embedded PGlite with pgvector in the data folder.
 * Both go through Kysely's PostgresDialect, so every query takes the same code path.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataFolder } from './data-folder-lock.js';
import { embeddedNotifications, type Notifications, serverNotifications } from './notifications.js';
import type { Database } from './tables.js';

export { DataFolderInUseError } from './data-folder-lock.js';

export type DatabaseDriver = 'pglite' | 'pg';

export interface DatabaseHandle {
  db: Kysely<Database>;
  driver: DatabaseDriver;
  /** Where the data lives: the PGlite folder, or the server URL without its password. */
  location: string;
  /** LISTEN/NOTIFY: between instances on a server, within the process when embedded. */
  notifications: Notifications;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  /** Folder for the embedded database; `memory://` keeps it in memory. */
  dataDir?: string;
  /** A PGlite data-folder snapshot to start from (tests use a migrated one). */
  loadDataDir?: Blob;
  poolSize?: number;
}

// Postgres returns bigint (int8) as a string; our bigint columns are ids and counts that fit.
pg.types.setTypeParser(20, (value) => Number(value));

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openServerDatabase(options.databaseUrl, options.poolSize ?? 10);
  return openEmbeddedDatabase(options.dataDir ?? 'memory://', options.loadDataDir);
}

function openServerDatabase(url: string, poolSize: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    driver: 'pg',
    location: url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
    notifications: serverNotifications(pool),
    close: () => db.destroy(),
  };
}

async function openEmbeddedDatabase(dataDir: string, loadDataDir?: Blob): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://');
  const path = inMemory ? dataDir : join(dataDir, 'pgdata');
  // A second process on the same folder would corrupt it: refuse before PGlite opens anything.
  const lock = inMemory ? undefined : lockDataFolder(dataDir);
  let pglite: PGlite;
  try {
    if (!inMemory) mkdirSync(path, { recursive: true });
    pglite = await PGlite.create(path, { extensions: { vector }, loadDataDir });
  } catch (error) {
    lock?.release();
    throw error;
  }
  // One PGlite instance is one backend: a pool of one keeps transactions from interleaving.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    driver: 'pglite',
    location: path,
    notifications: embeddedNotifications(pglite),
    async close() {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
    // exposed for snapshots in tests
    ...({ pglite } as object),
  };
}
