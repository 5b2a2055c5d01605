/**
 * Keys and users (issue 16): an admin lists, creates and revokes API keys (a revoked key stops
 * working at once and stays revoked even when API_KEYS lists it), disables a console user (their
 * session ends, they cannot sign in) and enables them again; sign-ins, failed ones included, and
 * every change are in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
  testKeys,
} from '../testing/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService(testApiKeysEnv);
}, 120_000);
afterAll(async () => service?.close());

const admin = (path: string, init: RequestInit = {}) =>
  service.app.request(path, { ...init, headers: { ...bearer('admin'), ...init.headers } });

interface Entry {
  action: string;
  actorType: string;
  actorId: string | null;
  subjectType: string;
  subjectId: string | null;
  details: Record<string, unknown>;
}
const audit = async (): Promise<Entry[]> =>
  (await (await admin('/v1/audit?limit=1000')).json()).entries;

const signIn = (username: string, password: string) =>
  postJson(service.app, '/v1/auth/login', { username, password });
const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0]!;

describe('API keys', () => {
  it('creates a key shown once, lists it without its secret, and revokes it at once', async () => {
    const created = await postJson(
      service.app,
      '/v1/keys',
      { name: 'web-bot', role: 'integration', channels: ['web'] },
      bearer('admin'),
    );
    expect(created.status).toBe(201);
    const key = await created.json();
    expect(key).toMatchObject({ name: 'web-bot', role: 'integration', channels: ['web'] });
    expect(key.key).toMatch(/^tk_/);
    const me = await service.app.request('/v1/auth/me', {
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(me.status).toBe(200);

    const listed = await (await admin('/v1/keys')).json();
    const names = listed.keys.map((entry: { name: string }) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['bot', 'alice', 'root', 'web-bot']));
    expect(JSON.stringify(listed)).not.toContain(key.key);
    expect(JSON.stringify(listed)).not.toMatch(/hash/i);

    const revoked = await admin(`/v1/keys/${key.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).revokedAt).toBeTruthy();
    const after = await service.app.request('/v1/auth/me', {
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(after.status).toBe(401);
    // Again: nothing changes, nothing more is recorded.
    expect((await admin(`/v1/keys/${key.id}`, { method: 'DELETE' })).status).toBe(200);

    const entries = (await audit()).filter((entry) => entry.subjectId === key.id);
    expect(entries.map((entry) => entry.action).sort()).toEqual([
      'api_key.create',
      'api_key.revoke',
    ]);
    for (const entry of entries)
      expect(entry).toMatchObject({ actorType: 'agent', actorId: 'root' });
    expect(JSON.stringify(entries)).not.toContain(key.key);
  });

  it('refuses an integration key without channels, and an unknown key id', async () => {
    const bad = await postJson(
      service.app,
      '/v1/keys',
      { name: 'x', role: 'integration' },
      bearer('admin'),
    );
    expect(bad.status).toBe(400);
    const missing = await admin('/v1/keys/00000000-0000-4000-8000-000000000000', {
      method: 'DELETE',
    });
    expect(missing.status).toBe(404);
  });

  it('keeps a revoked configured key revoked when API_KEYS is read again (a restart)', async () => {
    const bot = (await service.credentials.listApiKeys()).find((key) => key.name === 'bot')!;
    await service.credentials.revokeApiKey(bot.id, { actorType: 'system', actorId: 'test' });
    const again = await service.credentials.registerApiKeys([
      { key: testKeys.integration, role: 'integration', name: 'bot' },
    ]);
    expect(again).toEqual(['bot']);
    const response = await service.app.request('/v1/auth/me', { headers: bearer('integration') });
    expect(response.status).toBe(401);
  });

  it('is for admins only', async () => {
    for (const [method, path] of [
      ['GET', '/v1/keys'],
      ['GET', '/v1/users'],
      ['POST', '/v1/users/alice/disable'],
    ] as const) {
      const response = await service.app.request(path, { method, headers: bearer('agent') });
      expect(response.status, path).toBe(403);
    }
  });
});

describe('console users', () => {
  const agent = { username: 'dora', password: 'dora-password-1', role: 'agent' as const };

  beforeAll(async () => {
    await service.credentials.upsertUser(agent);
  });

  it('records sign-ins, and failures without the name when it is unknown', async () => {
    const ok = await signIn(agent.username, agent.password);
    expect(ok.status).toBe(200);
    expect((await signIn(agent.username, 'wrong-password')).status).toBe(401);
    expect((await signIn('hunter2-typed-as-name', 'whatever-1')).status).toBe(401);
    const entries = await audit();
    const user = (await service.credentials.listUsers()).find((u) => u.username === 'dora')!;
    expect(
      entries.find((entry) => entry.action === 'auth.sign_in' && entry.subjectId === user.id),
    ).toMatchObject({ actorType: 'agent', actorId: 'dora', subjectType: 'user' });
    expect(
      entries.find((entry) => entry.action === 'auth.sign_in_failed' && entry.subjectId === user.id)
        ?.details,
    ).toMatchObject({ username: 'dora', disabled: false });
    const unknown = entries.find(
      (entry) => entry.action === 'auth.sign_in_failed' && entry.subjectId === null,
    );
    expect(unknown?.details).toMatchObject({ knownUser: false });
    expect(JSON.stringify(entries)).not.toContain('hunter2');
  });

  it('disabling a user ends their session and stops their sign-in; enabling lets them back', async () => {
    const session = cookieOf(await signIn(agent.username, agent.password));
    const me = () => service.app.request('/v1/auth/me', { headers: { cookie: session } });
    expect((await me()).status).toBe(200);

    const disabled = await admin('/v1/users/dora/disable', { method: 'POST' });
    expect(disabled.status).toBe(200);
    expect((await disabled.json()).disabledAt).toBeTruthy();
    expect((await me()).status).toBe(401);
    const sessions = await service.database.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('token_hash')
      .where('users.username', '=', 'dora')
      .execute();
    expect(sessions).toEqual([]);
    expect((await signIn(agent.username, agent.password)).status).toBe(401);

    const users = (await (await admin('/v1/users')).json()).users;
    expect(users.find((u: { username: string }) => u.username === 'dora').disabledAt).toBeTruthy();
    expect(JSON.stringify(users)).not.toContain('scrypt');

    const enabled = await admin('/v1/users/dora/enable', { method: 'POST' });
    expect((await enabled.json()).disabledAt).toBeNull();
    expect((await signIn(agent.username, agent.password)).status).toBe(200);

    const entries = await audit();
    const disable = entries.find((entry) => entry.action === 'user.disable');
    expect(disable).toMatchObject({ actorId: 'root', details: { username: 'dora' } });
    expect((disable!.details.sessionsEnded as number) >= 1).toBe(true);
    expect(entries.some((entry) => entry.action === 'user.enable')).toBe(true);
    expect(
      entries.find(
        (entry) => entry.action === 'auth.sign_in_failed' && entry.details.disabled === true,
      ),
    ).toBeTruthy();
  });

  it('answers 404 for an unknown user, and an admin cannot disable themselves', async () => {
    expect((await admin('/v1/users/nobody/disable', { method: 'POST' })).status).toBe(404);
    const session = cookieOf(await signIn('admin', 'admin-password-1'));
    const self = await service.app.request('/v1/users/admin/disable', {
      method: 'POST',
      headers: { cookie: session },
    });
    expect(self.status).toBe(409);
  });
});
