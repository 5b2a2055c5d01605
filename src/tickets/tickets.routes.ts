/** The agent API: the queue, a ticket, actions, the acceptance counts, the feedback export, the audit log. */
import { createRoute, z } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { auditEntries } from '../audit/audit-log.js';
import { feedbackRecords } from '../feedback/feedback-export.js';
import { commonErrorResponses, errorBodySchema } from '../http/errors.js';
import { requireJsonBody } from '../http/middleware.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import {
  actionCountsSchema,
  ticketActionSchema,
  ticketDetailSchema,
  ticketSchema,
  ticketStatuses,
} from './ticket-contract.js';

const errorResponses = {
  404: {
    description: 'No such ticket',
    content: { 'application/json': { schema: errorBodySchema } },
  },
  409: {
    description: 'The ticket changed since it was loaded, or is in the wrong state',
    content: { 'application/json': { schema: errorBodySchema } },
  },
};

export function registerTicketsRoutes(app: ApiRouter, services: AppServices) {
  const queue = createRoute({
    method: 'get',
    path: '/v1/tickets',
    summary: 'The queue: most urgent first, then nearest SLA breach',
    request: {
      query: z.object({
        status: z
          .enum([...ticketStatuses, 'active'])
          .optional()
          .openapi({ description: 'Default `active` (open and pending customer)' }),
        assignee: z.string().max(100).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
    },
    responses: {
      200: {
        description: 'Tickets',
        content: { 'application/json': { schema: z.object({ tickets: z.array(ticketSchema) }) } },
      },
      ...commonErrorResponses,
    },
  });
  const one = createRoute({
    method: 'get',
    path: '/v1/tickets/{id}',
    summary: 'A ticket with its conversation, triage explanation, evidence and history',
    request: { params: z.object({ id: z.uuid() }) },
    responses: {
      200: {
        description: 'The ticket',
        content: { 'application/json': { schema: ticketDetailSchema } },
      },
      ...errorResponses,
      ...commonErrorResponses,
    },
  });
  const act = createRoute({
    method: 'post',
    path: '/v1/tickets/{id}/actions',
    summary:
      'Accept, edit and send, reject, reassign, escalate, set pending, solve, close or reopen',
    middleware: [requireJsonBody()] as const,
    request: {
      params: z.object({ id: z.uuid() }),
      body: { required: true, content: { 'application/json': { schema: ticketActionSchema } } },
    },
    responses: {
      200: {
        description: 'The ticket after the action',
        content: { 'application/json': { schema: ticketSchema } },
      },
      ...errorResponses,
      ...commonErrorResponses,
    },
  });
  const counts = createRoute({
    method: 'get',
    path: '/v1/stats/agent-actions',
    summary: 'How many drafts agents accepted, edited and rejected',
    responses: {
      200: {
        description: 'Counts',
        content: { 'application/json': { schema: actionCountsSchema } },
      },
    },
  });
  const exportFeedback = createRoute({
    method: 'get',
    path: '/v1/feedback/export',
    summary:
      'Agent decisions on drafts as JSONL (one FeedbackRecord per line); customer text redacted',
    request: { query: z.object({ since: z.iso.datetime({ offset: true }).optional() }) },
    responses: {
      200: { description: 'JSONL', content: { 'application/x-ndjson': { schema: z.string() } } },
    },
  });
  const audit = createRoute({
    method: 'get',
    path: '/v1/audit',
    summary: 'The audit log of bot and agent actions, newest first',
    request: {
      query: z.object({
        subjectId: z.string().max(100).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
      }),
    },
    responses: {
      200: {
        description: 'Audit entries',
        content: {
          'application/json': {
            schema: z.object({
              entries: z.array(
                z.object({
                  at: z.string(),
                  actorType: z.string(),
                  actorId: z.string().nullable(),
                  action: z.string(),
                  subjectType: z.string(),
                  subjectId: z.string().nullable(),
                  details: z.unknown(),
                }),
              ),
            }),
          },
        },
      },
    },
  });

  app
    .openapi(queue, async (context) =>
      context.json({ tickets: await services.tickets.queue(context.req.valid('query')) }, 200),
    )
    .openapi(one, async (context) =>
      context.json(await services.tickets.get(context.req.valid('param').id), 200),
    )
    .openapi(act, async (context) => {
      const principal = context.get('principal')!;
      return context.json(
        await services.tickets.act(
          context.req.valid('param').id,
          context.req.valid('json'),
          principal.name,
        ),
        200,
      );
    })
    .openapi(counts, async (context) => context.json(await services.tickets.actionCounts(), 200))
    .openapi(exportFeedback, (context) => {
      const since = context.req.valid('query').since;
      context.header('content-type', 'application/x-ndjson; charset=utf-8');
      context.header('content-disposition', 'attachment; filename="feedback.jsonl"');
      return stream(context, async (out) => {
        for await (const record of feedbackRecords(services.database.db, {
          since: since ? new Date(since) : undefined,
        })) {
          await out.write(`${JSON.stringify(record)}\n`);
        }
      }) as never;
    })
    .openapi(audit, async (context) => {
      return context.json(
        { entries: await auditEntries(services.database.db, context.req.valid('query')) },
        200,
      );
    });
}
