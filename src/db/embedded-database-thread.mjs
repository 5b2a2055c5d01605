// The embedded database on its own thread: PGlite (PostgreSQL in WebAssembly) behind our
// wire-protocol server (pglite-server.ts) on a private Unix socket, so its work runs on a
// second core while the main thread serves HTTP and triages. Plain JavaScript: a worker
// thread does not inherit the tsx loader the main thread was started with (nor vitest's),
// so the TypeScript server is loaded through tsx's scoped import.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { tsImport } from 'tsx/esm/api';

const { path, socketPath, maxConnections } = workerData;
try {
  const { startPGliteServer } = await tsImport('./pglite-server.ts', import.meta.url);
  const pglite = await PGlite.create(path, { extensions: { vector } });
  const server = await startPGliteServer({ pglite, path: socketPath, maxConnections });
  parentPort.on('message', async (message) => {
    if (message !== 'close') return;
    try {
      await server.close();
      await pglite.close();
      parentPort.postMessage({ closed: true });
    } catch (error) {
      parentPort.postMessage({ closed: false, error: String(error?.stack ?? error) });
    }
  });
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, error: String(error?.stack ?? error) });
}
