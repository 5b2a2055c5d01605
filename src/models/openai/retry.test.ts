import { describe, expect, it } from 'vitest';
import { ModelProviderError, parseRetryAfter } from './errors.js';
import { backoffDelayMs, runWithRetries, type RetryRuntime } from './retry.js';

const policy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 4000 };

describe('parseRetryAfter', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '750', 'retry-after': '9' }))).toBe(750);
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(
      parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now),
    ).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  it('doubles per retry, jitters within the upper half, and is capped', () => {
    expect([0, 1, 2, 3, 4].map((retry) => backoffDelayMs(retry, policy, () => 0))).toEqual([
      250, 500, 1000, 2000, 2000,
    ]);
    expect([0, 1, 2, 3, 4].map((retry) => backoffDelayMs(retry, policy, () => 1))).toEqual([
      500, 1000, 2000, 4000, 4000,
    ]);
  });
});

describe('runWithRetries', () => {
  const retryable = () => new ModelProviderError('server_error', 'boom', { retryable: true });
  const runtime = (sleeps: number[]): RetryRuntime => ({
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
    },
    random: () => 0,
  });

  it('stops at once on a non-retryable error', async () => {
    let calls = 0;
    const error = new ModelProviderError('auth', 'no', { retryable: false });
    await expect(
      runWithRetries(
        async () => {
          calls += 1;
          throw error;
        },
        policy,
        runtime([]),
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('shares one budget between calls given the same budget object', async () => {
    const sleeps: number[] = [];
    const budget = { retriesUsed: 0 };
    let failuresLeft = 2;
    const flaky = async () => {
      if (failuresLeft-- > 0) throw retryable();
      return 'ok';
    };
    await runWithRetries(flaky, policy, runtime(sleeps), { budget });
    failuresLeft = 5;
    await expect(runWithRetries(flaky, policy, runtime(sleeps), { budget })).rejects.toMatchObject({
      code: 'server_error',
    });

    expect(budget.retriesUsed).toBe(3);
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  it('stops without waiting when canRetry says no (the circuit opened)', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw retryable();
    };
    await expect(
      runWithRetries(failing, policy, runtime(sleeps), { canRetry: () => calls < 2 }),
    ).rejects.toMatchObject({
      code: 'server_error',
    });
    expect(calls).toBe(2);
    expect(sleeps).toEqual([250]);
  });
});
