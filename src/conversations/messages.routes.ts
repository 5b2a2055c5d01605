/**
 * `POST /v1/messages` (channel integrations) and `GET /v1/conversations/{id}`. An
 * integration key acts only for its own channels and reads conversations redacted.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { mayUseChannel, type Principal } from '../auth/roles.js';
import { commonErrorResponses, errorBodySchema, errorResponse } from '../http/errors.js';
import { requireJsonBody } from '../http/middleware.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import { conversationSchema } from '../tickets/ticket-contract.js';
import { inboundMessageSchema, messageOutcomeSchema } from './message-contract.js';

export function registerMessagesRoutes(app: ApiRouter, services: AppServices) {
  const receive = createRoute({
    method: 'post',
    path: '/v1/messages',
    summary: 'Receive a customer message from a channel',
    description:
      'The message is stored first, then triaged: an automatic answer (queued for the channel) or a hand-off ticket. Delivering the same (channel, externalMessageId) again returns the same outcome with `duplicate: true`.',
    middleware: [requireJsonBody()] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: inboundMessageSchema(services.config.MAX_TEXT_CHARS) },
        },
      },
    },
    responses: {
      200: {
        description: 'The outcome',
        content: { 'application/json': { schema: messageOutcomeSchema } },
      },
      403: {
        description: 'The API key may not post for this channel',
        content: { 'application/json': { schema: errorBodySchema } },
      },
      409: {
        description: 'The message id was used in another conversation',
        content: { 'application/json': { schema: errorBodySchema } },
      },
      503: {
        description: 'Stored, still being processed: deliver again',
        content: { 'application/json': { schema: errorBodySchema } },
      },
      ...commonErrorResponses,
    },
  });
  const conversation = createRoute({
    method: 'get',
    path: '/v1/conversations/{id}',
    summary: 'A conversation and its messages',
    description:
      "Integration keys see only their channels' conversations, with personal data (phones, ID numbers, addresses, names...) redacted.",
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
      404: {
        description: 'No such conversation',
        content: { 'application/json': { schema: errorBodySchema } },
      },
    },
  });
  app
    .openapi(receive, async (context) => {
      const message = context.req.valid('json');
      const principal = context.get('principal') as Principal;
      if (!mayUseChannel(principal, message.channel)) {
        return errorResponse(
          context,
          'forbidden',
          `This API key may post messages for the channels ${principal.channels!.join(', ')}, not "${message.channel}".`,
        ) as never;
      }
      return context.json(await services.intake.receive(message), 200);
    })
    .openapi(conversation, async (context) => {
      const principal = context.get('principal') as Principal;
      const options =
        principal.role === 'integration' ? { channels: principal.channels, redact: true } : {};
      return context.json(
        await services.conversations.get(context.req.valid('param').id, options),
        200,
      );
    });
}
