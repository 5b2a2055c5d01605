import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAccess } from '../testing/access-sweep.js';
import { bearer, postJson, startTestService, type TestService, testApiKeysEnv } from '../testing/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService(testApiKeysEnv);
}, 120_000);
afterAll(async () => service?.close());

describe('access control', () => {
  it('answers 401 without credentials and 403 with the wrong role on every protected route', async () => {
    const checked = await sweepAccess(service.app, bearer);
    expect(checked).toEqual(expect.arrayContaining(['POST /v1/messages', 'GET /v1/tickets', 'POST /v1/tickets/:id/actions', 'DELETE /v1/kb/documents/:id']));
  });

  it('lets the right role through', async () => {
    expect((await service.app.request('/v1/tickets', { headers: bearer('agent') })).status).toBe(200);
    expect((await service.app.request('/v1/feedback/export', { headers: bearer('admin') })).status).toBe(200);
    expect((await service.app.request('/v1/auth/me', { headers: { 'x-api-key': 'test-integration-key-0001' } })).status).toBe(200);
    expect((await service.app.request('/healthz')).status).toBe(200);
  });

  it('signs a console user in with a session cookie, and out', async () => {
    const wrong = await postJson(service.app, '/v1/auth/login', { username: 'admin', password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    const login = await postJson(service.app, '/v1/auth/login', { username: 'admin', password: 'admin-password-1' });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const session = cookie.split(';')[0]!;
    const me = await (await service.app.request('/v1/auth/me', { headers: { cookie: session } })).json();
    expect(me).toEqual({ name: 'admin', role: 'admin', kind: 'user' });
    // A tampered cookie is nobody
    const tampered = session.replace(/=(.)/, (_, first: string) => `=${first === 'a' ? 'b' : 'a'}`);
    expect((await service.app.request('/v1/tickets', { headers: { cookie: tampered } })).status).toBe(401);
  });

  it('answers 404 for a route that does not exist, with or without credentials', async () => {
    expect((await service.app.request('/v1/nothing-here')).status).toBe(404);
    expect((await service.app.request('/v1/nothing-here', { headers: bearer('admin') })).status).toBe(404);
  });
});
