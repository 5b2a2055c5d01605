/** Admin routes for one customer's data: the export of everything stored, and the erase. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Principal } from '../auth/roles.js';
import { commonErrorResponses, errorBodySchema } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import { customerExportSchema, eraseReportSchema } from './customer-export.js';
import type { AuditActor } from './customer.service.js';

const params = z.object({
  id: z.string().trim().min(1).max(200).openapi({ description: "The channel's customer id" }),
});
const query = z.object({
  channel: z.string().trim().min(1).max(64).optional().openapi({
    description:
      'The channel the id belongs to; required when the same id is used on several channels',
  }),
});
const errors = {
  404: {
    description: 'Nothing is stored about this customer',
    content: { 'application/json': { schema: errorBodySchema } },
  },
  409: {
    description: 'The id is used on several channels: name one with `channel`',
    content: { 'application/json': { schema: errorBodySchema } },
  },
};

/** The audit log's actor for a request: the key's or user's name. */
const actorOf = (principal: Principal): AuditActor => ({
  actorType: 'agent',
  actorId: principal.name,
});

export function registerCustomersRoutes(app: ApiRouter, services: AppServices) {
  const exportRoute = createRoute({
    method: 'get',
    path: '/v1/customers/{id}/export',
    summary: 'Everything stored about a customer, as JSON (recorded in the audit log)',
    request: { params, query },
    responses: {
      200: {
        description: 'The export',
        content: { 'application/json': { schema: customerExportSchema } },
      },
      ...errors,
      ...commonErrorResponses,
    },
  });
  const eraseRoute = createRoute({
    method: 'delete',
    path: '/v1/customers/{id}',
    summary:
      'Erase a customer: their conversations, messages, triage results, tickets, drafts, agent actions, deliveries and audit entries about them',
    description:
      'Recorded in the audit log under a keyed hash of the customer id (`subjectId` in the answer), never the id itself.',
    request: { params, query },
    responses: {
      200: {
        description: 'What was erased',
        content: { 'application/json': { schema: eraseReportSchema } },
      },
      ...errors,
      ...commonErrorResponses,
    },
  });

  app
    .openapi(exportRoute, async (context) => {
      const { id } = context.req.valid('param');
      const { channel } = context.req.valid('query');
      const exported = await services.customers.export(
        { customerId: id, channel },
        actorOf(context.get('principal')!),
      );
      context.header('content-disposition', 'attachment; filename="customer-export.json"');
      return context.json(exported, 200);
    })
    .openapi(eraseRoute, async (context) => {
      const { id } = context.req.valid('param');
      const { channel } = context.req.valid('query');
      return context.json(
        await services.customers.erase(
          { customerId: id, channel },
          actorOf(context.get('principal')!),
        ),
        200,
      );
    });
}
