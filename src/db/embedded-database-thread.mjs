// The embedded database on its own thread: PGlite (PostgreSQL in WebAssembly) behind
// pglite-socket on a private Unix socket, so its work runs on a second core while the main
// thread serves HTTP and triages. Plain JavaScript: a worker thread does not inherit the tsx
// loader the main thread was started with.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { path, socketPath, maxConnections } = workerData;
try {
  const pglite = await PGlite.create(path, { extensions: { vector } });
  const server = new PGLiteSocketServer({ db: pglite, path: socketPath, maxConnections });
  await server.start();
  parentPort.on('message', async (message) => {
    if (message !== 'close') return;
    try {
      await server.stop();
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
