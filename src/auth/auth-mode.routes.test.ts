import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../testing/service.js';

let service: TestService;
beforeAll(async () => {
  // No API_KEYS: a fresh install, as after `npm install && npm start`.
  service = await startTestService();
}, 120_000);
afterAll(async () => service?.close());

describe('auth mode', () => {
  it('serves a fresh install open, and the first key made with `keys create` protects the running server at once', async () => {
    expect((await service.app.request('/v1/tickets')).status).toBe(200);
    const openHealth = (await (await service.app.request('/healthz')).json()) as {
      auth?: string;
      database?: unknown;
    };
    expect(openHealth.auth).toBe('open');
    expect(openHealth.database).toBeDefined();

    // What `npx triage keys create` does, on the same database (another process in real life).
    const key = await service.credentials.createApiKey('bot', 'integration', ['web']);

    expect((await service.app.request('/v1/tickets')).status).toBe(401);
    expect(
      (
        await service.app.request('/v1/triage', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"text":"hi"}',
        })
      ).status,
    ).toBe(401);
    expect(await (await service.app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const withKey = await service.app.request('/healthz', {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await withKey.json()) as { auth: string }).auth).toBe('required');
    expect(
      (await service.app.request('/v1/auth/me', { headers: { authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(200);
  });
});
