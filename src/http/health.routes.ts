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
    auth: z.enum(['api_keys', 'open']).openapi({ description: '`open`: no API_KEYS, every caller acts as admin (development only)' }),
    outbox: z
      .object({ pending: z.number(), failed: z.number() })
      .optional()
      .openapi({ description: 'Replies waiting for delivery, and those given up on (see the audit log)' }),
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
    const auth = services.auth.open ? ('open' as const) : ('api_keys' as const);
    try {
      await sql`select 1`.execute(db);
      const [version, counts, outboxRows] = await Promise.all([
        schemaVersion(db),
        services.knowledgeBase.counts(),
        db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).where('status', 'in', ['pending', 'failed']).groupBy('status').execute(),
      ]);
      const outbox = { pending: 0, failed: 0 };
      for (const row of outboxRows) outbox[row.status as 'pending' | 'failed'] = Number(row.count);
      return context.json(
        { status: 'ok' as const, database: { ok: true, driver, schemaVersion: version }, modelProvider, knowledgeBase: counts, auth, outbox },
        200,
      );
    } catch (error) {
      services.logger.error({ err: error }, 'health check failed');
      return context.json(
        {
          status: 'degraded' as const,
          database: { ok: false, driver, schemaVersion: null, error: error instanceof Error ? error.message : String(error) },
          modelProvider,
          auth,
        },
        503,
      );
    }
  });
}
