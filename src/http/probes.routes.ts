/**
 * `GET /livez` and `GET /readyz`, the probes of orchestrators and load balancers (Kubernetes,
 * compose health checks). Liveness says the process still answers, and nothing else: it never
 * waits on the database, so a slow database does not get healthy instances restarted.
 * Readiness says this instance should get traffic: start-up finished, not shutting down, and
 * the database answers correctly (the same probe as /healthz).
 * app.ts registers these before sign-in, which may read the database to resolve a caller.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { checkDatabase } from '../db/health-check.js';
import type { ApiRouter } from './router.js';
import type { AppServices } from './services.js';

export const livenessPath = '/livez';
export const readinessPath = '/readyz';

/** Past this the database counts as not answering: a probe must answer before its own timeout. */
export const readinessDatabaseTimeoutMs = 2_000;

const livenessSchema = z.object({ status: z.literal('ok') }).openapi('Liveness');

const notReadyReasonSchema = z.enum(['starting', 'stopping', 'database']);
type NotReadyReason = z.infer<typeof notReadyReasonSchema>;

const readinessSchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    reason: notReadyReasonSchema.optional().openapi({
      description:
        '`starting`: models or the knowledge base are still loading; `stopping`: shutting down; `database`: the database did not answer correctly in time (details in the log and, for staff, /healthz)',
    }),
    message: z.string().optional(),
  })
  .openapi('Readiness');

const livenessRoute = createRoute({
  method: 'get',
  path: livenessPath,
  summary: 'Liveness probe',
  description: 'Always 200 while the process serves HTTP; reads nothing.',
  responses: {
    200: {
      description: 'The process answers',
      content: { 'application/json': { schema: livenessSchema } },
    },
  },
});

const readinessRoute = createRoute({
  method: 'get',
  path: readinessPath,
  summary: 'Readiness probe',
  description:
    'Whether this instance should receive traffic: start-up finished (models trained or loaded, knowledge base loaded), not shutting down, and the database answers correctly.',
  responses: {
    200: {
      description: 'Ready for traffic',
      content: { 'application/json': { schema: readinessSchema } },
    },
    503: {
      description: 'Not ready, with the reason',
      content: { 'application/json': { schema: readinessSchema } },
    },
  },
});

const messages: Record<NotReadyReason, string> = {
  starting: 'Start-up has not finished (models and knowledge base loading).',
  stopping: 'The service is shutting down.',
  database: 'The database did not answer correctly.',
};

class ProbeTimeoutError extends Error {
  override name = 'ProbeTimeoutError';
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProbeTimeoutError(`no answer from the database within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerProbeRoutes(
  app: ApiRouter,
  services: Pick<AppServices, 'database' | 'lifecycle' | 'logger'>,
) {
  app.openapi(livenessRoute, (context) => context.json({ status: 'ok' as const }, 200));

  app.openapi(readinessRoute, async (context) => {
    const notReady = (reason: NotReadyReason) =>
      context.json({ status: 'unavailable' as const, reason, message: messages[reason] }, 503);
    const state = services.lifecycle.state;
    if (state !== 'ready') return notReady(state);
    try {
      await withTimeout(checkDatabase(services.database.db), readinessDatabaseTimeoutMs);
    } catch (error) {
      services.logger.warn({ err: error }, 'readiness: database check failed');
      return notReady('database');
    }
    // A stop may have begun while the database answered.
    if (services.lifecycle.state !== 'ready') return notReady(services.lifecycle.state);
    return context.json({ status: 'ready' as const }, 200);
  });
}
