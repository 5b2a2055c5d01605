/**
 * The only reader of process.env: one zod schema, parsed once at start-up. A bad value
 * stops start-up with one line naming the variable and what to set.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { authModeSettings } from '../auth/auth-mode.js';
import { CredentialsError, minimumPasswordLength, parseApiKeys } from '../auth/credentials.js';
import { structuredOutputModeSchema } from '../models/openai/triage-prompt.js';

/** `local` models only, `openai` for every message, or `cascade` (the LLM when the local models are unsure). */
export const modelProviderSchema = z.enum(['local', 'openai', 'cascade']);
export type ModelProvider = z.infer<typeof modelProviderSchema>;

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  /**
   * Where trained models are cached between starts: default `<DATA_DIR>/model-cache`, or
   * node_modules/.cache/triage-models when DATA_DIR is memory://; `none` turns the cache off.
   */
  MODEL_CACHE_DIR: optionalString,
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  KNOWLEDGE_BASE_DIR: z.string().default('./knowledge-base'),
  PROMPTS_DIR: z.string().default('./prompts'),
  DATASETS_DIR: z.string().default('../shared/datasets'),
  MODEL_PROVIDER: modelProviderSchema.optional(),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  OPENAI_CHAT_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: optionalString,
  OPENAI_EMBEDDING_DIMENSION: z.coerce.number().int().positive().max(2000).optional(),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  /** `json_object` for servers that only do JSON mode (DeepSeek, Qwen/DashScope, Moonshot); json_schema falls back by itself. */
  OPENAI_RESPONSE_FORMAT: structuredOutputModeSchema.default('json_schema'),
  /** Consecutive failed LLM calls (or one timeout) that open the circuit breaker; 0 turns it off. */
  OPENAI_BREAKER_FAILURES: z.coerce.number().int().min(0).max(100).default(3),
  /** How long an open circuit hands messages off without calling the LLM; doubles after each failed trial (up to 5 min). */
  OPENAI_BREAKER_COOLDOWN_MS: z.coerce.number().int().positive().default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  /**
   * Comma-separated `key:role[:name[:channels]]` entries (roles: integration, agent, admin;
   * keys of at least 16 characters; channels `web|app` for integration keys).
   */
  API_KEYS: optionalString,
  /**
   * `auto`: open (every caller acts as admin) only until the first API key or console user
   * besides `admin` exists; `required`: always ask for credentials; `open`: never (not in production).
   */
  AUTH_MODE: z.enum(authModeSettings).default('auto'),
  /** Behind a TLS-terminating proxy: believe its X-Forwarded-Proto and X-Forwarded-For. */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'], 'must be true or false')
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  /** Password of the console user `admin` (made on first start; random when unset). */
  ADMIN_PASSWORD: optionalString.pipe(
    z
      .string()
      .min(minimumPasswordLength, `must be at least ${minimumPasswordLength} characters`)
      .optional(),
  ),
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(1000),
  /**
   * Days a customer's words are kept (messages, replies, drafts, tickets' text); older text is
   * redacted by the retention job, counts stay. Unset: kept until erased (src/retention/).
   */
  RETENTION_DAYS: optionalString.pipe(
    z.coerce.number<string | undefined>().int().min(1).max(36_500).optional(),
  ),
  /**
   * The intake's background triage: workers per instance, the backlog of stored, untriaged
   * messages past which new ones get 429 + Retry-After, the longest `POST /v1/messages?wait=`
   * a caller may ask for, and how often idle workers look for work another instance stored or
   * a crashed worker left (new messages wake them at once).
   */
  INTAKE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  INTAKE_MAX_BACKLOG: z.coerce.number().int().positive().default(2000),
  INTAKE_MAX_WAIT_SECONDS: z.coerce.number().positive().max(120).default(30),
  INTAKE_POLL_MS: z.coerce.number().int().positive().default(1000),
  /**
   * Satisfaction survey (src/csat/): `on` asks the customer for a 1-5 rating through their
   * channel when a ticket is solved; a bare rating within CSAT_SURVEY_WINDOW_HOURS answers it.
   */
  CSAT_SURVEY: z.enum(['on', 'off'], 'must be on or off').default('on'),
  CSAT_SURVEY_WINDOW_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(72),
  /**
   * Surge alerts (src/alerts/, README "Surge alerts"): how often the detector runs (0: never),
   * the window it tests against the days before it, and the test's guards; alerts are POSTed
   * to ALERT_WEBHOOK_URL signed with ALERT_WEBHOOK_SECRET like the reply webhook.
   */
  SURGE_CHECK_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 3600)
    .default(300),
  SURGE_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  SURGE_BASELINE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  SURGE_P_VALUE: z.coerce.number().positive().max(0.05).default(1e-5),
  SURGE_MIN_CONVERSATIONS: z.coerce.number().int().min(1).default(5),
  SURGE_MIN_RATIO: z.coerce.number().min(1).default(1.5),
  SURGE_MIN_BASELINE: z.coerce.number().int().min(0).default(200),
  ALERT_WEBHOOK_URL: optionalString.pipe(z.url().optional()),
  ALERT_WEBHOOK_SECRET: optionalString,
  /**
   * SLA escalation (src/escalation/, README "Escalation and routing"): how often the job looks
   * for open tickets whose next step of knowledge-base/teams.yaml's path is due (0: never).
   */
  ESCALATION_CHECK_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  MAX_TEXT_CHARS: z.coerce.number().int().positive().max(100_000).default(4000),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  dataDir: string;
  knowledgeBaseDir: string;
  promptsDir: string;
  datasetsDir: string;
  provider: ModelProvider;
  /**
   * The environment as given: each channel (src/channels/registry.ts) reads its own settings
   * from it with its own schema when the service starts.
   */
  environment: Readonly<Record<string, string | undefined>>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment; throws ConfigError with one line per bad variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration. Set ${lines.join('; ')}.`);
  }
  const values = parsed.data;
  const provider = values.MODEL_PROVIDER ?? (values.OPENAI_API_KEY ? 'cascade' : 'local');
  if (provider !== 'local' && !values.OPENAI_API_KEY && !values.OPENAI_BASE_URL) {
    throw new ConfigError(
      `Invalid configuration. MODEL_PROVIDER=${provider} needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server); or set MODEL_PROVIDER=local.`,
    );
  }
  try {
    parseApiKeys(values.API_KEYS);
  } catch (error) {
    if (error instanceof CredentialsError)
      throw new ConfigError(`Invalid configuration. ${error.message}.`);
    throw error;
  }
  if (values.NODE_ENV === 'production' && values.AUTH_MODE === 'open') {
    throw new ConfigError(
      'Invalid configuration. AUTH_MODE=open is refused with NODE_ENV=production: the API is not served without credentials.',
    );
  }
  return {
    ...values,
    // Production never serves the API open, even before the first key exists.
    AUTH_MODE:
      values.NODE_ENV === 'production' && values.AUTH_MODE === 'auto'
        ? 'required'
        : values.AUTH_MODE,
    // `memory://` keeps the embedded database in memory (tests, throwaway runs).
    dataDir: values.DATA_DIR.startsWith('memory://') ? values.DATA_DIR : resolve(values.DATA_DIR),
    knowledgeBaseDir: resolve(values.KNOWLEDGE_BASE_DIR),
    promptsDir: resolve(values.PROMPTS_DIR),
    datasetsDir: resolve(values.DATASETS_DIR),
    provider,
    environment: { ...env },
  };
}

let cached: Config | undefined;

/** Whether the operator asked for debug logs (the CLI then prints stacks of unexpected errors). */
export function debugLoggingRequested(
  env: Record<string, string | undefined> = process.env,
): boolean {
  return env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
}

/** The process-wide configuration, parsed on first use. */
export function loadConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
