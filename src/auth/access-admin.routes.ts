/**
 * Admin routes for access: API keys (list, create, revoke) and console users (list, disable,
 * enable). Every change is recorded in the audit log under the admin's name.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ConflictError, InvalidError } from '../errors/domain-errors.js';
import { commonErrorResponses, errorBodySchema } from '../http/errors.js';
import { requireJsonBody } from '../http/middleware.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import type { AccessAuditActor } from './access-admin.js';
import { CredentialsError, parseChannelList } from './credentials.js';
import { type Principal, roles } from './roles.js';

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(roles),
    channels: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'An integration key limited to these channels; null: every one' }),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(['agent', 'admin']),
    disabledAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('ConsoleUser');

const notFound = (what: string) => ({
  404: {
    description: `No such ${what}`,
    content: { 'application/json': { schema: errorBodySchema } },
  },
});

const actorOf = (principal: Principal): AccessAuditActor => ({
  actorType: 'agent',
  actorId: principal.name,
});

export function registerAccessAdminRoutes(app: ApiRouter, services: Pick<AppServices, 'auth'>) {
  const credentials = services.auth.credentials;

  const listKeys = createRoute({
    method: 'get',
    path: '/v1/keys',
    summary: 'API keys, revoked ones included (never the keys themselves)',
    responses: {
      200: {
        description: 'Keys, oldest first',
        content: { 'application/json': { schema: z.object({ keys: z.array(apiKeySchema) }) } },
      },
    },
  });
  const createKey = createRoute({
    method: 'post',
    path: '/v1/keys',
    summary: 'Create an API key; the answer shows it once',
    middleware: [requireJsonBody()] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .object({
                name: z.string().trim().min(1).max(100),
                role: z.enum(roles),
                channels: z.array(z.string().trim().min(1).max(64)).min(1).optional().openapi({
                  description:
                    "Integration keys: the channels it may act for (required; ['*'] for every channel)",
                }),
              })
              .strict(),
          },
        },
      },
    },
    responses: {
      201: {
        description: 'The key (shown only now) and its listing',
        content: {
          'application/json': { schema: apiKeySchema.extend({ key: z.string() }) },
        },
      },
      ...commonErrorResponses,
    },
  });
  const revokeKey = createRoute({
    method: 'delete',
    path: '/v1/keys/{id}',
    summary: 'Revoke an API key: it stops working at once, for good',
    request: { params: z.object({ id: z.uuid() }) },
    responses: {
      200: {
        description: 'The revoked key',
        content: { 'application/json': { schema: apiKeySchema } },
      },
      ...notFound('key'),
      ...commonErrorResponses,
    },
  });
  const listUsers = createRoute({
    method: 'get',
    path: '/v1/users',
    summary: 'Console users, disabled ones included',
    responses: {
      200: {
        description: 'Users, oldest first',
        content: { 'application/json': { schema: z.object({ users: z.array(userSchema) }) } },
      },
    },
  });
  const usernameParam = z.object({ username: z.string().trim().min(1).max(100) });
  const userChange = (action: 'disable' | 'enable') =>
    createRoute({
      method: 'post',
      path: `/v1/users/{username}/${action}`,
      summary:
        action === 'disable'
          ? 'Disable a console user: they cannot sign in and their sessions end at once'
          : 'Enable a disabled console user again',
      request: { params: usernameParam },
      responses: {
        200: { description: 'The user', content: { 'application/json': { schema: userSchema } } },
        ...notFound('user'),
        409: {
          description: 'An admin cannot disable themselves',
          content: { 'application/json': { schema: errorBodySchema } },
        },
        ...commonErrorResponses,
      },
    });

  app
    .openapi(listKeys, async (context) =>
      context.json({ keys: await credentials.listApiKeys() }, 200),
    )
    .openapi(createKey, async (context) => {
      const body = context.req.valid('json');
      if (body.role === 'integration' && !body.channels) {
        throw new InvalidError(
          "An integration key needs channels: the channels it may act for, or ['*'] for every channel.",
        );
      }
      if (body.role !== 'integration' && body.channels)
        throw new InvalidError('Only integration keys take channels.');
      let channels: string[] | undefined;
      try {
        channels = body.channels ? parseChannelList(body.channels.join(','), ',') : undefined;
      } catch (error) {
        if (error instanceof CredentialsError) throw new InvalidError(error.message);
        throw error;
      }
      const { key, id } = await credentials.createApiKeyWithId(
        body.name,
        body.role,
        channels,
        actorOf(context.get('principal')!),
      );
      return context.json({ ...(await credentials.apiKey(id))!, key }, 201);
    })
    .openapi(revokeKey, async (context) =>
      context.json(
        await credentials.revokeApiKey(
          context.req.valid('param').id,
          actorOf(context.get('principal')!),
        ),
        200,
      ),
    )
    .openapi(listUsers, async (context) =>
      context.json({ users: await credentials.listUsers() }, 200),
    )
    .openapi(userChange('disable'), async (context) => {
      const principal = context.get('principal')!;
      const { username } = context.req.valid('param');
      // Signing oneself out for good from the console is never what was meant.
      if (principal.kind === 'user' && principal.name === username)
        throw new ConflictError('You cannot disable yourself: ask another admin.');
      return context.json(
        await credentials.setUserEnabled(username, false, actorOf(principal)),
        200,
      );
    })
    .openapi(userChange('enable'), async (context) =>
      context.json(
        await credentials.setUserEnabled(
          context.req.valid('param').username,
          true,
          actorOf(context.get('principal')!),
        ),
        200,
      ),
    );
}
