/**
 * Wraps every chat call to the provider: the circuit breaker (an outage becomes an immediate
 * `unavailable` instead of a timeout per message), the one-time switch to json_object when the
 * server refuses json_schema, and a log line for every failure (codes, status, request id,
 * never customer text or the model's answer).
 */
import { z } from 'zod';
import type { Clock } from '../../time/clock.js';
import {
  CircuitOpenError,
  circuitSnapshotSchema,
  createCircuitBreaker,
  type CircuitSnapshot,
} from './circuit-breaker.js';
import { isJsonSchemaRefusal, ModelProviderError, toModelProviderError } from './errors.js';
import type { ProviderLogger } from './options.js';
import { type StructuredOutputMode, structuredOutputModeSchema } from './triage-prompt.js';

export const providerHealthSchema = z.object({
  /** What the chat calls send now: json_object after a refusal of json_schema. */
  responseFormat: structuredOutputModeSchema,
  circuit: circuitSnapshotSchema,
});
export type ProviderHealth = z.infer<typeof providerHealthSchema>;

export interface ProviderGuardOptions {
  chatModel: string;
  responseFormat: StructuredOutputMode;
  breakerFailures: number;
  breakerCooldownMs: number;
  breakerMaxCooldownMs: number;
  clock: Clock;
  logger: ProviderLogger;
}

export interface ProviderGuard {
  health(): ProviderHealth;
  /** False while the circuit is not closed: a retry would be refused anyway. */
  canRetry(): boolean;
  /**
   * Runs one call (`call` is given the response format to use), or throws `unavailable` at
   * once while the circuit is open. Failures are rethrown as ModelProviderError.
   */
  run<T>(call: (format: StructuredOutputMode) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createProviderGuard(options: ProviderGuardOptions): ProviderGuard {
  const { chatModel, logger } = options;
  let responseFormat = options.responseFormat;
  const breaker = createCircuitBreaker({
    failureThreshold: options.breakerFailures,
    cooldownMs: options.breakerCooldownMs,
    maxCooldownMs: options.breakerMaxCooldownMs,
    clock: options.clock,
    onStateChange: function logCircuitChange(circuit) {
      const fields = { event: 'llm_circuit', model: chatModel, ...circuit };
      if (circuit.state === 'open')
        logger.warn(
          fields,
          'LLM circuit open: messages are handed off without calling the model until retryAt',
        );
      else if (circuit.state === 'half_open')
        logger.info(fields, 'LLM circuit half-open: one trial call');
      else logger.info(fields, 'LLM circuit closed: the model answers again');
    },
  });

  /** The call, once more with json_object when the server refuses json_schema. */
  async function callWithFallback<T>(
    call: (format: StructuredOutputMode) => Promise<T>,
  ): Promise<T> {
    const format = responseFormat;
    try {
      return await call(format);
    } catch (error) {
      const failure = toModelProviderError(error, { structuredOutput: format });
      if (format !== 'json_schema' || !isJsonSchemaRefusal(failure)) throw failure;
      if (responseFormat === 'json_schema') {
        responseFormat = 'json_object';
        logger.warn(
          {
            event: 'llm_response_format',
            model: chatModel,
            status: failure.status,
            requestId: failure.requestId,
            responseFormat,
          },
          'provider refused json_schema; using json_object from now on; set OPENAI_RESPONSE_FORMAT=json_object to skip the probe',
        );
      }
      return await call('json_object');
    }
  }

  return {
    health: () => ({ responseFormat, circuit: breaker.snapshot() }),
    canRetry: () => breaker.snapshot().state === 'closed',
    async run(call, signal) {
      let permit;
      try {
        permit = breaker.enter();
      } catch (error) {
        if (!(error instanceof CircuitOpenError)) throw error;
        logger.debug(
          { event: 'llm_call_skipped', model: chatModel, retryAt: error.retryAt.toISOString() },
          'LLM call skipped: circuit open',
        );
        throw new ModelProviderError(
          'unavailable',
          `The model provider failed repeatedly; no calls until ${error.retryAt.toISOString()} (messages are handed to a person meanwhile).`,
          { retryable: false },
        );
      }
      try {
        const result = await callWithFallback(call);
        permit.succeeded();
        return result;
      } catch (error) {
        const failure = toModelProviderError(error, { structuredOutput: responseFormat });
        if (signal?.aborted) permit.released();
        // A timeout costs a whole timeout per message: one is enough to stop calling.
        else if (failure.code === 'timeout') permit.failed('trip');
        // The server answered (our request or its answer was wrong): it is up.
        else if (failure.code === 'bad_request' || failure.code === 'bad_output')
          permit.succeeded();
        else permit.failed('count');
        logger.warn(
          {
            event: 'llm_call_failed',
            model: chatModel,
            code: failure.code,
            status: failure.status,
            retryable: failure.retryable,
            requestId: failure.requestId,
            providerCode: failure.providerCode,
            responseFormat,
            circuit: breaker.snapshot().state,
          },
          'LLM call failed',
        );
        throw failure;
      }
    },
  };
}
