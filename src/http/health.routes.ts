/** `GET /healthz`: database reachable, schema version, model provider. */
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { schemaVersion } from '../db/migrate.js';
import { createOpenApiRouter } from './app.js';
import type { AppServices } from './services.js';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.object({ ok: z.boolean(), driver: z.string(), schemaVersion: z.string().nullable(), error: z.string().optional() }),
    modelProvider: z.object({
      name: z.string(),
      classifier: z.string(),
      embedder: z.string(),
      triaged: z.number().openapi({ description: 'Messages triaged by this process' }),
      llmCalls: z.number().openapi({ description: 'Of those, how many asked the LLM (cascade: the share it was unsure)' }),
    }),
    knowledgeBase: z.object({ documents: z.number(), chunks: z.number() }).optional(),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Service health',
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: healthSchema } } },
    503: { description: 'Database unreachable', content: { 'application/json': { schema: healthSchema } } },
  },
});

export function healthRoutes(services: AppServices) {
  return createOpenApiRouter().openapi(route, async (context) => {
    const { db, driver } = services.database;
    const modelProvider = services.triage.describe();
    try {
      await sql`select 1`.execute(db);
      const [version, counts] = await Promise.all([schemaVersion(db), services.knowledgeBase.counts()]);
      return context.json(
        { status: 'ok' as const, database: { ok: true, driver, schemaVersion: version }, modelProvider, knowledgeBase: counts },
        200,
      );
    } catch (error) {
      services.logger.error({ err: error }, 'health check failed');
      return context.json(
        {
          status: 'degraded' as const,
          database: { ok: false, driver, schemaVersion: null, error: error instanceof Error ? error.message : String(error) },
          modelProvider,
        },
        503,
      );
    }
  });
}
