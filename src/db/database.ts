/**
 * The Database port: Kysely over node-postgres, either against a real server
 * (DATABASE_URL) or against an embedded PGlite with pgvector in the data folder.
 * Both go through Kysely's PostgresDialect, so every query takes the same code path.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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
  /**
   * Runs `work` while holding a lock every instance on the database respects (start-up
   * ingestion: two instances syncing the knowledge-base folder at once would both insert).
   * A Postgres advisory lock on a connection of its own; an embedded database belongs to one
   * process (the data-folder lock), so there it just runs.
   */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  /** Folder for the embedded database; `memory://` keeps it in memory. */
  dataDir?: string;
  /** A PGlite data-folder snapshot to start from (tests use a migrated one). */
  loadDataDir?: Blob;
  poolSize?: number;
  /**
   * Run an embedded data folder's database on its own thread (default). Its WebAssembly
   * engine is half the work of a message; on the main thread it competes with HTTP and triage.
   */
  databaseThread?: boolean;
}

// Postgres returns bigint (int8) as a string; our bigint columns are ids and counts that fit.
pg.types.setTypeParser(20, (value) => Number(value));

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openServerDatabase(options.databaseUrl, options.poolSize ?? 10);
  const dataDir = options.dataDir ?? 'memory://';
  if ((options.databaseThread ?? true) && !dataDir.startsWith('memory://') && !options.loadDataDir)
    return openEmbeddedDatabaseThread(dataDir);
  return openEmbeddedDatabase(dataDir, options.loadDataDir);
}

function openServerDatabase(url: string, poolSize: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    driver: 'pg',
    location: url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
    notifications: serverNotifications(pool),
    exclusive: (name, work) => withAdvisoryLock(url, name, work),
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
    exclusive: (_name, work) => work(),
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

/**
 * Connections to the database thread. Its server (pglite-server.ts) runs one connection's
 * query or transaction at a time, so more connections do not make PGlite faster; they let
 * LISTEN connections (each listener keeps one) and queries share the database safely.
 */
const DATABASE_THREAD_POOL = 4;

async function openEmbeddedDatabaseThread(dataDir: string): Promise<DatabaseHandle> {
  const path = join(dataDir, 'pgdata');
  const lock = lockDataFolder(dataDir);
  // A private folder (0700) for the socket: the database thread asks for no password.
  const socketDir = mkdtempSync(join(tmpdir(), 'triage-db-'));
  let worker: Worker | undefined;
  try {
    mkdirSync(path, { recursive: true });
    worker = new Worker(new URL('./embedded-database-thread.mjs', import.meta.url), {
      workerData: {
        path,
        socketPath: join(socketDir, '.s.PGSQL.5432'),
        maxConnections: DATABASE_THREAD_POOL + 2,
      },
    });
    await new Promise<void>((resolve, reject) => {
      worker!.once('error', reject);
      worker!.once('exit', (code) => reject(new Error(`database thread exited with ${code}`)));
      worker!.once('message', (message: { ready: boolean; error?: string }) =>
        message.ready ? resolve() : reject(new Error(message.error)),
      );
    });
  } catch (error) {
    await worker?.terminate();
    rmSync(socketDir, { recursive: true, force: true });
    lock.release();
    throw error;
  }
  const thread = worker;
  // node-postgres reaches a Unix socket as host = its folder, port = the .s.PGSQL.<port> suffix.
  const pool = new pg.Pool({
    host: socketDir,
    port: 5432,
    user: 'postgres',
    database: 'postgres',
    max: DATABASE_THREAD_POOL,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    driver: 'pglite',
    location: path,
    notifications: serverNotifications(pool),
    exclusive: (_name, work) => work(),
    async close() {
      try {
        await db.destroy();
        const closed = new Promise<void>((resolve, reject) => {
          thread.once('message', (message: { closed: boolean; error?: string }) =>
            message.closed ? resolve() : reject(new Error(message.error)),
          );
        });
        thread.postMessage('close');
        await closed;
        await thread.terminate();
      } finally {
        rmSync(socketDir, { recursive: true, force: true });
        lock.release();
      }
    },
  };
}

/**
 * A session advisory lock on its own connection (not one of the pool's: `work` needs those, and
 * a pool of one would deadlock). The lock goes with the connection if this process dies.
 */
async function withAdvisoryLock<T>(url: string, name: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [name]);
    return await work();
  } finally {
    await client.end();
  }
}
