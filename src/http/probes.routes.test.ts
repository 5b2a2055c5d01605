/**
 * `/livez` answers while the process serves, whatever the database does; `/readyz` answers
 * 503 with a reason while start-up is unfinished, once a stop began, and when the database
 * does not answer correctly or in time.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { readinessDatabaseTimeoutMs } from './probes.routes.js';
import { createServiceLifecycle } from '../service-lifecycle.js';
import { bearer, startTestService, testApiKeysEnv, type TestService } from '../testing/service.js';

let service: TestService;
let databaseClosed = false;
beforeAll(async () => {
  service = await startTestService(testApiKeysEnv);
}, 120_000);
afterAll(async () => {
  if (databaseClosed) await service?.outbox.stop();
  else await service?.close();
});

async function probe(path: '/livez' | '/readyz', headers: Record<string, string> = {}) {
  const response = await service.app.request(path, { headers });
  return {
    status: response.status,
    body: (await response.json()) as { status: string; reason?: string; message?: string },
  };
}

describe('GET /livez and GET /readyz', () => {
  it('answer 200 to anonymous callers on a started service', async () => {
    expect(await probe('/livez')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await probe('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('/readyz: 503 database when the database answers wrongly; /livez stays 200', async () => {
    await sql`update knowledge_term_totals set chunks = chunks + 3`.execute(service.database.db);
    try {
      const ready = await probe('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', reason: 'database' });
      // The anonymous probe is not told the database's own error text.
      expect(ready.body.message).not.toMatch(/statistics/);
      expect((await probe('/livez')).status).toBe(200);
    } finally {
      await sql`update knowledge_term_totals set chunks = chunks - 3`.execute(service.database.db);
    }
    expect((await probe('/readyz')).status).toBe(200);
  });

  it('/livez does not wait on a database that does not answer; /readyz gives up after its timeout', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // A transaction that holds an exclusive lock on a table every database check reads.
    const transaction = service.database.db.transaction().execute(async (trx) => {
      await sql`lock table knowledge_chunks in access exclusive mode`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    try {
      const started = performance.now();
      // With a key: sign-in would look it up in the database, so the probe must come before it.
      expect(await probe('/livez', bearer('admin'))).toEqual({
        status: 200,
        body: { status: 'ok' },
      });
      expect(performance.now() - started).toBeLessThan(readinessDatabaseTimeoutMs / 2);

      const readyStarted = performance.now();
      const ready = await probe('/readyz');
      const waited = performance.now() - readyStarted;
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', reason: 'database' });
      expect(waited).toBeGreaterThanOrEqual(readinessDatabaseTimeoutMs - 50);
      expect(waited).toBeLessThan(readinessDatabaseTimeoutMs + 1_500);
    } finally {
      release();
      await transaction;
    }
    expect((await probe('/readyz')).status).toBe(200);
  });

  it('/readyz: 503 starting until start-up finished', async () => {
    const lifecycle = createServiceLifecycle();
    const app = createApp({ ...service, lifecycle });
    const starting = await app.request('/readyz');
    expect(starting.status).toBe(503);
    expect(await starting.json()).toMatchObject({ status: 'unavailable', reason: 'starting' });
    expect((await app.request('/livez')).status).toBe(200);
    lifecycle.markReady();
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('/readyz: 503 stopping once shutdown starts, for good; /livez 200 until the end', async () => {
    service.lifecycle.markStopping();
    const stopping = await probe('/readyz');
    expect(stopping.status).toBe(503);
    expect(stopping.body).toMatchObject({ status: 'unavailable', reason: 'stopping' });
    service.lifecycle.markReady();
    expect((await probe('/readyz')).body.reason).toBe('stopping');
    expect(await probe('/livez')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('/livez answers after the database is closed; /readyz does not', async () => {
    await service.database.close();
    databaseClosed = true;
    expect(await probe('/livez')).toEqual({ status: 200, body: { status: 'ok' } });
    // A service that believes it is ready, on the closed database.
    const lifecycle = createServiceLifecycle();
    lifecycle.markReady();
    const ready = await createApp({ ...service, lifecycle }).request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', reason: 'database' });
  });
});
