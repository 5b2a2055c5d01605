/** The alert API: unresolved alerts (the console banner), one alert with its tickets, acknowledge, resolve, bulk reply. */
import { createRoute, z } from '@hono/zod-openapi';
import { commonErrorResponses, errorBodySchema } from '../http/errors.js';
import { requireJsonBody } from '../http/middleware.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import {
  alertDetailSchema,
  alertReplyRequestSchema,
  alertReplyResultSchema,
  alertSchema,
  alertStatuses,
} from './alert-contract.js';

const errorResponses = {
  404: {
    description: 'No such alert',
    content: { 'application/json': { schema: errorBodySchema } },
  },
  409: {
    description: 'The alert is in the wrong state, or has no open ticket to answer',
    content: { 'application/json': { schema: errorBodySchema } },
  },
};
const params = z.object({ id: z.uuid() });

function statusRoute(action: 'acknowledge' | 'resolve', summary: string) {
  return createRoute({
    method: 'post',
    path: `/v1/alerts/{id}/${action}`,
    summary,
    request: { params },
    responses: {
      200: { description: 'The alert', content: { 'application/json': { schema: alertSchema } } },
      ...errorResponses,
    },
  });
}

export function registerAlertsRoutes(app: ApiRouter, services: Pick<AppServices, 'alerts'>) {
  const list = createRoute({
    method: 'get',
    path: '/v1/alerts',
    summary: 'Surge alerts, newest first (default: open and acknowledged)',
    request: {
      query: z.object({
        status: z
          .enum([...alertStatuses, 'active'])
          .optional()
          .openapi({ description: 'Default `active` (open and acknowledged)' }),
        limit: z.coerce.number().int().min(1).max(200).optional(),
      }),
    },
    responses: {
      200: {
        description: 'Alerts',
        content: { 'application/json': { schema: z.object({ alerts: z.array(alertSchema) }) } },
      },
      ...commonErrorResponses,
    },
  });
  const one = createRoute({
    method: 'get',
    path: '/v1/alerts/{id}',
    summary: 'An alert with the tickets grouped under it',
    request: { params },
    responses: {
      200: {
        description: 'The alert',
        content: { 'application/json': { schema: alertDetailSchema } },
      },
      ...errorResponses,
      ...commonErrorResponses,
    },
  });
  const acknowledge = statusRoute('acknowledge', 'Acknowledge an open alert (someone is on it)');
  const resolve = statusRoute(
    'resolve',
    'Resolve an alert (the banner goes; tickets stop joining)',
  );
  const reply = createRoute({
    method: 'post',
    path: '/v1/alerts/{id}/reply',
    summary: "One reviewed reply to the alert's tickets, each sent as that ticket's agent reply",
    middleware: [requireJsonBody()] as const,
    request: {
      params,
      body: {
        required: true,
        content: { 'application/json': { schema: alertReplyRequestSchema } },
      },
    },
    responses: {
      200: {
        description: 'Where the reply went',
        content: { 'application/json': { schema: alertReplyResultSchema } },
      },
      ...errorResponses,
      ...commonErrorResponses,
    },
  });

  app
    .openapi(list, async (context) =>
      context.json({ alerts: await services.alerts.list(context.req.valid('query')) }, 200),
    )
    .openapi(one, async (context) =>
      context.json(await services.alerts.get(context.req.valid('param').id), 200),
    )
    .openapi(acknowledge, async (context) =>
      context.json(
        await services.alerts.acknowledge(
          context.req.valid('param').id,
          context.get('principal')!.name,
        ),
        200,
      ),
    )
    .openapi(resolve, async (context) =>
      context.json(
        await services.alerts.resolve(
          context.req.valid('param').id,
          context.get('principal')!.name,
        ),
        200,
      ),
    )
    .openapi(reply, async (context) =>
      context.json(
        await services.alerts.reply(
          context.req.valid('param').id,
          context.req.valid('json'),
          context.get('principal')!.name,
        ),
        200,
      ),
    );
}
