import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepAccess } from '../testing/access-sweep.js';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';
import { createSignInThrottle } from './sign-in-throttle.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService(testApiKeysEnv);
}, 120_000);
afterAll(async () => service?.close());

const login = (
  username: string,
  password: string,
  headers: Record<string, string> = {},
  env?: object,
) =>
  service.app.request(
    '/v1/auth/login',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username, password }),
    },
    env,
  );
/** What @hono/node-server passes as env: the socket the request came in on. */
const fromAddress = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

describe('access control', () => {
  it('answers 401 without credentials and 403 with the wrong role on every protected route', async () => {
    const checked = await sweepAccess(service.app, bearer);
    expect(checked).toEqual(
      expect.arrayContaining([
        'POST /v1/messages',
        'GET /v1/tickets',
        'POST /v1/tickets/:id/actions',
        'DELETE /v1/kb/documents/:id',
      ]),
    );
  });

  it('lets the right role through', async () => {
    expect((await service.app.request('/v1/tickets', { headers: bearer('agent') })).status).toBe(
      200,
    );
    expect(
      (await service.app.request('/v1/feedback/export', { headers: bearer('admin') })).status,
    ).toBe(200);
    expect(
      (
        await service.app.request('/v1/auth/me', {
          headers: { 'x-api-key': 'test-integration-key-0001' },
        })
      ).status,
    ).toBe(200);
    expect((await service.app.request('/healthz')).status).toBe(200);
  });

  it('signs a console user in with a session cookie, and out', async () => {
    const wrong = await postJson(service.app, '/v1/auth/login', {
      username: 'admin',
      password: 'nope-nope',
    });
    expect(wrong.status).toBe(401);
    const signedIn = await postJson(service.app, '/v1/auth/login', {
      username: 'admin',
      password: 'admin-password-1',
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const session = cookie.split(';')[0]!;
    const me = await (
      await service.app.request('/v1/auth/me', { headers: { cookie: session } })
    ).json();
    expect(me).toEqual({ name: 'admin', role: 'admin', kind: 'user' });
    // A tampered cookie is nobody
    const tampered = session.replace(/=(.)/, (_, first: string) => `=${first === 'a' ? 'b' : 'a'}`);
    expect(
      (await service.app.request('/v1/tickets', { headers: { cookie: tampered } })).status,
    ).toBe(401);
  });

  it('answers 404 for a route that does not exist, with or without credentials', async () => {
    expect((await service.app.request('/v1/nothing-here')).status).toBe(404);
    expect(
      (await service.app.request('/v1/nothing-here', { headers: bearer('admin') })).status,
    ).toBe(404);
  });
});

describe('sessions', () => {
  it('ends the session on the server at sign-out: a copy of the cookie stops working', async () => {
    const signedIn = await login('admin', 'admin-password-1');
    const session = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const copy = session;
    expect((await service.app.request('/v1/tickets', { headers: { cookie: copy } })).status).toBe(
      200,
    );
    const out = await service.app.request('/v1/auth/logout', {
      method: 'POST',
      headers: { cookie: session },
    });
    expect(out.status).toBe(204);
    expect((await service.app.request('/v1/tickets', { headers: { cookie: copy } })).status).toBe(
      401,
    );
    expect((await service.app.request('/v1/auth/me', { headers: { cookie: copy } })).status).toBe(
      401,
    );
  });

  it('ends the sessions of a disabled user', async () => {
    await service.credentials.upsertUser({
      username: 'leaver',
      password: 'leaver-password',
      role: 'agent',
    });
    const session = (await login('leaver', 'leaver-password')).headers
      .get('set-cookie')!
      .split(';')[0]!;
    expect(
      (await service.app.request('/v1/tickets', { headers: { cookie: session } })).status,
    ).toBe(200);
    await service.database.db
      .updateTable('users')
      .set({ disabled_at: new Date() })
      .where('username', '=', 'leaver')
      .execute();
    expect(
      (await service.app.request('/v1/tickets', { headers: { cookie: session } })).status,
    ).toBe(401);
  });

  it('marks the cookie Secure over https, and behind a trusted proxy that says https', async () => {
    const plain = await login('admin', 'admin-password-1', { 'x-forwarded-proto': 'https' });
    // Without TRUST_PROXY the header is anyone's claim.
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/i);
    const direct = await service.app.request('https://localhost/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin-password-1' }),
    });
    expect(direct.headers.get('set-cookie')).toMatch(/; Secure/i);
    service.auth.trustProxy = true;
    try {
      const proxied = await login('admin', 'admin-password-1', { 'x-forwarded-proto': 'https' });
      expect(proxied.headers.get('set-cookie')).toMatch(/; Secure/i);
      const proxiedPlain = await login('admin', 'admin-password-1', {
        'x-forwarded-proto': 'http',
      });
      expect(proxiedPlain.headers.get('set-cookie')).not.toMatch(/Secure/i);
    } finally {
      service.auth.trustProxy = false;
    }
  });
});

describe('sign-in throttling', () => {
  it('locks a username after 5 failures with 429 and Retry-After, even for the right password, and keeps the lock across a restart', async () => {
    await service.credentials.upsertUser({
      username: 'target',
      password: 'target-password',
      role: 'agent',
    });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++)
      statuses.push((await login('target', `guess-${attempt}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const locked = await login('target', 'target-password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // The counts live in the database: a new process (a fresh throttle on the same database) sees the lock.
    const afterRestart = createSignInThrottle({ db: service.database.db });
    expect(await afterRestart.retryAfter('target')).toBeGreaterThan(0);
    expect(await afterRestart.retryAfter('Target')).toBeGreaterThan(0);
    // Other users are not affected.
    expect((await login('admin', 'admin-password-1')).status).toBe(200);
  });

  it('doubles the lock with each failure after it expires', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const throttle = createSignInThrottle({ db: service.database.db, now: () => now });
    for (let attempt = 0; attempt < 5; attempt++) await throttle.failed('backoff');
    expect(await throttle.retryAfter('backoff')).toBe(30);
    now = new Date(now.getTime() + 31_000);
    expect(await throttle.retryAfter('backoff')).toBe(0);
    await throttle.failed('backoff');
    expect(await throttle.retryAfter('backoff')).toBe(60);
    await throttle.succeeded('backoff');
    expect(await throttle.retryAfter('backoff')).toBe(0);
  });

  it('locks an address that fails across many usernames', async () => {
    const env = fromAddress('203.0.113.9');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++)
      statuses.push((await login(`nobody-${attempt}`, 'wrong-password', {}, env)).status);
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // Another address still may try.
    expect((await login('admin', 'admin-password-1', {}, fromAddress('203.0.113.10'))).status).toBe(
      200,
    );
    // Behind a trusted proxy the address is the one the proxy saw.
    service.auth.trustProxy = true;
    try {
      const viaProxy = await login(
        'admin',
        'admin-password-1',
        { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' },
        fromAddress('10.0.0.2'),
      );
      expect(viaProxy.status).toBe(429);
    } finally {
      service.auth.trustProxy = false;
    }
  });
});

describe('integration keys', () => {
  const message = (channel: string, id: string, text: string) => ({
    channel,
    externalMessageId: `${channel}-${id}`,
    conversationId: `${channel}-conversation-${id}`,
    customer: { id: `${channel}-customer-${id}`, name: '王小明' },
    text,
  });
  const personal =
    '我叫王小明，手机13812345678，身份证110101199003074514，地址北京市朝阳区建国路88号，订单一直没发货';

  it('act only for their own channels and read conversations with personal data redacted', async () => {
    const webKey = await service.credentials.createApiKey('web-bot', 'integration', ['web']);
    const asWeb = { authorization: `Bearer ${webKey}` };
    expect(await (await service.app.request('/v1/auth/me', { headers: asWeb })).json()).toEqual({
      name: 'web-bot',
      role: 'integration',
      kind: 'api_key',
      channels: ['web'],
    });
    const other = await postJson(
      service.app,
      '/v1/messages?wait=30',
      message('wecom', '1', personal),
      asWeb,
    );
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(/web/);

    const own = await postJson(
      service.app,
      '/v1/messages?wait=30',
      message('web', '1', personal),
      asWeb,
    );
    expect(own.status).toBe(200);
    const { conversationId } = (await own.json()) as { conversationId: string };
    const read = await service.app.request(`/v1/conversations/${conversationId}`, {
      headers: asWeb,
    });
    expect(read.status).toBe(200);
    const body = JSON.stringify(await read.json());
    for (const secret of ['13812345678', '110101199003074514', '建国路88号', '王小明'])
      expect(body).not.toContain(secret);
    expect(body).toContain('[PHONE]');
    expect(body).toContain('[ID_NUMBER]');

    // Staff see the conversation as it is.
    const staff = JSON.stringify(
      await (
        await service.app.request(`/v1/conversations/${conversationId}`, {
          headers: bearer('agent'),
        })
      ).json(),
    );
    expect(staff).toContain('13812345678');

    // Another channel's conversation does not exist for the key.
    const wecom = await postJson(
      service.app,
      '/v1/messages?wait=30',
      message('wecom', '2', '我的快递到哪了'),
      bearer('integration'),
    );
    expect(wecom.status).toBe(200);
    const wecomId = ((await wecom.json()) as { conversationId: string }).conversationId;
    expect(
      (await service.app.request(`/v1/conversations/${wecomId}`, { headers: asWeb })).status,
    ).toBe(404);
    // An unscoped integration key (API_KEYS without channels) reads it, still redacted.
    const unscoped = await service.app.request(`/v1/conversations/${conversationId}`, {
      headers: bearer('integration'),
    });
    expect(JSON.stringify(await unscoped.json())).not.toContain('13812345678');
  });

  it('take a channel list from API_KEYS (key:integration:name:web|wecom)', async () => {
    await service.credentials.registerApiKeys([
      {
        key: 'scoped-key-from-env-0001',
        role: 'integration',
        name: 'env-bot',
        channels: ['telegram'],
      },
    ]);
    const asEnvKey = { authorization: 'Bearer scoped-key-from-env-0001' };
    expect(
      (
        await postJson(
          service.app,
          '/v1/messages?wait=30',
          message('web', '3', 'hello there'),
          asEnvKey,
        )
      ).status,
    ).toBe(403);
  });
});

describe('hardening', () => {
  it('sends nosniff, Referrer-Policy and a CSP on every response, errors included, and keeps the console its own CSP', async () => {
    for (const [path, headers] of [
      ['/healthz', {}],
      ['/v1/tickets', {}],
      ['/v1/nothing-here', bearer('admin')],
      ['/openapi.json', {}],
      ['/docs', {}],
      ['/console/', {}],
    ] as const) {
      const response = await service.app.request(path, { headers });
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('content-security-policy'), path).toMatch(
        /frame-ancestors 'none'/,
      );
    }
    const docs = (await service.app.request('/docs')).headers.get('content-security-policy')!;
    expect(docs).toMatch(/script-src 'self'(;|$)/);
    const page = await (await service.app.request('/docs')).text();
    expect(page).not.toMatch(/<script>/);
    expect((await service.app.request('/docs/assets/swagger-init.js')).status).toBe(200);
    const consolePolicy = (await service.app.request('/console/')).headers.get(
      'content-security-policy',
    );
    expect(consolePolicy).toContain("style-src 'self'");
  });

  it('shows health internals only to an authenticated caller', async () => {
    const anonymous = await service.app.request('/healthz');
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'ok' });
    const staff = (await (
      await service.app.request('/healthz', { headers: bearer('integration') })
    ).json()) as Record<string, unknown>;
    expect(staff).toMatchObject({ status: 'ok', auth: 'required', database: { ok: true } });
    expect(staff.outbox).toBeDefined();
  });
});
