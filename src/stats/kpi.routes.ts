/** `GET /v1/stats/kpis`: the desk's KPIs for a range, each with its definition. */
import { createRoute } from '@hono/zod-openapi';
import { commonErrorResponses } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import { kpiQuerySchema, kpiReportSchema } from './kpi-contract.js';

export function registerKpiRoutes(app: ApiRouter, services: Pick<AppServices, 'kpis'>) {
  const kpis = createRoute({
    method: 'get',
    path: '/v1/stats/kpis',
    summary:
      'KPIs for a range: automatic answers, resolution, hand-offs and reasons, first response, SLA, first-contact resolution, repeat contact, drafts, CSAT, LLM use',
    description:
      'Every figure is computed from stored messages, triage results, tickets, agent actions and surveys when asked, and comes with its numerator, denominator, items still pending and its definition.',
    request: { query: kpiQuerySchema },
    responses: {
      200: {
        description: 'The report',
        content: { 'application/json': { schema: kpiReportSchema } },
      },
      ...commonErrorResponses,
    },
  });
  app.openapi(kpis, async (context) =>
    context.json(await services.kpis.report(context.req.valid('query')), 200),
  );
}
