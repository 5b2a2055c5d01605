/**
 * The WeCom server API as this channel calls it: an access token from `cgi-bin/gettoken`, kept
 * in memory until shortly before it expires and refreshed by one request at a time, and JSON
 * POSTs that carry it. WeCom answers HTTP 200 with an `errcode`; a token it no longer accepts
 * (40014, 42001, 40001) is refreshed and the call tried once more.
 */
import { z } from 'zod';

/** An errcode (or transport failure) from WeCom, with whether trying later can help. */
export class WecomApiError extends Error {
  override name = 'WecomApiError';
  constructor(
    message: string,
    /** WeCom's errcode; null when the request failed before WeCom answered. */
    readonly errcode: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** The token was refused: refresh it and call again (once). */
const TOKEN_ERRORS = new Set([40014, 42001, 40001]);
/** -1 system busy; 45009 call quota, 45011 too frequent, 45033 too many at once: later. */
const RETRYABLE_ERRORS = new Set([-1, 45009, 45011, 45033]);
/** What the operator must fix, said in the log line. */
const HINTS: Record<number, string> = {
  40001: 'check WECOM_SECRET (the 微信客服 secret)',
  40013: 'check WECOM_CORP_ID',
  60020: "add this server's IP to the trusted IPs (企业可信IP) of the app",
  95018: 'the session is held by a servicer or closed, the API may not send into it',
};

export interface WecomApiOptions {
  baseUrl: string;
  corpId: string;
  secret: string;
  /** Milliseconds since the epoch (the service clock, so tests can expire a token). */
  now: () => number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface WecomApi {
  /** POSTs `body` to `path` with the access token; the answer when its errcode is 0. */
  post(path: string, body: unknown): Promise<Record<string, unknown>>;
  /** The cached token, or a fresh one (one gettoken at a time). */
  accessToken(): Promise<string>;
}

const errorAnswerSchema = z
  .object({ errcode: z.number().optional(), errmsg: z.string().optional() })
  .loose();
const tokenAnswerSchema = z.object({ access_token: z.string().min(1), expires_in: z.number() });

export function wecomApiError(what: string, errcode: number, errmsg = ''): WecomApiError {
  const hint = HINTS[errcode];
  return new WecomApiError(
    `WeCom ${what} answered errcode ${errcode}${errmsg ? ` (${errmsg})` : ''}${hint ? `: ${hint}` : ''}`,
    errcode,
    RETRYABLE_ERRORS.has(errcode),
  );
}

export function createWecomApi(options: WecomApiOptions): WecomApi {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let cached: { token: string; refreshAt: number } | undefined;
  let refreshing: Promise<string> | undefined;

  async function request(what: string, url: string, init: RequestInit = {}) {
    let response: Response;
    try {
      response = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new WecomApiError(`WeCom ${what} unreachable: ${(error as Error).message}`, null, true);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      const retryable =
        response.status >= 500 || response.status === 408 || response.status === 429;
      throw new WecomApiError(`WeCom ${what} answered HTTP ${response.status}`, null, retryable);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WecomApiError(`WeCom ${what} answered something other than JSON`, null, true);
    }
    const answer = errorAnswerSchema.safeParse(json);
    if (!answer.success) throw new WecomApiError(`WeCom ${what} answered no object`, null, true);
    return answer.data;
  }

  async function fetchToken(): Promise<string> {
    const url = new URL(`${options.baseUrl}/cgi-bin/gettoken`);
    url.searchParams.set('corpid', options.corpId);
    url.searchParams.set('corpsecret', options.secret);
    const answer = await request('gettoken', url.toString());
    if (answer.errcode) throw wecomApiError('gettoken', answer.errcode, answer.errmsg);
    const token = tokenAnswerSchema.safeParse(answer);
    if (!token.success) throw new WecomApiError('WeCom gettoken answered no token', null, true);
    // Refresh a tenth of the lifetime early (at most 5 minutes): WeCom may end it a little
    // before expires_in, and a call must not start with a token that lapses in flight.
    const lifetimeMs = token.data.expires_in * 1000;
    const refreshAt = options.now() + lifetimeMs - Math.min(lifetimeMs / 10, 300_000);
    cached = { token: token.data.access_token, refreshAt };
    return token.data.access_token;
  }

  async function accessToken(): Promise<string> {
    if (cached && options.now() < cached.refreshAt) return cached.token;
    refreshing ??= fetchToken().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
    const what = path.replace(/^\/cgi-bin\//, '');
    for (let attempt = 1; ; attempt++) {
      const token = await accessToken();
      const url = `${options.baseUrl}${path}?access_token=${encodeURIComponent(token)}`;
      const answer = await request(what, url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const errcode = answer.errcode ?? 0;
      if (errcode === 0) return answer;
      if (TOKEN_ERRORS.has(errcode) && attempt === 1) {
        // Forget only the token that was refused: another call may have refreshed it already.
        if (cached?.token === token) cached = undefined;
        continue;
      }
      throw wecomApiError(what, errcode, answer.errmsg);
    }
  }

  return { post, accessToken };
}
