import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakePlatform, startFakePlatform } from '../../testing/fake-platform.js';
import { createWecomApi, WecomApiError } from './wecom-api.js';

describe('WeCom API client', () => {
  let fake: FakePlatform;
  let issued = 0;
  /** Tokens the fake accepts; the rest get 40014. */
  const valid = new Set<string>();
  let tokenAnswer: (() => unknown) | undefined;

  beforeAll(async () => {
    fake = await startFakePlatform(async (request) => {
      if (request.path === '/cgi-bin/gettoken') {
        if (tokenAnswer) return { body: tokenAnswer() };
        await new Promise((resolve) => setTimeout(resolve, 20));
        const token = `token-${++issued}`;
        valid.add(token);
        return { body: { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 } };
      }
      const token = request.query.get('access_token') ?? '';
      if (!valid.has(token)) return { body: { errcode: 40014, errmsg: 'invalid access_token' } };
      return { body: { errcode: 0, errmsg: 'ok', token } };
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    valid.clear();
    tokenAnswer = undefined;
  });

  const gettokens = () => fake.requests.filter((request) => request.path === '/cgi-bin/gettoken');

  it('asks for the token once for calls at the same time and reuses it', async () => {
    let now = 0;
    const api = createWecomApi({ baseUrl: fake.url, corpId: 'ww1', secret: 's', now: () => now });
    const answers = await Promise.all([1, 2, 3].map(() => api.post('/cgi-bin/kf/x', {})));
    await api.post('/cgi-bin/kf/x', {});
    expect(gettokens()).toHaveLength(1);
    expect(gettokens()[0]!.query.get('corpid')).toBe('ww1');
    expect(gettokens()[0]!.query.get('corpsecret')).toBe('s');
    expect(new Set(answers.map((answer) => answer.token)).size).toBe(1);
    // Refreshed shortly before expires_in (7200 s), not after.
    now = 6_800_000;
    await api.post('/cgi-bin/kf/x', {});
    expect(gettokens()).toHaveLength(1);
    now = 7_000_000;
    await api.post('/cgi-bin/kf/x', {});
    expect(gettokens()).toHaveLength(2);
  });

  it('refreshes a token WeCom refused and calls again, once', async () => {
    const api = createWecomApi({ baseUrl: fake.url, corpId: 'ww1', secret: 's', now: () => 0 });
    await api.post('/cgi-bin/kf/x', {});
    valid.clear(); // WeCom ended the token early
    const answer = await api.post('/cgi-bin/kf/x', {});
    expect(gettokens()).toHaveLength(2);
    expect(answer.errcode).toBe(0);
    // A token refused again is an error, not a loop.
    tokenAnswer = () => ({ errcode: 0, access_token: 'never-valid', expires_in: 7200 });
    valid.clear();
    await expect(api.post('/cgi-bin/kf/x', {})).rejects.toMatchObject({ errcode: 40014 });
    expect(gettokens()).toHaveLength(3);
  });

  it('says what to fix when gettoken is refused, and retries a busy one later', async () => {
    const api = createWecomApi({ baseUrl: fake.url, corpId: 'ww1', secret: 'bad', now: () => 0 });
    tokenAnswer = () => ({ errcode: 40001, errmsg: 'invalid credential' });
    const error = await api.accessToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WecomApiError);
    expect(error).toMatchObject({ errcode: 40001, retryable: false });
    expect((error as Error).message).toMatch(/WECOM_SECRET/);
    tokenAnswer = () => ({ errcode: -1, errmsg: 'system busy' });
    await expect(api.accessToken()).rejects.toMatchObject({ retryable: true });
  });

  it('treats an unreachable API and a 5xx as retryable', async () => {
    const down = createWecomApi({
      baseUrl: 'http://127.0.0.1:9',
      corpId: 'ww1',
      secret: 's',
      now: () => 0,
    });
    await expect(down.accessToken()).rejects.toMatchObject({ errcode: null, retryable: true });
    tokenAnswer = () => {
      throw new Error('boom'); // the fake answers 500
    };
    const api = createWecomApi({ baseUrl: fake.url, corpId: 'ww1', secret: 's', now: () => 0 });
    await expect(api.accessToken()).rejects.toMatchObject({ retryable: true });
  });
});
