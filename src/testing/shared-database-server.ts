/**
 * One PGlite data folder served over the Postgres wire protocol in a process of its own, so
 * several `triage serve` processes can share it through DATABASE_URL (Debian's Postgres has
 * no pgvector). Run by shared-database.ts, or by hand:
 *   npx tsx src/testing/shared-database-server.ts <data-dir> [port]
 * Prints one JSON line, {"url": "postgres://..."}, once it accepts connections; SIGTERM or
 * SIGINT rolls back open transactions and closes the folder.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { lockDataFolder } from '../db/data-folder-lock.js';
import { startPGliteServer } from '../db/pglite-server.js';

const [dataDirArgument, portArgument = '0'] = process.argv.slice(2);
if (!dataDirArgument) {
  console.error('usage: shared-database-server.ts <data-dir> [port]');
  process.exit(2);
}
const dataDir = resolve(dataDirArgument);
// The folder layout of the embedded database (<data-dir>/pgdata) and its lock: a folder
// that `triage serve` used embedded can be shared, and never by two processes at once.
const lock = lockDataFolder(dataDir, 'shared-database-server');
const path = join(dataDir, 'pgdata');
mkdirSync(path, { recursive: true });
const pglite = await PGlite.create(path, { extensions: { vector } });
const server = await startPGliteServer({
  pglite,
  host: '127.0.0.1',
  port: Number(portArgument),
  onError: (error) => console.error('shared database connection failed:', error),
});
console.log(
  JSON.stringify({ url: `postgres://postgres:postgres@${server.host}:${server.port}/postgres` }),
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    await server.close();
    await pglite.close();
  } finally {
    lock.release();
  }
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
