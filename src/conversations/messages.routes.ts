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
import {
  inboundMessageSchema,
  messageAcceptedSchema,
  messageOutcomeSchema,
} from './message-contract.js';

export function registerMessagesRoutes(app: ApiRouter, services: AppServices) {
  const receive = createRoute({
    method: 'post',
    path: '/v1/messages',
    summary: 'Receive a customer message from a channel',
    description:
      'The message is stored and acknowledged (202); triage follows in the background: an automatic answer (delivered through the channel) or a hand-off ticket. With `wait`, the response waits up to that many seconds for the outcome (200). Delivering the same (channel, externalMessageId) again is recognised (`duplicate: true`) and returns the outcome once there is one. When too many messages are waiting, the message is not stored and the answer is 429 with Retry-After.',
    middleware: [requireJsonBody()] as const,
    request: {
      query: z.object({
        wait: z.coerce
          .number()
          .min(0)
          .max(services.config.INTAKE_MAX_WAIT_SECONDS)
          .optional()
          .openapi({
            description: `Seconds to wait for the outcome (at most ${services.config.INTAKE_MAX_WAIT_SECONDS}); 0 or absent: acknowledge once stored`,
            example: 10,
          }),
      }),
      body: {
        required: true,
        content: {
          'application/json': { schema: inboundMessageSchema(services.config.MAX_TEXT_CHARS) },
        },
      },
    },
    responses: {
      200: {
        description:
          'Triaged: the outcome (within `wait`, or a repeat delivery of a triaged message)',
        content: { 'application/json': { schema: messageOutcomeSchema } },
      },
      202: {
        description: 'Stored; triage follows in the background',
        content: { 'application/json': { schema: messageAcceptedSchema } },
      },
      403: {
        description: 'The API key may not post for this channel',
        content: { 'application/json': { schema: errorBodySchema } },
      },
      409: {
        description: 'The message id was used in another conversation',
        content: { 'application/json': { schema: errorBodySchema } },
      },
      429: {
        description:
          'Too many messages waiting: not stored; deliver again after Retry-After seconds',
        headers: z.object({ 'Retry-After': z.string() }),
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
      // A platform channel's messages come signed through /channels/<name>/: a reply to a
      // conversation id made up here would go out to that platform's real chat.
      if (services.channelRegistry.ownsChannel(message.channel)) {
        return errorResponse(
          context,
          'forbidden',
          `The channel "${message.channel}" is received through /channels/${message.channel}/ from its platform; post under another channel name.`,
        ) as never;
      }
      const wait = context.req.valid('query').wait ?? 0;
      const received = await services.intake.receive(message, { waitMs: wait * 1000 });
      return received.status === 'processed'
        ? context.json(received.outcome, 200)
        : context.json(received.accepted, 202);
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
