/** `POST /v1/messages` (channel integrations) and `GET /v1/conversations/{id}`. */
import { createRoute, z } from '@hono/zod-openapi';
import { createOpenApiRouter } from '../http/app.js';
import { commonErrorResponses, errorBodySchema } from '../http/errors.js';
import { requireJsonBody } from '../http/middleware.js';
import type { AppServices } from '../http/services.js';
import { conversationSchema } from '../tickets/ticket-contract.js';
import { inboundMessageSchema, messageOutcomeSchema } from './message-contract.js';

export function messagesRoutes(services: AppServices) {
  const receive = createRoute({
    method: 'post',
    path: '/v1/messages',
    summary: 'Receive a customer message from a channel',
    description:
      'The message is stored first, then triaged: an automatic answer (queued for the channel) or a hand-off ticket. Delivering the same (channel, externalMessageId) again returns the same outcome with `duplicate: true`.',
    middleware: [requireJsonBody()] as const,
    request: { body: { required: true, content: { 'application/json': { schema: inboundMessageSchema(services.config.MAX_TEXT_CHARS) } } } },
    responses: {
      200: { description: 'The outcome', content: { 'application/json': { schema: messageOutcomeSchema } } },
      409: { description: 'The message id was used in another conversation', content: { 'application/json': { schema: errorBodySchema } } },
      503: { description: 'Stored, still being processed: deliver again', content: { 'application/json': { schema: errorBodySchema } } },
      ...commonErrorResponses,
    },
  });
  const conversation = createRoute({
    method: 'get',
    path: '/v1/conversations/{id}',
    summary: 'A conversation and its messages',
    request: { params: z.object({ id: z.uuid() }) },
    responses: {
      200: {
        description: 'The conversation',
        content: {
          'application/json': {
            schema: conversationSchema,
          },
        },
      },
      404: { description: 'No such conversation', content: { 'application/json': { schema: errorBodySchema } } },
    },
  });
  return createOpenApiRouter()
    .openapi(receive, async (context) => context.json(await services.intake.receive(context.req.valid('json')), 200))
    .openapi(conversation, async (context) => context.json(await services.conversations.get(context.req.valid('param').id), 200));
}
