/**
 * Options of the OpenAI-compatible provider (OpenAI, Azure OpenAI v1, DeepSeek,
 * Qwen/DashScope, Moonshot, Ollama, vLLM ... through baseURL) and the client they build.
 */
import OpenAI from 'openai';
import { z } from 'zod';
import { type Clock, systemClock } from '../../time/clock.js';
import { defaultRetryRuntime, type RetryPolicy, type RetryRuntime } from './retry.js';
import { structuredOutputModeSchema } from './triage-prompt.js';

export const openAiProviderOptionsSchema = z.object({
  /** Any non-empty string for servers without auth (Ollama, a local vLLM). */
  apiKey: z
    .string()
    .min(
      1,
      'apiKey is empty: set OPENAI_API_KEY (any placeholder for Ollama/vLLM) or use the local provider',
    ),
  baseURL: z.url().default('https://api.openai.com/v1'),
  chatModel: z.string().min(1),
  embeddingModel: z.string().min(1).optional(),
  /** Length of the vectors the embedding model returns; required for models we don't know. */
  embeddingDimension: z.int().positive().optional(),
  /** Send `dimensions` in embedding requests (text-embedding-3-*, DashScope v3/v4); off by default. */
  requestEmbeddingDimensions: z.boolean().default(false),
  /** Texts per embeddings request; DashScope accepts at most 10. */
  embeddingBatchSize: z.int().min(1).max(2048).default(10),
  /** Per HTTP call, not per analyse(). */
  timeoutMs: z.int().positive().default(30_000),
  /** Retries after timeouts, 429 and 5xx. */
  maxRetries: z.int().min(0).max(10).default(2),
  /** Re-asks after an answer that is not valid JSON or fails the schema. */
  maxOutputRetries: z.int().min(0).max(2).default(1),
  retryBaseDelayMs: z.int().min(0).default(500),
  retryMaxDelayMs: z.int().min(0).default(10_000),
  /**
   * `json_schema` (OpenAI, Azure, vLLM, recent Ollama) or `json_object` + schema in the prompt
   * (DeepSeek, Qwen/DashScope, Moonshot, most others). A server that refuses json_schema is
   * switched to json_object for the rest of the process on its first refusal.
   */
  structuredOutput: structuredOutputModeSchema.default('json_schema'),
  /** Consecutive failed calls (or one timeout) that open the circuit breaker; 0 turns it off. */
  breakerFailures: z.int().min(0).max(100).default(3),
  /** How long an open circuit refuses calls before one trial; doubled after each failed trial. */
  breakerCooldownMs: z.int().positive().default(30_000),
  /** Cap of the growing cool-down. */
  breakerMaxCooldownMs: z.int().positive().default(300_000),
  promptsDir: z.string().min(1).optional(),
  promptVersion: z.int().positive().default(1),
  /** Overrides the prompt file's temperature; null leaves it out (reasoning models reject it). */
  temperature: z.number().min(0).max(2).nullable().optional(),
});

export type OpenAiProviderOptions = z.input<typeof openAiProviderOptionsSchema>;
export type ResolvedProviderOptions = z.output<typeof openAiProviderOptionsSchema>;

export function resolveProviderOptions(options: OpenAiProviderOptions): ResolvedProviderOptions {
  const result = openAiProviderOptionsSchema.safeParse(options);
  if (!result.success)
    throw new Error(`Invalid OpenAI provider options: ${z.prettifyError(result.error)}`);
  return result.data;
}

export function retryPolicyOf(options: ResolvedProviderOptions): RetryPolicy {
  return {
    maxRetries: options.maxRetries,
    baseDelayMs: options.retryBaseDelayMs,
    maxDelayMs: options.retryMaxDelayMs,
  };
}

/** The slice of a pino logger the provider writes to (failures, fall-backs, circuit changes). */
export interface ProviderLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

export const silentProviderLogger: ProviderLogger = { warn() {}, info() {}, debug() {} };

/** Seams: waiting and randomness (retries), time (the circuit breaker's cool-down), logs. */
export interface ProviderRuntime extends RetryRuntime {
  clock?: Clock;
  logger?: ProviderLogger;
}
export const defaultProviderRuntime: ProviderRuntime = {
  ...defaultRetryRuntime,
  clock: systemClock,
};

/**
 * Every setting is passed explicitly so that OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID,
 * OPENAI_ADMIN_KEY or OPENAI_LOG=debug (which logs request bodies, i.e. customer text) in the
 * environment cannot change where customer text goes or whether it is printed.
 * (The SDK still honours OPENAI_CUSTOM_HEADERS; it has no switch for that.)
 */
export function createOpenAiClient(options: ResolvedProviderOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    adminAPIKey: null,
    webhookSecret: null,
    baseURL: options.baseURL,
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: options.timeoutMs,
    logLevel: 'warn',
  });
}
