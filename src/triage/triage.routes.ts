/** `POST /v1/triage`: runs the pipeline on one text without storing anything. */
import { createRoute } from '@hono/zod-openapi';
import { commonErrorResponses } from '../http/errors.js';
import { requireJsonBody } from '../http/middleware.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import { triageRequestSchema, triageResultSchema } from './triage.js';

export function registerTriageRoutes(app: ApiRouter, services: AppServices) {
  const route = createRoute({
    method: 'post',
    path: '/v1/triage',
    summary: 'Triage one customer message',
    description:
      'Classifies the text, scores urgency, matches the knowledge base and decides between an automatic answer and a hand-off. Nothing is stored.',
    middleware: [requireJsonBody()] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: triageRequestSchema(services.config.MAX_TEXT_CHARS) },
        },
      },
    },
    responses: {
      200: {
        description: 'The triage result',
        content: { 'application/json': { schema: triageResultSchema } },
      },
      ...commonErrorResponses,
    },
  });
  app.openapi(route, async (context) => {
    const request = context.req.valid('json');
    const result = await services.triage.triage(request);
    services.metrics.decisionMade('triage_api', result);
    return context.json(result, 200);
  });
}
