/**
 * Our retry policy for calls to an OpenAI-compatible server: exponential backoff with
 * jitter for timeouts, 429 and 5xx, honouring Retry-After. The SDK's own retries are off
 * (maxRetries: 0 on the client) so that this is the only policy, and it is testable.
 */
import { ModelProviderError } from './errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt (so maxRetries + 1 calls at most). */
  maxRetries: number;
  baseDelayMs: number;
  /** Cap on one wait; a Retry-After longer than this ends the retries (the caller falls back). */
  maxDelayMs: number;
}

/** Seams for tests: how to wait and where randomness comes from. */
export interface RetryRuntime {
  sleep: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

export const defaultRetryRuntime: RetryRuntime = {
  sleep: abortableSleep,
  random: Math.random,
};

/** Equal jitter: half of the exponential step is fixed, half random, capped at maxDelayMs. */
export function backoffDelayMs(
  retryIndex: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.round(step / 2 + (random() * step) / 2);
}

/** Retries spent so far; share one between several calls to give them a single budget. */
export interface RetryBudget {
  retriesUsed: number;
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, or the budget runs out.
 * `attempt` must throw ModelProviderError (map SDK errors before rethrowing).
 */
export async function runWithRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  runtime: RetryRuntime,
  context: {
    signal?: AbortSignal | undefined;
    budget?: RetryBudget;
    /** Asked before each retry; false ends the retries at once (the circuit breaker opened). */
    canRetry?: () => boolean;
  } = {},
): Promise<T> {
  const budget = context.budget ?? { retriesUsed: 0 };
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ModelProviderError) || !error.retryable) throw error;
      if (budget.retriesUsed >= policy.maxRetries || context.signal?.aborted) throw error;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxDelayMs) throw error;
      if (context.canRetry && !context.canRetry()) throw error;
      const backoff = backoffDelayMs(budget.retriesUsed, policy, runtime.random);
      budget.retriesUsed += 1;
      // The server's Retry-After is a floor: never come back sooner than it asked.
      await runtime.sleep(Math.max(backoff, error.retryAfterMs ?? 0), context.signal);
      if (context.signal?.aborted) {
        throw new ModelProviderError('timeout', 'The call was aborted by the caller.', {
          retryable: false,
          cause: error,
        });
      }
    }
  }
}

function abortableSleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
