/**
 * `GET /metrics`: the service's Prometheus metrics in the text exposition format, read from
 * this service's own registry (admins only when credentials are required; see access-policy.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';

const route = createRoute({
  method: 'get',
  path: '/metrics',
  summary: 'Prometheus metrics',
  description:
    'Counters (messages received, decisions, LLM calls), the triage time histogram, outbox and open-ticket gauges, and process metrics, all prefixed `triage_`.',
  responses: {
    200: {
      description: 'The Prometheus text exposition format (version 0.0.4)',
      content: { 'text/plain': { schema: z.string() } },
    },
  },
});

export function registerMetricsRoutes(app: ApiRouter, services: Pick<AppServices, 'metrics'>) {
  app.openapi(route, async (context) => {
    const { registry } = services.metrics;
    return context.text(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });
}
