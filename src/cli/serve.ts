/** `triage serve`: start everything and listen on PORT. */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Config } from '../config/env.js';
import { createApp } from '../http/app.js';
import { answerClientErrors } from '../http/client-errors.js';
import { createLogger, startService } from '../service.js';
import { startupProgress } from './progress.js';

export async function serveCommand(config: Config): Promise<void> {
  const started = performance.now();
  const logger = createLogger(config);
  // Stages on stderr: live on a terminal, one log line each otherwise (the knowledge base's
  // changes among them).
  const progress = startupProgress({ logger });
  const service = await startService(config, {
    logger,
    onStage: progress.stage,
    onIngestProgress: progress.ingest,
  }).finally(progress.stop);
  if ((await service.auth.mode.current()) === 'open') {
    service.logger.warn(
      service.auth.mode.setting === 'open'
        ? 'AUTH_MODE=open: the API is open, every caller acts as admin (development only; production refuses this)'
        : 'no API key yet: the API is open, every caller acts as admin, until the first `npx triage keys create` or API_KEYS entry (production never serves it open)',
    );
  }
  // Replies waiting in the outbox go out, and messages stored but not triaged (by a crash, or by
  // another instance) are picked up by the intake's workers.
  service.outbox.start();
  // Surges of one category, entry or carrier raise alerts (SURGE_CHECK_INTERVAL_SECONDS=0: never).
  service.surgeDetector.start();
  // Tickets near or past an SLA due time move up their escalation path (ESCALATION_CHECK_INTERVAL_SECONDS=0: never).
  service.escalation.start();
  // Text past RETENTION_DAYS is redacted hourly (nothing happens while it is unset).
  service.retention.start();
  // The embedded data folder is locked to this process: claims left in it are a dead run's.
  await service.intake.start({ sole: service.database.driver === 'pglite' });
  await service.channelRegistry.start();
  // Uploads and deletes made through other instances on the same database reach this one.
  await service.knowledgeSync.start();
  const app = createApp({ ...service });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    const base = `http://localhost:${info.port}`;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      [
        `triage service ready in ${seconds} s (database: ${service.database.driver} ${service.database.location}, provider: ${service.triage.describe().name})`,
        `  health   ${base}/healthz`,
        `  API docs ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
        `  console  ${base}/console/`,
        `  try:     curl -s ${base}/v1/triage -H 'content-type: application/json' -d '{"text":"快递三天了还没到"}'`,
      ].join('\n'),
    );
  });
  // Keep connections from channel workers and proxies open longer than their idle timeouts
  // (60 s on common load balancers): Node's 5 s default closes sockets a busy client is about
  // to reuse, and that client sees ECONNRESET.
  const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  answerClientErrors(server as unknown as Server, service.logger);
  // systemd, Docker and PM2 stop a service with SIGTERM, a terminal with SIGINT: stop taking
  // connections, let requests in flight finish, stop the outbox, close the database, exit 0.
  // A stop never hangs: after 10 s, or on a second signal, exit 1 with what is left.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      service.logger.warn({ signal }, 'second signal: stopping now');
      process.exit(1);
    }
    stopping = true;
    // /readyz answers 503 from now on, so a load balancer stops sending requests here.
    service.lifecycle.markStopping();
    service.logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      service.logger.warn('still busy 10 s after the stop signal: exiting anyway');
      process.exit(1);
    }, 10_000).unref();
    // Node's close() also drops idle keep-alive sockets; the callback runs when requests end.
    server.close(() =>
      service.close().then(
        () => {
          service.logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          service.logger.error({ err: error }, 'closing the service failed');
          process.exit(1);
        },
      ),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
