/**
 * Slows password guessing: failed sign-ins are counted per username and per client address
 * in the database (so a restart or a second process does not reset them); past a threshold
 * the key is locked for a time that doubles with every further failure.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import {
  clearSignInFailures,
  countSignInFailure,
  forgetSignInFailures,
  lockSignInKey,
  signInLocks,
} from './auth.repository.js';

export interface ThrottlePolicy {
  /** Failures allowed per username before it is locked. */
  perUser: number;
  /** Failures allowed per client address (an office shares one behind NAT). */
  perAddress: number;
  /** The first lock; each failure after it doubles the lock. */
  firstLockSeconds: number;
  maxLockSeconds: number;
  /** A key with no failure for this long starts counting from zero again. */
  forgetAfterSeconds: number;
}

export const defaultThrottlePolicy: ThrottlePolicy = {
  perUser: 5,
  perAddress: 20,
  firstLockSeconds: 30,
  maxLockSeconds: 15 * 60,
  forgetAfterSeconds: 24 * 3600,
};

export interface ThrottleOptions {
  db: Kysely<Database>;
  policy?: Partial<ThrottlePolicy>;
  now?: () => Date;
}

const keysFor = (username: string, address: string | undefined) => ({
  user: `user:${username.toLowerCase()}`,
  address: address ? `ip:${address}` : undefined,
});

export function createSignInThrottle({
  db,
  policy: overrides = {},
  now = () => new Date(),
}: ThrottleOptions) {
  const policy = { ...defaultThrottlePolicy, ...overrides };

  async function recordFailure(key: string, threshold: number) {
    const at = now();
    const forgetBefore = new Date(at.getTime() - policy.forgetAfterSeconds * 1000);
    const failures = await countSignInFailure(db, key, at, forgetBefore);
    if (failures < threshold) return;
    const seconds = Math.min(
      policy.maxLockSeconds,
      policy.firstLockSeconds * 2 ** Math.min(failures - threshold, 20),
    );
    await lockSignInKey(db, key, new Date(at.getTime() + seconds * 1000));
  }

  return {
    policy,

    /** Seconds until the username or address may try again, or 0 when it may try now. */
    async retryAfter(username: string, address?: string): Promise<number> {
      const keys = keysFor(username, address);
      const rows = await signInLocks(db, [keys.user, ...(keys.address ? [keys.address] : [])]);
      const until = Math.max(
        0,
        ...rows.map((row) => (row.locked_until ? new Date(row.locked_until).getTime() : 0)),
      );
      return Math.max(0, Math.ceil((until - now().getTime()) / 1000));
    },

    async failed(username: string, address?: string): Promise<void> {
      const keys = keysFor(username, address);
      // Forget stale counts here (failures are rare), so guessed usernames do not pile up.
      const forgetBefore = new Date(now().getTime() - policy.forgetAfterSeconds * 1000);
      await forgetSignInFailures(db, forgetBefore, now());
      await recordFailure(keys.user, policy.perUser);
      if (keys.address) await recordFailure(keys.address, policy.perAddress);
    },

    /** A correct password clears the username's count (not the address's: one good account must not unlock guessing at others). */
    async succeeded(username: string): Promise<void> {
      await clearSignInFailures(db, keysFor(username, undefined).user);
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
