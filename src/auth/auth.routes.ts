/** Console sign-in: a username and password for a signed, http-only session cookie. */
import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setSignedCookie } from 'hono/cookie';
import { createOpenApiRouter } from '../http/app.js';
import { commonErrorResponses, errorBodySchema, errorResponse } from '../http/errors.js';
import { requireJsonBody } from '../http/middleware.js';
import { type AuthSettings, sessionCookie } from './auth.middleware.js';
import { roles } from './roles.js';

const sessionHours = 12;
const meSchema = z.object({ name: z.string(), role: z.enum(roles), kind: z.enum(['api_key', 'user', 'open']) }).openapi('Me');

export function authRoutes(settings: AuthSettings) {
  const login = createRoute({
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Sign in to the console',
    middleware: [requireJsonBody()] as const,
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) }).strict() } },
      },
    },
    responses: {
      200: { description: 'Signed in; the session cookie is set', content: { 'application/json': { schema: meSchema } } },
      401: { description: 'Wrong username or password', content: { 'application/json': { schema: errorBodySchema } } },
      ...commonErrorResponses,
    },
  });
  const logout = createRoute({ method: 'post', path: '/v1/auth/logout', summary: 'Sign out', responses: { 204: { description: 'Signed out' } } });
  const me = createRoute({
    method: 'get',
    path: '/v1/auth/me',
    summary: 'Who the request acts as',
    responses: { 200: { description: 'The caller', content: { 'application/json': { schema: meSchema } } } },
  });

  return createOpenApiRouter()
    .openapi(login, async (context) => {
      const { username, password } = context.req.valid('json');
      const principal = await settings.credentials.signIn(username, password);
      if (!principal) return errorResponse(context, 'unauthorized', 'Wrong username or password.') as never;
      const expires = Date.now() + sessionHours * 3_600_000;
      await setSignedCookie(context, sessionCookie, `${principal.id}.${expires}`, await settings.sessionSecret(), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        maxAge: sessionHours * 3600,
        secure: new URL(context.req.url).protocol === 'https:',
      });
      return context.json({ name: principal.name, role: principal.role, kind: principal.kind }, 200);
    })
    .openapi(logout, (context) => {
      deleteCookie(context, sessionCookie, { path: '/' });
      return context.body(null, 204);
    })
    .openapi(me, (context) => {
      const principal = context.get('principal' as never) as { name: string; role: (typeof roles)[number]; kind: 'api_key' | 'user' | 'open' };
      return context.json({ name: principal.name, role: principal.role, kind: principal.kind }, 200);
    });
}
