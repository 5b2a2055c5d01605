import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PGliteServer, startPGliteServer } from './pglite-server.js';

// Several pools against one server, as several processes (or one process's pool) would be.
let pglite: PGlite;
let server: PGliteServer;
let url: string;
const pools: pg.Pool[] = [];
const errors: unknown[] = [];

function pool(): pg.Pool {
  const created = new pg.Pool({ connectionString: url, max: 4 });
  created.on('error', (error) => errors.push(error));
  pools.push(created);
  return created;
}

beforeAll(async () => {
  pglite = await PGlite.create('memory://');
  server = await startPGliteServer({ pglite, port: 0, onError: (error) => errors.push(error) });
  url = `postgres://postgres:postgres@${server.host}:${server.port}/postgres`;
  await pglite.exec(`
    create table counter (id int primary key, n int not null);
    create table item (id serial primary key, worker int not null, note text);
  `);
});

beforeEach(async () => {
  await pglite.exec(`truncate item; delete from counter; insert into counter values (1, 0);`);
  errors.length = 0;
});

afterAll(async () => {
  await Promise.all(pools.map((created) => created.end()));
  await server.close();
  await pglite.close();
});

/** Read, then write what was read plus one: loses updates if transactions interleave. */
async function incrementInTransaction(client: pg.PoolClient, worker: number): Promise<void> {
  await client.query('begin');
  try {
    await client.query('insert into item (worker, note) values ($1, $2)', [worker, `w${worker}`]);
    const { rows } = await client.query<{ n: number }>(
      'select n from counter where id = $1 for update',
      [1],
    );
    await new Promise((resolve) => setTimeout(resolve, 1)); // let the others try to get in
    await client.query('update counter set n = $1 where id = $2', [rows[0]!.n + 1, 1]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

describe('pglite-server', () => {
  it('runs concurrent transactions and parameterised queries from several pools exactly', async () => {
    const [first, second, third] = [pool(), pool(), pool()];
    const transactions = Array.from({ length: 24 }, async (_, worker) => {
      const client = await [first, second, third][worker % 3]!.connect();
      try {
        for (let round = 0; round < 3; round += 1) await incrementInTransaction(client, worker);
      } finally {
        client.release();
      }
    });
    // Plain parameterised queries (extended protocol, no transaction) in between.
    const reads = Array.from({ length: 60 }, async (_, index) => {
      const { rows } = await [first, second, third][index % 3]!.query<{ value: string }>(
        'select $1::text || $2::text as value',
        ['a', String(index)],
      );
      expect(rows[0]!.value).toBe(`a${index}`);
    });
    const results = await Promise.allSettled([...transactions, ...reads]);

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const { rows } = await first.query<{ n: number; items: string }>(
      'select n, (select count(*) from item) as items from counter where id = 1',
    );
    expect(rows[0]).toEqual({ n: 72, items: '72' });
    expect(errors).toEqual([]);
  });

  it('rolls back a connection killed mid-transaction and releases its locks', async () => {
    const killed = new pg.Client({ connectionString: url });
    killed.on('error', () => undefined);
    await killed.connect();
    await killed.query('begin');
    await killed.query('insert into item (worker) values ($1)', [99]);
    await killed.query('select n from counter where id = $1 for update', [1]);
    const other = pool();
    const waiting = other.query('update counter set n = n + 1 where id = $1', [1]);
    (
      killed as unknown as { connection: { stream: { destroy(): void } } }
    ).connection.stream.destroy();

    await waiting;
    const { rows } = await other.query<{ n: number; items: string }>(
      'select n, (select count(*) from item) as items from counter where id = 1',
    );
    expect(rows[0]).toEqual({ n: 1, items: '0' });
  });

  it('rolls back a connection killed after Flush without Sync', async () => {
    // What a cursor does: Parse, Bind, Execute, Flush; the implicit transaction stays open.
    const killed = new pg.Client({ connectionString: url });
    killed.on('error', () => undefined);
    await killed.connect();
    const connection = (killed as unknown as { connection: RawConnection }).connection;
    const completed = new Promise((resolve) => connection.once('commandComplete', resolve));
    connection.parse({ text: 'insert into item (worker) values (7)', types: [] });
    connection.bind({});
    connection.execute({});
    connection.flush();
    await completed;
    const other = pool();
    const waiting = other.query('select count(*)::int as items from item where worker = $1', [7]);
    connection.stream.destroy();

    expect((await waiting).rows).toEqual([{ items: 0 }]);
  });

  it('delivers a NOTIFY to the connection that listens, from another pool, and to no other', async () => {
    const listener = await pool().connect();
    const bystander = await pool().connect();
    const sender = pool();
    const received: string[] = [];
    const strays: string[] = [];
    listener.on('notification', (message) =>
      received.push(`${message.channel}:${message.payload}`),
    );
    bystander.on('notification', (message) => strays.push(`${message.channel}:${message.payload}`));
    await listener.query('listen "Work_Queue"; listen jobs');
    // Another connection's UNLISTEN must not stop this one's listening.
    await bystander.query('listen jobs');
    await bystander.query('unlisten jobs');

    await sender.query('select pg_notify($1, $2)', ['jobs', 'one']);
    await sender.query(`notify "Work_Queue", 'two'`);
    await sender.query('begin');
    await sender.query(`select pg_notify('jobs', 'three')`);
    await sender.query('commit');
    await listener.query('select 1'); // a round trip after which all three have arrived

    expect(received).toEqual(['jobs:one', 'Work_Queue:two', 'jobs:three']);
    expect(strays).toEqual([]);
    listener.release();
    bystander.release();
  });
});

describe('pglite-server advisory locks', () => {
  async function client(): Promise<pg.Client> {
    const created = new pg.Client({ connectionString: url });
    created.on('error', () => undefined);
    await created.connect();
    return created;
  }
  const lock = (holder: pg.Client, name: string) =>
    holder.query('select pg_advisory_lock(hashtext($1))', [name]);
  const settledWithin = (promise: Promise<unknown>, milliseconds: number) =>
    Promise.race([
      promise.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), milliseconds)),
    ]);

  it('makes a second session wait for the lock until the first session closes', async () => {
    const first = await client();
    const second = await client();
    await lock(first, 'start-up');
    const waiting = lock(second, 'start-up');

    // The holder's work on other connections goes on meanwhile (the `exclusive` pattern).
    const others = pool();
    await others.query('insert into item (worker) values ($1)', [1]);
    expect(await settledWithin(waiting, 300)).toBe(false);

    await first.end(); // a session's locks end with it
    expect(await settledWithin(waiting, 5_000)).toBe(true);
    const third = await client();
    const waitingAgain = lock(third, 'start-up');
    expect(await settledWithin(waitingAgain, 300)).toBe(false);
    await second.query('select pg_advisory_unlock(hashtext($1))', ['start-up']);
    expect(await settledWithin(waitingAgain, 5_000)).toBe(true);
    await Promise.all([second.end(), third.end()]);
  });

  it('lets the holder take its lock again, and a transaction-level lock pass', async () => {
    const first = await client();
    await lock(first, 'again');
    await lock(first, 'again');
    const other = pool();
    await other.query('begin');
    await other.query('select pg_advisory_xact_lock(42)');
    await other.query('commit');
    const second = await client();
    const waiting = lock(second, 'again');
    await first.query('select pg_advisory_unlock(hashtext($1))', ['again']);
    expect(await settledWithin(waiting, 300)).toBe(false); // still held once
    await first.query('select pg_advisory_unlock(hashtext($1))', ['again']);
    expect(await settledWithin(waiting, 5_000)).toBe(true);
    await Promise.all([first.end(), second.end()]);
  });
});

interface RawConnection {
  stream: { destroy(): void };
  once(event: string, listener: (...args: unknown[]) => void): void;
  parse(query: { text: string; types: unknown[] }): void;
  bind(config: object): void;
  execute(config: object): void;
  flush(): void;
}
