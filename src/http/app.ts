/**
 * Assembles the Hono app: request ids, limits, routes, the OpenAPI document and docs,
 * and the one error handler. Services are passed in, so tests build the same app.
 * Route files register on the router from router.ts and never import this file.
 */
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import { BusyError, DomainError } from '../errors/domain-errors.js';
import { domainErrorResponseCodes, errorResponse } from './errors.js';
import { registerDocsRoutes } from './docs.routes.js';
import { registerHealthRoutes } from './health.routes.js';
import { registerProbeRoutes } from './probes.routes.js';
import { isClientDisconnect } from './client-errors.js';
import { hardeningHeaders, limitBodySize } from './middleware.js';
import { refuseNulCharacters } from './nul-characters.js';
import { createOpenApiRouter } from './router.js';
import type { AppServices } from './services.js';
import { registerTriageRoutes } from '../triage/triage.routes.js';
import { registerKbRoutes } from '../kb/kb.routes.js';
import { registerKbEditorRoutes } from '../kb/kb-editor.routes.js';
import { authenticate } from '../auth/auth.middleware.js';
import { registerAuthRoutes } from '../auth/auth.routes.js';
import { registerConsoleRoutes } from '../console/console.routes.js';
import { registerMessagesRoutes } from '../conversations/messages.routes.js';
import { registerTicketsRoutes } from '../tickets/tickets.routes.js';
import { registerMetricsRoutes } from '../metrics/metrics.routes.js';
import { observeHttpRequests } from '../metrics/http-metrics.js';
import { registerKpiRoutes } from '../stats/kpi.routes.js';
import { registerAlertsRoutes } from '../alerts/alerts.routes.js';
import { registerApprovedAnswersRoutes } from '../approved-answers/approved-answers.routes.js';
import { registerNotificationsRoutes } from '../notifications/notifications.routes.js';
import { registerTeamsRoutes } from '../teams/teams.routes.js';
import { registerCustomersRoutes } from '../customers/customers.routes.js';
import { registerAccessAdminRoutes } from '../auth/access-admin.routes.js';

export function createApp(services: AppServices) {
  const app = createOpenApiRouter();
  const logger: Logger = services.logger;

  app.use('*', requestId({ headerName: 'x-request-id' }));
  // Outermost but for the request id: the time covers every middleware, sign-in included.
  app.use('*', observeHttpRequests(services.metrics));
  app.use('*', hardeningHeaders());
  app.use('*', async function logRequest(context, next) {
    const started = performance.now();
    await next();
    logger.debug(
      {
        requestId: context.get('requestId'),
        method: context.req.method,
        path: context.req.path,
        status: context.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  // Before sign-in: resolving a caller may read the database, and liveness must not wait on it.
  registerProbeRoutes(app, services);
  app.use('/v1/*', async (context, next) => {
    // Uploads carry documents; everything else is a small JSON body.
    const max = context.req.path.startsWith('/v1/kb/documents')
      ? services.config.MAX_UPLOAD_BYTES
      : services.config.MAX_BODY_BYTES;
    return limitBodySize(max)(context, next);
  });

  // Platforms' callbacks are bounded like API bodies; each adapter checks its own signature.
  app.use('/channels/*', limitBodySize(services.config.MAX_BODY_BYTES));

  app.use('*', authenticate(services.auth));
  // After the size limit (bodies under /v1/ are bounded) and sign-in (anonymous callers get 401 unread).
  app.use('*', refuseNulCharacters({ bodiesUnder: '/v1/' }));

  // In this order: the router matches routes in the order they were added.
  registerHealthRoutes(app, services);
  registerMetricsRoutes(app, services);
  registerAuthRoutes(app, services.auth);
  registerMessagesRoutes(app, services);
  registerTicketsRoutes(app, services);
  registerKpiRoutes(app, services);
  registerAlertsRoutes(app, services);
  registerApprovedAnswersRoutes(app, services);
  registerTeamsRoutes(app, services);
  registerNotificationsRoutes(app, services);
  registerConsoleRoutes(app);
  registerTriageRoutes(app, services);
  registerKbRoutes(app, services);
  registerKbEditorRoutes(app, services);
  registerCustomersRoutes(app, services);
  registerAccessAdminRoutes(app, services);
  registerDocsRoutes(app);
  // Configured channels' inbound routes under /channels/<name>/ (public in the access policy:
  // the platform's signature, checked by the adapter, is their credential).
  services.channelRegistry.mount(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key from API_KEYS or `triage keys create` (the console uses a session cookie instead)',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    security: [{ apiKey: [] }],
    info: {
      title: 'Triage service API',
      version: '1',
      description:
        'Classify customer messages, match them against the knowledge base, answer or hand off.',
    },
  });

  app.notFound((context) =>
    errorResponse(
      context,
      'not_found',
      `No route for ${context.req.method} ${context.req.path}. See /docs.`,
    ),
  );
  app.onError((error, context) => {
    if (error instanceof BusyError) context.header('Retry-After', String(error.retryAfterSeconds));
    if (error instanceof DomainError)
      return errorResponse(context, domainErrorResponseCodes[error.code], error.message);
    if (error instanceof HTTPException) {
      if (error.status === 400) {
        // hono's body parsers throw 400 for a malformed JSON or multipart body alike: say which.
        const multipart = (context.req.header('content-type') ?? '')
          .toLowerCase()
          .startsWith('multipart/');
        return multipart
          ? errorResponse(
              context,
              'validation_failed',
              `${error.message}. Send a valid multipart/form-data body with the file in the field "file".`,
            )
          : errorResponse(context, 'invalid_json', `${error.message}. Send a valid JSON object.`);
      }
      if (error.status === 413) return errorResponse(context, 'payload_too_large', error.message);
      if (error.status === 415)
        return errorResponse(context, 'unsupported_media_type', error.message);
    }
    if (isClientDisconnect(context, error)) {
      // Nobody is left to read an answer; not a fault of ours.
      logger.debug(
        { requestId: context.get('requestId'), path: context.req.path, reason: error.message },
        'client disconnected',
      );
      return errorResponse(
        context,
        'validation_failed',
        'The request did not arrive in full: the client closed the connection.',
      );
    }
    logger.error({ err: error, requestId: context.get('requestId') }, 'unhandled error');
    return errorResponse(
      context,
      'internal',
      'Something went wrong on our side; the request id identifies it in the logs.',
    );
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
