import { describe, expect, it } from 'vitest';
import { createRateLimiter, spendAll } from './rate-limit.js';

describe('widget rate limiter', () => {
  it('lets a key spend its burst, then one token every 60/N seconds', () => {
    const limiter = createRateLimiter({ perMinute: 3 });
    for (let i = 0; i < 3; i++) {
      expect(limiter.wait('v', 0)).toBe(0);
      limiter.spend('v', 0);
    }
    expect(limiter.wait('v', 0)).toBe(20);
    expect(limiter.wait('v', 15_000)).toBe(5);
    expect(limiter.wait('v', 20_000)).toBe(0);
    // Another key has its own bucket.
    expect(limiter.wait('w', 0)).toBe(0);
  });

  it('spends from every pair or from none', () => {
    const visitors = createRateLimiter({ perMinute: 5 });
    const addresses = createRateLimiter({ perMinute: 1 });
    expect(
      spendAll(
        [
          [visitors, 'a'],
          [addresses, '10.0.0.1'],
        ],
        0,
      ),
    ).toBe(0);
    // The address is spent: the second visitor behind it waits, and keeps its own tokens.
    expect(
      spendAll(
        [
          [visitors, 'b'],
          [addresses, '10.0.0.1'],
        ],
        0,
      ),
    ).toBe(60);
    expect(visitors.wait('b', 0)).toBe(0);
    for (let i = 0; i < 5; i++) visitors.spend('b', 0);
    expect(visitors.wait('b', 0)).toBeGreaterThan(0);
    // An unknown address (in-process request) is not limited by it.
    expect(
      spendAll(
        [
          [visitors, 'c'],
          [addresses, undefined],
        ],
        0,
      ),
    ).toBe(0);
  });

  it('forgets full buckets and holds at most maxKeys', () => {
    const limiter = createRateLimiter({ perMinute: 2, maxKeys: 3 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) limiter.spend(key, 0);
    expect(limiter.size).toBeLessThanOrEqual(3);
    // After a minute every bucket is full again and the next sweep drops them.
    limiter.spend('f', 61_000);
    expect(limiter.size).toBe(1);
  });
});
