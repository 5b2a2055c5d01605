/**
 * Every request passes here: the route's rule from the access policy, the caller from an
 * API key (`Authorization: Bearer <key>` or `x-api-key`) or a console session cookie,
 * then 401 (nobody), 403 (wrong role) or on to the route with `principal` set.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getSignedCookie } from 'hono/cookie';
import { errorResponse } from '../http/errors.js';
import { accessFor } from './access-policy.js';
import type { AuthModeSource } from './auth-mode.js';
import type { CredentialStore } from './credentials.js';
import type { Principal } from './roles.js';
import type { SessionStore } from './sessions.js';
import type { SignInThrottle } from './sign-in-throttle.js';

export const sessionCookie = 'triage_session';

export interface AuthSettings {
  credentials: CredentialStore;
  sessions: SessionStore;
  throttle: SignInThrottle;
  /** Open (every caller acts as admin) or credentials required; see auth-mode.ts. */
  mode: AuthModeSource;
  /** Believe X-Forwarded-Proto and X-Forwarded-For (set only behind a proxy that sets them). */
  trustProxy: boolean;
  sessionSecret: () => Promise<string>;
}

const openPrincipal: Principal = {
  kind: 'open',
  id: 'anonymous',
  name: 'anonymous',
  role: 'admin',
};

export async function principalOf(
  context: Context,
  settings: AuthSettings,
): Promise<Principal | undefined> {
  const header = context.req.header('authorization');
  const key =
    header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? context.req.header('x-api-key')?.trim();
  if (key) return settings.credentials.principalForKey(key);
  const token = await getSignedCookie(context, await settings.sessionSecret(), sessionCookie);
  return token ? settings.sessions.principalFor(token) : undefined;
}

export function authenticate(
  settings: AuthSettings,
): MiddlewareHandler<{ Variables: { requestId: string; principal?: Principal } }> {
  return async (context, next) => {
    const access = accessFor(context.req.method, context.req.path);
    if (access === undefined) {
      return errorResponse(
        context,
        'not_found',
        `No route for ${context.req.method} ${context.req.path}. See /docs.`,
      );
    }
    if (access === 'public') {
      const principal = await principalOf(context, settings).catch(() => undefined);
      if (principal) context.set('principal', principal);
      return next();
    }
    const principal =
      (await principalOf(context, settings)) ??
      ((await settings.mode.current()) === 'open' ? openPrincipal : undefined);
    if (!principal) {
      return errorResponse(
        context,
        'unauthorized',
        'Send an API key (Authorization: Bearer <key>) or sign in at /console.',
      );
    }
    if (!access.includes(principal.role)) {
      return errorResponse(
        context,
        'forbidden',
        `${context.req.method} ${context.req.path} needs the role ${access.join(' or ')}; you are ${principal.role}.`,
      );
    }
    context.set('principal', principal);
    return next();
  };
}
