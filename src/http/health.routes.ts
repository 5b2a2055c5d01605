/**
 * `GET /healthz`: database reachable, schema version, model provider. Anonymous callers get
 * the status only; the internals go to an authenticated caller (or anyone while the API is open).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { authModeSchema } from '../auth/auth-mode.js';
import { checkDatabase, databaseHealthSchema } from '../db/health-check.js';
import { circuitSnapshotSchema } from '../models/openai/circuit-breaker.js';
import { providerHealthSchema } from '../models/openai/provider-guard.js';
import { schemaVersion } from '../db/migrate.js';
import { outboxBacklog } from '../outbox/outbox.repository.js';
import type { ApiRouter } from './router.js';
import type { AppServices } from './services.js';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    database: z
      .object({
        ok: z.boolean(),
        driver: z.string(),
        schemaVersion: z.string().nullable(),
        error: z.string().optional(),
      })
      .optional(),
    modelProvider: z
      .object({
        name: z.string(),
        classifier: z.string(),
        embedder: z.string(),
        triaged: z.number().openapi({ description: 'Messages triaged by this process' }),
        llmCalls: z.number().openapi({
          description: 'Of those, how many asked the LLM (cascade: the share it was unsure)',
        }),
        llm: providerHealthSchema
          .extend({
            circuit: circuitSnapshotSchema.extend({
              // A fresh schema: zod-openapi's .openapi() is missing on schemas built before it loaded (the CLI's import order).
              retryAt: z
                .string()
                .nullable()
                .openapi({ description: 'When an open circuit lets one trial call through' }),
            }),
          })
          .optional()
          .openapi({
            description:
              'openai and cascade: the response format in use and the circuit breaker (open: messages are handed off without calling the LLM)',
          }),
      })
      .optional(),
    knowledgeBase: databaseHealthSchema.optional(),
    auth: authModeSchema.optional().openapi({
      description:
        '`open`: every caller acts as admin (no API key yet, or AUTH_MODE=open; development only)',
    }),
    outbox: z.object({ pending: z.number(), failed: z.number() }).optional().openapi({
      description: 'Replies waiting for delivery, and those given up on (see the audit log)',
    }),
  })
  .openapi('Health', {
    description: 'Without credentials only `status` (everything while the API is open)',
  });

const route = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Service health',
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: healthSchema } } },
    503: {
      description:
        'The database cannot be reached or does not answer correctly (a key table unreadable, counts that disagree)',
      content: { 'application/json': { schema: healthSchema } },
    },
  },
});

export function registerHealthRoutes(app: ApiRouter, services: AppServices) {
  app.openapi(route, async (context) => {
    const { db, driver } = services.database;
    const modelProvider = services.triage.describe();
    // A database that cannot answer hides the internals too.
    const auth = await services.auth.mode.current().catch(() => 'required' as const);
    const internals = auth === 'open' || context.get('principal') !== undefined;
    try {
      // Reads every key table and cross-checks two counts: `select 1` passed on a corrupted folder.
      const [version, counts, outbox] = await Promise.all([
        schemaVersion(db),
        checkDatabase(db),
        outboxBacklog(db),
      ]);
      return context.json(
        internals
          ? {
              status: 'ok' as const,
              database: { ok: true, driver, schemaVersion: version },
              modelProvider,
              knowledgeBase: counts,
              auth,
              outbox,
            }
          : { status: 'ok' as const },
        200,
      );
    } catch (error) {
      services.logger.error({ err: error }, 'health check failed');
      return context.json(
        internals
          ? {
              status: 'unavailable' as const,
              database: {
                ok: false,
                driver,
                schemaVersion: null,
                error: error instanceof Error ? error.message : String(error),
              },
              modelProvider,
              auth,
            }
          : { status: 'unavailable' as const },
        503,
      );
    }
  });
}
