/**
 * Builds the whole service from configuration: database (migrated), taxonomy, models,
 * knowledge base (ingested when new or changed), triage engine. The server, the CLI
 * and the tests all start here.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from './config/env.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import {
  createKnowledgeBase,
  type IngestProgress,
  type IngestReport,
  KNOWLEDGE_BASE_SOURCE,
  type KnowledgeBase,
} from './kb/kb.service.js';
import { selfCalibratingScorer } from './kb/calibration.js';
import { fixedEmbedderSource, localEmbedderSource } from './models/embedder-source.js';
import {
  defaultProviderRuntime,
  OpenAiEmbedder,
  OpenAiTriageModel,
} from './models/openai/index.js';
import { createExamplesIndex } from './triage/examples-index.js';
import { categoryExamples } from './triage/taxonomy.js';
import { createModelCache, modelCacheDirectory } from './models/cache/model-cache.js';
import { cachedLocalTriageModels } from './models/local/local-models.js';
import {
  type AnswerabilityModel,
  cachedAnswerabilityModel,
  loadAnswerabilityFile,
} from './triage/answerability.js';
import { createKnowledgeBaseSync, type KnowledgeBaseSync } from './kb/kb-sync.js';
import { createTriageEngine, type LlmProvider, type TriageEngine } from './triage/engine.js';
import { loadTaxonomy, type Taxonomy } from './triage/taxonomy.js';
import type { AuthSettings } from './auth/auth.middleware.js';
import { createAuthSettings } from './auth/auth-settings.js';
import { createCredentialStore, type CredentialStore, parseApiKeys } from './auth/credentials.js';
import type { ChannelDirectory } from './channels/channel.js';
import { type ChannelRegistry, createChannelRegistry } from './channels/registry.js';
import {
  createConversationReader,
  type ConversationReader,
} from './conversations/conversation.reader.js';
import { createMessageIntake, type MessageIntake } from './conversations/message-intake.js';
import { createCsatSurveys } from './csat/csat-surveys.js';
import { createKpiService, type KpiService } from './stats/kpi.service.js';
import { createServiceMetrics, type ServiceMetrics } from './metrics/metrics.js';
import { createServiceLifecycle, type ServiceLifecycle } from './service-lifecycle.js';
import type { StartStage, StartStageName } from './service-stages.js';
import { createOutboxWorker, type OutboxWorker } from './outbox/outbox.js';
import { createAlertService, type AlertService } from './alerts/alert.service.js';
import { createAlertNotifier } from './alerts/alert-webhook.js';
import { createSurgeDetector, type SurgeDetector } from './alerts/surge-detector.js';
import { surgeSettings } from './alerts/surge-settings.js';
import { createRetentionWorker, type RetentionWorker } from './retention/retention.js';
import { createCustomerService, type CustomerService } from './customers/customer.service.js';
import { loadServiceHours, type ServiceHours } from './sla/service-hours.js';
import { createEscalationJob, type EscalationJob } from './escalation/escalation-job.js';
import { createEscalationWebhook } from './escalation/escalation-webhook.js';
import {
  createNotificationService,
  type NotificationService,
} from './notifications/notification.service.js';
import { createTeamDirectory, type TeamDirectory } from './teams/team-directory.js';
import { loadTeams } from './teams/teams.js';
import { createTicketService, type TicketService } from './tickets/ticket.service.js';
import {
  type ApprovedAnswerService,
  createApprovedAnswerService,
} from './approved-answers/approved-answer.service.js';
import { type Clock, systemClock } from './time/clock.js';

export interface Service {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  taxonomy: Taxonomy;
  knowledgeBase: KnowledgeBase;
  triage: TriageEngine;
  ingestReport?: IngestReport;
  timings: Record<string, number>;
  clock: Clock;
  serviceHours: ServiceHours;
  channels: ChannelDirectory;
  /** The configured channels: their routes, senders and background work. */
  channelRegistry: ChannelRegistry;
  intake: MessageIntake;
  tickets: TicketService;
  /** The desk's KPIs for any range, computed from stored events. */
  kpis: KpiService;
  conversations: ConversationReader;
  credentials: CredentialStore;
  auth: AuthSettings;
  outbox: OutboxWorker;
  /** Surge alerts: list, acknowledge, resolve, one reply to all their tickets. */
  alerts: AlertService;
  /** Looks for surges every SURGE_CHECK_INTERVAL_SECONDS (started by `serve`). */
  surgeDetector: SurgeDetector;
  /** Candidate answers from agents' replies, their review, and the lookup triage asks. */
  approvedAnswers: ApprovedAnswerService;
  /** knowledge-base/teams.yaml: routing of new tickets and the escalation path. */
  teams: TeamDirectory;
  /** Raises tickets as SLA due times near and pass, every ESCALATION_CHECK_INTERVAL_SECONDS (started by `serve`). */
  escalation: EscalationJob;
  /** The signed-in person's notifications (escalations). */
  staffNotifications: NotificationService;
  /** Redacts text past RETENTION_DAYS (started by `serve`). */
  retention: RetentionWorker;
  /** One customer's data: export and erase. */
  customers: CustomerService;
  metrics: ServiceMetrics;
  /** Follows knowledge-base changes other instances make (started by `serve`). */
  knowledgeSync: KnowledgeBaseSync;
  /** starting, ready, stopping: what `GET /readyz` answers from. */
  lifecycle: ServiceLifecycle;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Ingest knowledge-base/ on start (only changed files are re-read). Default true. */
  ingest?: boolean;
  onIngestProgress?: (progress: IngestProgress) => void;
  /** Hears each stage start and finish (the `serve` command shows them). */
  onStage?: (stage: StartStage) => void;
  logger?: Logger;
  /** An already open database (tests pass one made from a snapshot). */
  database?: DatabaseHandle;
  clock?: Clock;
  /** Which sender delivers a channel's replies (tests pass their own); default: the registry's. */
  channels?: ChannelDirectory;
}

/** API keys from configuration, and a console admin on first start so someone can sign in. */
async function bootstrapCredentials(credentials: CredentialStore, config: Config, logger: Logger) {
  const revoked = await credentials.registerApiKeys(parseApiKeys(config.API_KEYS));
  for (const name of revoked)
    logger.warn({ key: name }, 'API_KEYS lists a revoked key: it stays revoked (remove the entry)');
  if (config.ADMIN_PASSWORD) {
    await credentials.upsertUser({
      username: 'admin',
      password: config.ADMIN_PASSWORD,
      role: 'admin',
    });
  } else if (!(await credentials.hasUsers())) {
    const password = randomBytes(12).toString('base64url');
    await credentials.upsertUser({ username: 'admin', password, role: 'admin' });
    if (config.dataDir.startsWith('memory://')) {
      // A throwaway database (tests, evals): nobody signs in later unless it is served.
      logger.info(
        { username: 'admin', password },
        'console user created (in-memory database; set ADMIN_PASSWORD to choose it)',
      );
    } else {
      const file = join(config.dataDir, 'initial-admin-password');
      await writeFile(file, `${password}\n`, { mode: 0o600 });
      logger.warn(
        { username: 'admin', passwordFile: file },
        'console user created; its password is in the file (set ADMIN_PASSWORD to choose it)',
      );
    }
  }
}

function openAiOptions(config: Config) {
  return {
    // Self-hosted servers (Ollama, vLLM) need no key; the SDK still wants a string.
    apiKey: config.OPENAI_API_KEY ?? 'not-needed',
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    chatModel: config.OPENAI_CHAT_MODEL,
    embeddingModel: config.OPENAI_EMBEDDING_MODEL,
    embeddingDimension: config.OPENAI_EMBEDDING_DIMENSION,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
  };
}

/** How the database stage starts: a new data folder is created (initdb), an existing one opened. */
function databaseOpening(config: Config): string {
  if (config.DATABASE_URL) return 'connecting';
  if (config.dataDir.startsWith('memory://')) return 'memory';
  return existsSync(join(config.dataDir, 'pgdata', 'PG_VERSION')) ? 'opening' : 'creating';
}

export function createLogger(config: Config): Logger {
  // Logs go to stderr so that CLI output on stdout stays machine-readable.
  return pino({ level: config.LOG_LEVEL, base: undefined }, pino.destination(2));
}

export async function startService(config: Config, options: StartOptions = {}): Promise<Service> {
  const logger = options.logger ?? createLogger(config);
  const lifecycle = createServiceLifecycle();
  const timings: Record<string, number> = {};
  const time = async <T>(
    stage: StartStageName,
    work: () => Promise<T> | T,
    detail: { start?: string; done?: (result: T) => string } = {},
  ): Promise<T> => {
    const started = performance.now();
    options.onStage?.({ stage, state: 'start', detail: detail.start });
    const result = await work();
    timings[stage] = Math.round(performance.now() - started);
    options.onStage?.({ stage, state: 'done', ms: timings[stage], detail: detail.done?.(result) });
    return result;
  };

  // The triage models need no database: they load from the model cache, or train on a training
  // thread, while the database is created or opened and migrated.
  const taxonomy = await loadTaxonomy(join(config.knowledgeBaseDir, 'taxonomy.yaml'));
  // Trained models are kept in the model cache, keyed by what they were trained from.
  const modelCache = createModelCache(modelCacheDirectory(config), logger);
  const localModels = cachedLocalTriageModels(modelCache, taxonomy, {
    sentiment: join(config.knowledgeBaseDir, 'sentiment.yaml'),
    // Optional: without hazards.yaml, emergencies are found by the signal lexicon alone.
    ...(existsSync(join(config.knowledgeBaseDir, 'hazards.yaml'))
      ? { hazards: join(config.knowledgeBaseDir, 'hazards.yaml') }
      : {}),
  });
  // Awaited after the database; should opening it fail first, this failure is not the news.
  localModels.catch(() => undefined);

  const opening = databaseOpening(config);
  const database =
    options.database ??
    (await time(
      'database',
      () => openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir }),
      { start: opening, done: () => opening },
    ));
  try {
    const applied = await time('migrate', () => migrateToLatest(database.db), {
      done: (names) => String(names.length),
    });
    if (applied.length) logger.info({ applied }, 'migrations applied');

    // Timed from here: what the models added to the start beyond the database's time.
    const models = await time('models', () => localModels, {
      done: ({ source }) => source,
    }).then(({ model }) => model);

    // Set once the models that follow the documents exist (below).
    let knowledgeChanged = async (): Promise<void> => {};
    const knowledgeBase = createKnowledgeBase({
      db: database.db,
      embedders: config.OPENAI_EMBEDDING_MODEL
        ? fixedEmbedderSource(new OpenAiEmbedder(openAiOptions(config)))
        : localEmbedderSource(),
      scorer: selfCalibratingScorer({ db: database.db }),
      logger,
      maxFileBytes: config.MAX_UPLOAD_BYTES,
      categories: taxonomy.categories.map((category) => category.key),
      modelCache,
      onChange: () => knowledgeChanged(),
    });
    let ingestReport: IngestReport | undefined;
    if (options.ingest ?? true) {
      // The sync owns the knowledge-base folder's documents only: uploads and other folders stay.
      ingestReport = await time(
        'ingest',
        // Instances starting together on one server take turns: the second finds it all unchanged.
        () =>
          database.exclusive('triage:knowledge-base-sync', () =>
            knowledgeBase.ingestDirectory(config.knowledgeBaseDir, {
              source: KNOWLEDGE_BASE_SOURCE,
              prune: true,
              onProgress: options.onIngestProgress,
            }),
          ),
        {
          done: (report) =>
            `${report.added.length} added, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.removed.length} removed, ${report.failed.length} failed`,
        },
      );
      for (const failure of ingestReport.failed)
        logger.warn({ path: failure.path, code: failure.code }, failure.message);
      for (const held of ingestReport.held) {
        logger.warn(
          { id: held.id, path: held.sourcePath, reasons: held.reasons },
          `${held.sourcePath} held for review (not searchable): approve with triage kb approve ${held.id} or POST /v1/kb/documents/${held.id}/approve`,
        );
      }
    }
    await time('retrieval', () => knowledgeBase.ready());
    // Whether the matched entry answers the message: the knowledge base's own questions against
    // knowledge-base/answerability.yaml (optional; without it retrieval alone decides).
    const answerabilityPath = join(config.knowledgeBaseDir, 'answerability.yaml');
    const questions = (await knowledgeBase.paraphrases()).map((paraphrase) => ({
      entryId: paraphrase.entryId,
      question: paraphrase.question,
    }));
    // A knowledge base without FAQ entries has nothing to judge (and nothing to answer from).
    const initialAnswerability =
      existsSync(answerabilityPath) && questions.length > 0
        ? await time(
            'answerability',
            async () =>
              cachedAnswerabilityModel(
                modelCache,
                questions,
                await loadAnswerabilityFile(answerabilityPath),
              ),
            { done: ({ source }) => source },
          ).then(({ model }) => model)
        : undefined;
    // The engine asks through this holder, so a knowledge-base change (an upload or approval here,
    // any change on another instance) retrains it without restarting the engine.
    const answerabilityHolder = { current: initialAnswerability };
    const answerability: AnswerabilityModel | undefined = initialAnswerability && {
      assess: (text, entryId) => answerabilityHolder.current!.assess(text, entryId),
      get limit() {
        return answerabilityHolder.current!.limit;
      },
      toJSON: () => answerabilityHolder.current!.toJSON(),
    };
    const retrainAnswerability = async () => {
      if (!answerability) return;
      const paraphrases = await knowledgeBase.paraphrases();
      if (paraphrases.length === 0) return;
      answerabilityHolder.current = (
        await cachedAnswerabilityModel(
          modelCache,
          paraphrases.map(({ entryId, question }) => ({ entryId, question })),
          await loadAnswerabilityFile(answerabilityPath),
        )
      ).model;
    };
    const knowledgeSync = createKnowledgeBaseSync({
      db: database.db,
      logger,
      refresh: async () => {
        await knowledgeBase.refresh();
        await retrainAnswerability();
      },
      ...(database.driver === 'pg' ? { notifications: database.notifications } : {}),
    });
    knowledgeChanged = async () => {
      await retrainAnswerability();
      // This instance is up to date; the others hear of it now rather than at their next check.
      await knowledgeSync.acknowledge();
      await knowledgeSync.announce();
    };

    const llm: LlmProvider | undefined =
      config.provider === 'local'
        ? undefined
        : {
            model: new OpenAiTriageModel(
              {
                ...openAiOptions(config),
                promptsDir: config.promptsDir,
                structuredOutput: config.OPENAI_RESPONSE_FORMAT,
                breakerFailures: config.OPENAI_BREAKER_FAILURES,
                breakerCooldownMs: config.OPENAI_BREAKER_COOLDOWN_MS,
              },
              // The breaker's cool-down runs on the service clock (tests move it).
              { ...defaultProviderRuntime, clock: options.clock ?? systemClock, logger },
            ),
            mode: config.provider === 'openai' ? 'always' : 'when_unsure',
            examples: createExamplesIndex(categoryExamples(taxonomy)),
          };
    const clock = options.clock ?? systemClock;
    const serviceHours = await loadServiceHours(
      join(config.knowledgeBaseDir, 'service-hours.yaml'),
    );
    const teamsConfig = await loadTeams(join(config.knowledgeBaseDir, 'teams.yaml'), taxonomy);
    const metrics = createServiceMetrics({ db: database.db });
    const approvedAnswers = createApprovedAnswerService({
      db: database.db,
      clock,
      knowledge: knowledgeBase,
      logger,
    });
    // One SLA clock: triage's due times count the same working hours as tickets.
    // Instrumented once here, so the intake and /v1/triage are timed alike.
    const triage = metrics.instrument(
      createTriageEngine({
        taxonomy,
        models,
        llm,
        knowledge: knowledgeBase,
        embedderName: knowledgeBase.embedderName,
        logger,
        serviceHours,
        now: () => clock.now(),
        ...(answerability ? { answerability } : {}),
        approvedAnswers: approvedAnswers.lookup,
      }),
    );
    const conversations = createConversationReader(database.db);
    // Built before the intake, which needs the senders; the channels reach the intake when a
    // message arrives, after start.
    let intakeRef: MessageIntake | undefined;
    let ticketsRef: TicketService | undefined;
    const channelRegistry = createChannelRegistry({
      environment: config.environment,
      db: database.db,
      intake: () => {
        if (!intakeRef) throw new Error('a channel received a message before the intake existed');
        return intakeRef;
      },
      conversations,
      tickets: () => {
        if (!ticketsRef)
          throw new Error('a channel resolved a conversation before tickets existed');
        return ticketsRef;
      },
      clock,
      logger,
      maxTextChars: config.MAX_TEXT_CHARS,
      maxBodyBytes: config.MAX_BODY_BYTES,
    });
    const channels = options.channels ?? channelRegistry.directory;
    const credentials = createCredentialStore(database.db, { now: () => clock.now() });
    await bootstrapCredentials(credentials, config, logger);
    const auth = createAuthSettings({
      db: database.db,
      credentials,
      config,
      now: () => clock.now(),
    });
    // Surveys go out when a ticket is solved; the intake takes their answers.
    const csat = createCsatSurveys({
      db: database.db,
      channels,
      clock,
      enabled: config.CSAT_SURVEY === 'on',
      windowHours: config.CSAT_SURVEY_WINDOW_HOURS,
    });
    const intake = createMessageIntake({
      csat,
      routing: teamsConfig,
      db: database.db,
      triage,
      taxonomy,
      serviceHours,
      channels,
      clock,
      logger,
      metrics,
      concurrency: config.INTAKE_CONCURRENCY,
      maxBacklog: config.INTAKE_MAX_BACKLOG,
      pollMs: config.INTAKE_POLL_MS,
      // Instances on one server wake each other; the embedded database has one process.
      ...(database.driver === 'pg' ? { notifications: database.notifications } : {}),
    });
    intakeRef = intake;
    const tickets = createTicketService({
      db: database.db,
      channels,
      clock,
      taxonomy,
      csat,
      // Agents' sent replies become candidate answers for review (src/approved-answers/).
      onReplySent: (reply) => approvedAnswers.offerQuietly(reply),
    });
    ticketsRef = tickets;
    const kpis = createKpiService({ db: database.db, serviceHours, clock });
    const outbox = createOutboxWorker({
      db: database.db,
      channels,
      clock,
      logger,
      pollMs: config.OUTBOX_POLL_MS,
    });
    const surge = surgeSettings(config);
    const alerts = createAlertService({ db: database.db, clock, tickets });
    const surgeDetector = createSurgeDetector({
      db: database.db,
      exclusive: database.exclusive,
      clock,
      logger,
      settings: surge,
      ...(surge.webhook
        ? { notifier: createAlertNotifier({ db: database.db, clock, logger, ...surge.webhook }) }
        : {}),
    });
    // Escalations reach the surge alerts' webhook receiver, signed the same way.
    const escalation = createEscalationJob({
      db: database.db,
      clock,
      logger,
      teams: teamsConfig,
      taxonomy,
      serviceHours,
      intervalMs: config.ESCALATION_CHECK_INTERVAL_SECONDS * 1000,
      ...(surge.webhook
        ? {
            webhook: createEscalationWebhook({
              db: database.db,
              clock,
              logger,
              teams: teamsConfig,
              ...surge.webhook,
            }),
          }
        : {}),
    });
    const retention = createRetentionWorker({
      db: database.db,
      clock,
      logger,
      retentionDays: config.RETENTION_DAYS,
    });
    const customers = createCustomerService({
      db: database.db,
      clock,
      subjectKey: () => credentials.sharedSecret('customer_subject_key'),
    });
    // Models are trained and the knowledge base loaded: /readyz may say so.
    lifecycle.markReady();
    return {
      config,
      logger,
      database,
      taxonomy,
      knowledgeBase,
      triage,
      ingestReport,
      timings,
      clock,
      serviceHours,
      channels,
      intake,
      tickets,
      kpis,
      conversations,
      channelRegistry,
      credentials,
      auth,
      outbox,
      alerts,
      surgeDetector,
      approvedAnswers,
      teams: createTeamDirectory({ db: database.db, config: teamsConfig }),
      escalation,
      staffNotifications: createNotificationService({
        db: database.db,
        clock,
        teams: teamsConfig,
      }),
      retention,
      customers,
      metrics,
      lifecycle,
      knowledgeSync,
      async close() {
        lifecycle.markStopping();
        await knowledgeSync.stop();
        // Messages in hand are finished (or left claimed for the next start) before the database goes.
        await channelRegistry.stop();
        await intake.stop();
        await outbox.stop();
        await surgeDetector.stop();
        await escalation.stop();
        await retention.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
