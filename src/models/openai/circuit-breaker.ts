/**
 * A circuit breaker for the chat model: after N consecutive failures (or one failure marked
 * `trip`, e.g. a timeout) calls fail at once for a cool-down instead of waiting on a dead
 * provider; after it one trial call decides whether to close again or to wait twice as long.
 *
 * Why not a library: opossum 9 re-arms with a fixed setTimeout (no growing cool-down, not on our
 * Clock) and counts failure percentages over a rolling window, not consecutive failures;
 * cockatiel 3 reads Date.now() directly, makes concurrent callers wait for the half-open trial
 * (up to a whole timeout) instead of failing at once, and its breaker cannot see which error
 * failed, so a timeout cannot open it at once. The state machine below is what we need.
 */
import { z } from 'zod';
import type { Clock } from '../../time/clock.js';

export const circuitStateSchema = z.enum(['closed', 'open', 'half_open']);
export type CircuitState = z.infer<typeof circuitStateSchema>;

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit; 0 turns the breaker off. */
  failureThreshold: number;
  /** First cool-down; doubled after each failed trial, up to maxCooldownMs. */
  cooldownMs: number;
  maxCooldownMs: number;
  clock: Clock;
  /** Told about every change of state (for logs). */
  onStateChange?: (snapshot: CircuitSnapshot) => void;
}

export const circuitSnapshotSchema = z.object({
  enabled: z.boolean(),
  state: circuitStateSchema,
  consecutiveFailures: z.number(),
  /** The cool-down the circuit uses the next time it opens (or uses now, when open). */
  cooldownMs: z.number(),
  /** When an open circuit lets one trial call through (ISO time); null unless open. */
  retryAt: z.string().nullable(),
  /** How often the circuit has opened since the process started. */
  timesOpened: z.number(),
});
export type CircuitSnapshot = z.infer<typeof circuitSnapshotSchema>;

/** Thrown by `enter()` while the circuit is open (or a trial call is already running). */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  readonly retryAt: Date;

  constructor(retryAt: Date) {
    super(`circuit open until ${retryAt.toISOString()}`);
    this.retryAt = retryAt;
  }
}

/** One admitted call; report its outcome exactly once. */
export interface CircuitPermit {
  succeeded(): void;
  /** `trip` opens the circuit at once (a timeout); `count` adds one consecutive failure. */
  failed(severity: 'count' | 'trip'): void;
  /** The outcome says nothing about the provider (the caller gave up): forget the call. */
  released(): void;
}

export interface CircuitBreaker {
  /** Admits a call or throws CircuitOpenError. */
  enter(): CircuitPermit;
  snapshot(): CircuitSnapshot;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const enabled = options.failureThreshold > 0;
  const baseCooldownMs = options.cooldownMs;
  const maxCooldownMs = Math.max(options.maxCooldownMs, baseCooldownMs);
  let state: CircuitState = 'closed';
  let consecutiveFailures = 0;
  let cooldownMs = baseCooldownMs;
  let retryAt: Date | null = null;
  let timesOpened = 0;
  let trialRunning = false;
  // Calls admitted before the last change of state report into a past generation: ignored,
  // so that stragglers of an outage cannot re-open (or close) the circuit after the fact.
  let generation = 0;

  function snapshot(): CircuitSnapshot {
    return {
      enabled,
      state,
      consecutiveFailures,
      cooldownMs,
      retryAt: retryAt?.toISOString() ?? null,
      timesOpened,
    };
  }

  function change(next: CircuitState): void {
    state = next;
    generation += 1;
    options.onStateChange?.(snapshot());
  }

  function open(): void {
    timesOpened += 1;
    retryAt = new Date(options.clock.now().getTime() + cooldownMs);
    trialRunning = false;
    change('open');
  }

  function close(): void {
    consecutiveFailures = 0;
    cooldownMs = baseCooldownMs;
    retryAt = null;
    trialRunning = false;
    change('closed');
  }

  const inert: CircuitPermit = { succeeded() {}, failed() {}, released() {} };

  return {
    snapshot,
    enter(): CircuitPermit {
      if (!enabled) return inert;
      if (state === 'open' && retryAt && options.clock.now() >= retryAt) change('half_open');
      if (state === 'open' || (state === 'half_open' && trialRunning)) {
        throw new CircuitOpenError(retryAt ?? options.clock.now());
      }
      const admitted = generation;
      const trial = state === 'half_open';
      if (trial) trialRunning = true;
      let reported = false;
      const report = (outcome: () => void) => {
        if (reported) return;
        reported = true;
        if (admitted === generation) outcome();
      };
      return {
        succeeded: () =>
          report(() => {
            if (trial) close();
            else consecutiveFailures = 0;
          }),
        failed: (severity) =>
          report(() => {
            consecutiveFailures += 1;
            if (trial) {
              cooldownMs = Math.min(cooldownMs * 2, maxCooldownMs);
              open();
            } else if (severity === 'trip' || consecutiveFailures >= options.failureThreshold) {
              open();
            }
          }),
        released: () =>
          report(() => {
            if (trial) trialRunning = false;
          }),
      };
    },
  };
}
