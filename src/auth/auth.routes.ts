/**
 * Console sign-in: a username and password for a signed, http-only cookie naming a
 * server-side session; repeated failures are throttled, signing out ends the session.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { commonErrorResponses, errorBodySchema, errorResponse } from '../http/errors.js';
import { clientAddress, isHttpsRequest, requireJsonBody } from '../http/middleware.js';
import type { ApiRouter } from '../http/router.js';
import { type AuthSettings, sessionCookie } from './auth.middleware.js';
import { type Principal, principalKindSchema, roles } from './roles.js';
const meSchema = z
  .object({
    name: z.string(),
    role: z.enum(roles),
    kind: principalKindSchema,
    channels: z.array(z.string()).optional().openapi({
      description: 'An integration key limited to these channels (absent: every channel)',
    }),
  })
  .openapi('Me');

export function registerAuthRoutes(app: ApiRouter, settings: AuthSettings) {
  const login = createRoute({
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Sign in to the console',
    middleware: [requireJsonBody()] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .object({
                username: z.string().trim().min(1).max(100),
                password: z.string().min(1).max(200),
              })
              .strict(),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'Signed in; the session cookie is set',
        content: { 'application/json': { schema: meSchema } },
      },
      401: {
        description: 'Wrong username or password',
        content: { 'application/json': { schema: errorBodySchema } },
      },
      429: {
        description:
          'Too many failed sign-ins for this username or address; try again after `Retry-After` seconds',
        content: { 'application/json': { schema: errorBodySchema } },
      },
      ...commonErrorResponses,
    },
  });
  const logout = createRoute({
    method: 'post',
    path: '/v1/auth/logout',
    summary: 'Sign out',
    description: 'Ends the session on the server, so the cookie stops working everywhere.',
    responses: { 204: { description: 'Signed out' } },
  });
  const me = createRoute({
    method: 'get',
    path: '/v1/auth/me',
    summary: 'Who the request acts as',
    responses: {
      200: { description: 'The caller', content: { 'application/json': { schema: meSchema } } },
    },
  });

  app
    .openapi(login, async (context) => {
      const { username, password } = context.req.valid('json');
      const address = clientAddress(context, settings.trustProxy);
      // Checked before the password, so a locked account answers the same right or wrong.
      const wait = await settings.throttle.retryAfter(username, address);
      if (wait > 0) {
        context.header('Retry-After', String(wait));
        return errorResponse(
          context,
          'rate_limited',
          `Too many failed sign-ins; try again in ${wait} s.`,
        ) as never;
      }
      const principal = await settings.credentials.signIn(username, password);
      // Every attempt that got as far as the password is in the audit log, with the address.
      await settings.credentials.recordSignIn({ username, address, principal });
      if (!principal) {
        await settings.throttle.failed(username, address);
        return errorResponse(context, 'unauthorized', 'Wrong username or password.') as never;
      }
      await settings.throttle.succeeded(username);
      const token = await settings.sessions.start(principal.id);
      await setSignedCookie(context, sessionCookie, token, await settings.sessionSecret(), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        maxAge: settings.sessions.lifetimeSeconds,
        secure: isHttpsRequest(context, settings.trustProxy),
      });
      return context.json(
        { name: principal.name, role: principal.role, kind: principal.kind },
        200,
      );
    })
    .openapi(logout, async (context) => {
      const token = await getSignedCookie(context, await settings.sessionSecret(), sessionCookie);
      // Ends the session itself: a copy of the cookie is worthless from now on.
      if (token) await settings.sessions.end(token);
      deleteCookie(context, sessionCookie, {
        path: '/',
        secure: isHttpsRequest(context, settings.trustProxy),
      });
      return context.body(null, 204);
    })
    .openapi(me, (context) => {
      const principal = context.get('principal') as Principal;
      const channels = principal.channels ? { channels: [...principal.channels] } : {};
      return context.json(
        { name: principal.name, role: principal.role, kind: principal.kind, ...channels },
        200,
      );
    });
}
