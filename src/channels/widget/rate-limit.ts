/**
 * Token buckets per key (a visitor id, a client address), in this process's memory: a key may
 * spend `perMinute` at once, then earns one back every 60/perMinute seconds. Kept in memory on
 * purpose: the limit only has to stop one browser or script from flooding the intake, and
 * with several instances each counts its own share (a visitor spread over n instances gets at
 * most n times the limit). Full buckets are forgotten, so memory follows the active keys.
 */

export interface RateLimiter {
  /** Seconds until `key` may spend one (0: it may now); spends nothing. */
  wait(key: string, now: number): number;
  /** Spends one of `key`'s tokens (call after `wait` said 0). */
  spend(key: string, now: number): void;
  /** Keys held (tests, and the sweep's bound). */
  readonly size: number;
}

export interface RateLimiterOptions {
  perMinute: number;
  /** At most this many keys are held; past it the longest-idle are dropped. Default 100,000. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const capacity = options.perMinute;
  const maxKeys = options.maxKeys ?? 100_000;
  const perMs = capacity / 60_000;
  const buckets = new Map<string, Bucket>();
  let lastSweep = 0;

  function tokensAt(bucket: Bucket | undefined, now: number): number {
    if (!bucket) return capacity;
    return Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
  }

  function sweep(now: number) {
    if (now - lastSweep < 60_000 && buckets.size < maxKeys) return;
    lastSweep = now;
    for (const [key, bucket] of buckets) if (tokensAt(bucket, now) >= capacity) buckets.delete(key);
    // Still too many: drop the longest idle (the map keeps the order of last use).
    for (const key of buckets.keys()) {
      if (buckets.size < maxKeys) break;
      buckets.delete(key);
    }
  }

  return {
    wait(key, now) {
      const tokens = tokensAt(buckets.get(key), now);
      return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    },
    spend(key, now) {
      sweep(now);
      const tokens = tokensAt(buckets.get(key), now);
      buckets.delete(key);
      buckets.set(key, { tokens: tokens - 1, at: now });
    },
    get size() {
      return buckets.size;
    },
  };
}

/**
 * Spends one token of every (limiter, key) pair, or none when any of them is empty: a visitor
 * refused for their address's limit keeps their own budget. Returns the longest wait (0: spent).
 */
export function spendAll(
  pairs: readonly (readonly [RateLimiter, string | undefined])[],
  now: number,
): number {
  const present = pairs.filter(
    (pair): pair is readonly [RateLimiter, string] => pair[1] !== undefined,
  );
  const wait = Math.max(0, ...present.map(([limiter, key]) => limiter.wait(key, now)));
  if (wait > 0) return wait;
  for (const [limiter, key] of present) limiter.spend(key, now);
  return 0;
}
