/**
 * `/healthz` answers 503 `unavailable` for a database that answers but not correctly: a key
 * table that cannot be read, or chunk counts that disagree with their statistics (what a
 * data folder written by two processes looked like), not only for one that cannot be reached.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestService, testApiKeysEnv, type TestService } from '../testing/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService(testApiKeysEnv);
});
afterAll(async () => service?.close());

async function health() {
  const response = await service.app.request('/healthz', { headers: bearer('admin') });
  return {
    status: response.status,
    body: (await response.json()) as {
      status: string;
      database?: { ok: boolean; error?: string };
      knowledgeBase?: { chunks: number };
    },
  };
}

describe('GET /healthz checks that the database answers correctly', () => {
  it('200 ok with the knowledge-base size on a sound database', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', database: { ok: true } });
    expect(body.knowledgeBase!.chunks).toBeGreaterThan(100);
  });

  it('503 unavailable when the chunks and their statistics disagree', async () => {
    await sql`update knowledge_term_totals set chunks = chunks + 7`.execute(service.database.db);
    try {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body).toMatchObject({ status: 'unavailable', database: { ok: false } });
      expect(body.database!.error).toMatch(/statistics count/);
    } finally {
      await sql`update knowledge_term_totals set chunks = chunks - 7`.execute(service.database.db);
    }
    expect((await health()).status).toBe(200);
  });

  it('503 unavailable when a key table cannot be read', async () => {
    await sql`alter table tickets rename to tickets_moved`.execute(service.database.db);
    try {
      const { status, body } = await health();
      expect(status).toBe(503);
      expect(body).toMatchObject({ status: 'unavailable', database: { ok: false } });
      expect(body.database!.error).toMatch(/tickets/);
    } finally {
      await sql`alter table tickets_moved rename to tickets`.execute(service.database.db);
    }
  });

  it('anonymous callers see only the status', async () => {
    await sql`update knowledge_term_totals set chunks = chunks + 1`.execute(service.database.db);
    try {
      const response = await service.app.request('/healthz');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable' });
    } finally {
      await sql`update knowledge_term_totals set chunks = chunks - 1`.execute(service.database.db);
    }
  });
});
