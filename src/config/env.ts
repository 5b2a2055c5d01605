/**
 * The only reader of process.env: one zod schema, parsed once at start-up. A bad value
 * stops start-up with one line naming the variable and what to set.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  KNOWLEDGE_BASE_DIR: z.string().default('./knowledge-base'),
  PROMPTS_DIR: z.string().default('./prompts'),
  DATASETS_DIR: z.string().default('../shared/datasets'),
  MODEL_PROVIDER: z.enum(['local', 'openai', 'cascade']).optional(),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  OPENAI_CHAT_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: optionalString,
  OPENAI_EMBEDDING_DIMENSION: z.coerce.number().int().positive().max(2000).optional(),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  /**
   * Comma-separated `key:role[:name]` entries (roles: integration, agent, admin). Without
   * any key the API is open (every caller acts as admin), which production refuses.
   */
  API_KEYS: optionalString,
  /** Password of the console user `admin` (made on first start; random when unset). */
  ADMIN_PASSWORD: optionalString,
  /** Replies are POSTed here, signed with WEBHOOK_SECRET; unset keeps them in the database. */
  WEBHOOK_URL: optionalString.pipe(z.url().optional()),
  WEBHOOK_SECRET: optionalString,
  /** Channels whose replies go to the webhook: comma-separated names, or `*` for all. */
  WEBHOOK_CHANNELS: z.string().default('*'),
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(1000),
  MAX_TEXT_CHARS: z.coerce.number().int().positive().max(100_000).default(4000),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  dataDir: string;
  knowledgeBaseDir: string;
  promptsDir: string;
  datasetsDir: string;
  provider: 'local' | 'openai' | 'cascade';
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
  if (values.WEBHOOK_URL && !values.WEBHOOK_SECRET) {
    throw new ConfigError('Invalid configuration. WEBHOOK_URL needs WEBHOOK_SECRET (the key the receiver checks signatures with).');
  }
  if (values.NODE_ENV === 'production' && !values.API_KEYS) {
    throw new ConfigError('Invalid configuration. NODE_ENV=production needs API_KEYS: the API is not served without credentials.');
  }
  return {
    ...values,
    // `memory://` keeps the embedded database in memory (tests, throwaway runs).
    dataDir: values.DATA_DIR.startsWith('memory://') ? values.DATA_DIR : resolve(values.DATA_DIR),
    knowledgeBaseDir: resolve(values.KNOWLEDGE_BASE_DIR),
    promptsDir: resolve(values.PROMPTS_DIR),
    datasetsDir: resolve(values.DATASETS_DIR),
    provider,
  };
}

let cached: Config | undefined;

/** The process-wide configuration, parsed on first use. */
export function loadConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
