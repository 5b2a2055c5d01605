/**
 * A Postgres wire-protocol server for one PGlite instance that stays correct with many client
 * connections, so node-postgres pools (and several processes) can share one embedded database.
 *
 * PGlite is a single backend: one session, one transaction at a time. pglite-socket queues
 * single protocol messages, so two connections using the extended protocol (Parse, Bind,
 * Describe, Execute, Sync: every parameterised query of node-postgres) interleave and break
 * each other's unnamed statement and portal. Here the unit of scheduling is a batch:
 * - a simple Query (or FunctionCall) message alone, or extended-protocol messages up to and
 *   including Sync (or Flush), run back to back under `pglite.runExclusive`;
 * - while a connection's batch leaves the backend inside a transaction (ReadyForQuery status
 *   T or E) or mid extended protocol (ended with Flush, no Sync yet), only that connection may
 *   run batches; the others wait in arrival order. Transactions therefore never interleave:
 *   they run one after another, a valid serial schedule;
 * - a connection that closes while it holds the backend is rolled back, so it leaves no
 *   transaction or row lock behind.
 *
 * LISTEN/NOTIFY: the backend sends NotificationResponse in the output of whichever batch runs
 * when it fires. Each connection's LISTEN/UNLISTEN is tracked from the SQL text of its Query
 * and Parse messages, and each notification goes to the connections listening on its channel
 * (and is removed from the others' output). The backend listens to the union of channels.
 *
 * Session-level advisory locks (pg_advisory_lock) exclude other connections as on a real
 * server: see pglite-advisory-locks.ts. That is what a lock held on one connection while the
 * work runs on others needs (Kysely's migration lock, our start-up `exclusive`).
 *
 * Still one session underneath, so unlike a real server: other session state is shared by all
 * connections (SET, temporary tables, named prepared statements); pg_try_advisory_lock, and
 * pg_advisory_lock inside a transaction, do not wait for another connection's lock; a
 * connection idle inside a transaction stalls every other one; no COPY FROM STDIN.
 */
import { createServer, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import {
  LIST_ADVISORY_LOCKS,
  namesAdvisoryLocks,
  parseAdvisoryLocks,
  releaseStatement,
  takesAdvisoryLock,
} from './pglite-advisory-locks.js';
import {
  CANCEL_REQUEST,
  errorResponse,
  execute,
  firstValue,
  GSSENC_REQUEST,
  listenCommands,
  notificationChannel,
  query,
  SSL_REQUEST,
  sync,
} from './pglite-wire.js';

export interface PGliteServerOptions {
  pglite: PGlite;
  /** TCP host (default 127.0.0.1) and port (0 = any free port); ignored when `path` is set. */
  host?: string;
  port?: number;
  /** A Unix socket path to listen on instead of TCP. */
  path?: string;
  /** Connections above this are refused with "too many clients" (default: no limit). */
  maxConnections?: number;
  /** Told about failures that only cost one connection (default: ignored). */
  onError?: (error: unknown) => void;
}

export interface PGliteServer {
  /** The TCP host and the port actually bound, or the socket path. */
  host?: string;
  port?: number;
  path?: string;
  /** Closes every connection (rolling back an open transaction) and stops listening. */
  close(): Promise<void>;
}

// Messages after which the backend answers: the end of a batch.
const BATCH_ENDS = new Set(['Q', 'F', 'S', 'H']);

interface Connection {
  socket: Socket;
  /** Bytes received and not yet split into messages. */
  input: Buffer;
  started: boolean;
  /** Messages of the batch being received. */
  batch: Buffer[];
  /** ReadyForQuery status after this connection's last batch: Idle, in Transaction, Error. */
  status: string;
  /** Extended protocol flushed but not synced: its unnamed statement and portal are live. */
  unsynced: boolean;
  listening: Set<string>;
  closed: boolean;
}

interface Batch {
  connection: Connection;
  messages: Buffer[];
  takesAdvisoryLock?: boolean;
}

export async function startPGliteServer(options: PGliteServerOptions): Promise<PGliteServer> {
  const { pglite, onError = () => undefined } = options;
  await pglite.waitReady;
  const connections = new Set<Connection>();
  const queue: Batch[] = [];
  /** The connection that holds the backend (in a transaction or unsynced), if any. */
  let owner: Connection | undefined;
  /** Channels whose backend LISTEN may differ from the union of the connections' LISTENs. */
  const channelsToReconcile = new Set<string>();
  /** Session advisory locks ("mode classid objid objsubid") and the connection holding each. */
  const advisoryHolders = new Map<string, Connection>();
  /** Set after a batch that names advisory locks: re-read them once the backend is idle. */
  let advisoryChangedBy: Connection | undefined;
  const advisoryToRelease: string[] = [];
  let draining = false;
  let drained = Promise.resolve();

  const server = createServer((socket) => {
    const connection: Connection = {
      socket,
      input: Buffer.alloc(0),
      started: false,
      batch: [],
      status: 'I',
      unsynced: false,
      listening: new Set(),
      closed: false,
    };
    if (options.maxConnections !== undefined && connections.size >= options.maxConnections) {
      socket.on('error', () => undefined);
      socket.end(errorResponse('FATAL', '53300', 'sorry, too many clients already'));
      return;
    }
    connections.add(connection);
    socket.setNoDelay(true);
    socket.on('data', (data) => receive(connection, data));
    socket.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') onError(error);
      socket.destroy();
    });
    socket.on('close', () => drop(connection));
  });

  function receive(connection: Connection, data: Buffer): void {
    if (connection.closed) return;
    connection.input = connection.input.length ? Buffer.concat([connection.input, data]) : data;
    for (;;) {
      const input = connection.input;
      // Before startup, messages have no type byte: length, then a code.
      const header = connection.started ? 5 : 8;
      if (input.length < header) return;
      const length = connection.started ? 1 + input.readInt32BE(1) : input.readInt32BE(0);
      if (length < header || length > 1 << 30) {
        connection.socket.destroy(); // not the Postgres protocol
        return;
      }
      if (input.length < length) return;
      const message = input.subarray(0, length);
      connection.input = input.subarray(length);
      if (!connection.started) startup(connection, message);
      else typed(connection, message);
      if (connection.closed) return;
    }
  }

  function startup(connection: Connection, message: Buffer): void {
    const code = message.readInt32BE(4);
    // No TLS or GSS encryption: 'N' tells the client to go on in plain text.
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) connection.socket.write('N');
    // A single backend has nothing to cancel; Postgres closes a cancel connection unanswered.
    else if (code === CANCEL_REQUEST) connection.socket.end();
    else {
      // The startup message goes to PGlite like any batch: it answers with AuthenticationOk,
      // the parameters and ReadyForQuery, and it must not land inside another's transaction.
      connection.started = true;
      enqueue({ connection, messages: [message] });
    }
  }

  function typed(connection: Connection, message: Buffer): void {
    const type = String.fromCharCode(message[0]!);
    if (type === 'X') {
      connection.socket.end(); // Terminate: the close handler rolls back what is left open
      return;
    }
    connection.batch.push(message);
    if (!BATCH_ENDS.has(type)) return;
    const messages = connection.batch;
    connection.batch = [];
    enqueue({ connection, messages, takesAdvisoryLock: takesAdvisoryLock(messages) });
  }

  function enqueue(batch: Batch): void {
    queue.push(batch);
    void pump();
  }

  function drop(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    connections.delete(connection);
    for (let index = queue.length - 1; index >= 0; index -= 1)
      if (queue[index]!.connection === connection) queue.splice(index, 1);
    for (const channel of connection.listening) channelsToReconcile.add(channel);
    for (const [lock, holder] of advisoryHolders) {
      if (holder !== connection) continue;
      advisoryHolders.delete(lock);
      advisoryToRelease.push(lock);
    }
    void pump(); // the owner's rollback, or the next connection's turn
  }

  /** Runs batches one at a time until none may run; one loop at a time. */
  function pump(): Promise<void> {
    if (draining) return drained;
    draining = true;
    drained = drain().catch(onError);
    return drained;
  }

  async function drain(): Promise<void> {
    // `finally` runs in the same synchronous step as the check that found nothing to run
    // (no await between them), so a batch enqueued at any later moment starts a new drain.
    try {
      for (;;) {
        if (owner?.closed) {
          // Abort whatever the closed owner left: an Execute of a portal that does not
          // exist fails any unsynced extended batch, Sync ends it (rolling back its implicit
          // transaction), and ROLLBACK ends an explicit one.
          const abandoned = owner;
          owner = undefined;
          const abort = [execute('pglite_server_abort'), sync(), query('ROLLBACK')];
          await run(abandoned, abort).catch(onError);
          continue;
        }
        if (!owner && channelsToReconcile.size > 0) {
          await reconcileListening().catch(onError);
          continue;
        }
        if (!owner && (advisoryChangedBy || advisoryToRelease.length > 0)) {
          await updateAdvisoryLocks().catch(onError);
          continue;
        }
        const index = owner
          ? queue.findIndex((batch) => batch.connection === owner)
          : firstRunnable();
        if (index < 0) return;
        const [batch] = queue.splice(index, 1);
        if (!batch!.connection.closed) await runClientBatch(batch!);
      }
    } finally {
      draining = false;
    }
  }

  /** The first batch in arrival order that need not wait for another's advisory lock. */
  function firstRunnable(): number {
    const waiting = new Set<Connection>(); // a connection's batches keep their order
    return queue.findIndex(({ connection, takesAdvisoryLock }) => {
      if (waiting.has(connection)) return false;
      const held = [...advisoryHolders.values()].some((holder) => holder !== connection);
      if (takesAdvisoryLock && held) waiting.add(connection);
      return !waiting.has(connection);
    });
  }

  async function runClientBatch({ connection, messages }: Batch): Promise<void> {
    for (const message of messages) trackListening(connection, message);
    let status: string | undefined;
    try {
      ({ status } = await run(connection, messages));
    } catch (error) {
      // PGlite itself failed: this connection cannot go on; roll back on its behalf.
      onError(error);
      connection.status = 'E';
      connection.socket.destroy();
    }
    if (status) connection.status = status;
    const last = messages[messages.length - 1]!;
    connection.unsynced = last[0] === 'H'.charCodeAt(0);
    owner = connection.status !== 'I' || connection.unsynced ? connection : undefined;
    if (namesAdvisoryLocks(messages)) advisoryChangedBy = connection;
  }

  /**
   * Releases closed connections' advisory locks and re-reads the backend's, giving new ones to
   * the connection whose batch named them. Runs only with the backend idle, when pg_locks
   * lists session locks alone (a transaction's advisory locks went with it).
   */
  async function updateAdvisoryLocks(): Promise<void> {
    const releases = advisoryToRelease.splice(0).map(releaseStatement);
    if (releases.length > 0) await run(internalConnection, [query(releases.join('; '))]);
    const taker = advisoryChangedBy;
    advisoryChangedBy = undefined;
    const { kept } = await run(internalConnection, [query(LIST_ADVISORY_LOCKS)]);
    const held = new Set(parseAdvisoryLocks(firstValue(kept)));
    for (const lock of advisoryHolders.keys()) if (!held.has(lock)) advisoryHolders.delete(lock);
    for (const lock of held) {
      if (advisoryHolders.has(lock)) continue;
      if (taker && !taker.closed) advisoryHolders.set(lock, taker);
      else advisoryToRelease.push(lock); // its taker closed before we saw it: release it too
    }
  }

  /**
   * Runs the messages back to back with PGlite to ourselves, writes the output to the
   * connection (if still open) with each notification moved to its listeners, and returns the
   * last ReadyForQuery status, if any, and the messages kept.
   */
  async function run(
    connection: Connection,
    messages: Buffer[],
  ): Promise<{ status?: string; kept: Buffer[] }> {
    const chunks: Buffer[] = [];
    await pglite.runExclusive(async () => {
      for (const [index, message] of messages.entries()) {
        await pglite.execProtocolRawStream(message, {
          syncToFs: index === messages.length - 1,
          // A view into WebAssembly memory, reused by the next write: copy it.
          onRawData: (data) => chunks.push(Buffer.from(data)),
        });
      }
    });
    const output = Buffer.concat(chunks);
    const kept: Buffer[] = [];
    let status: string | undefined;
    for (let offset = 0; offset + 5 <= output.length;) {
      const end = offset + 1 + output.readInt32BE(offset + 1);
      const message = output.subarray(offset, end);
      const type = String.fromCharCode(output[offset]!);
      if (type === 'Z') status = String.fromCharCode(message[5]!);
      if (type === 'A') deliverNotification(connection, message, kept);
      else kept.push(message);
      offset = end;
    }
    if (!connection.closed && connection.socket.writable)
      connection.socket.write(Buffer.concat(kept));
    return { status, kept };
  }

  function deliverNotification(from: Connection, message: Buffer, kept: Buffer[]): void {
    const channel = notificationChannel(message);
    for (const connection of connections) {
      if (!connection.listening.has(channel)) continue;
      if (connection === from) kept.push(message);
      else if (connection.socket.writable) connection.socket.write(message);
    }
  }

  /** Follows LISTEN and UNLISTEN in the SQL of a Query or Parse message. */
  function trackListening(connection: Connection, message: Buffer): void {
    for (const { listen, channel } of listenCommands(message)) {
      if (channel === '*') {
        // UNLISTEN * clears the backend's channels for everyone else too: restore theirs.
        for (const other of connections)
          for (const listened of other.listening) channelsToReconcile.add(listened);
        connection.listening.clear();
      } else if (listen) connection.listening.add(channel);
      else {
        connection.listening.delete(channel);
        channelsToReconcile.add(channel); // others may still listen: LISTEN again if so
      }
    }
  }

  /** Makes the backend listen to exactly the channels some open connection listens to. */
  async function reconcileListening(): Promise<void> {
    const statements = [...channelsToReconcile].map((channel) => {
      const listened = [...connections].some((connection) => connection.listening.has(channel));
      return `${listened ? 'LISTEN' : 'UNLISTEN'} "${channel.replaceAll('"', '""')}"`;
    });
    channelsToReconcile.clear();
    await run(internalConnection, [query(statements.join('; '))]);
  }

  // Output of the server's own statements goes nowhere.
  const internalConnection = { closed: true, listening: new Set() } as unknown as Connection;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (options.path) server.listen(options.path, resolve);
    else server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  server.on('error', onError);
  const address = server.address();
  return {
    ...(typeof address === 'object' && address
      ? { host: options.host ?? '127.0.0.1', port: address.port }
      : { path: options.path }),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of [...connections]) {
        connection.socket.destroy();
        drop(connection);
      }
      await pump();
      await closed;
    },
  };
}
