import { describe, expect, it } from 'vitest';
import { manualClock } from '../../time/clock.js';
import { CircuitOpenError, createCircuitBreaker, type CircuitSnapshot } from './circuit-breaker.js';

function breaker(failureThreshold = 3) {
  const clock = manualClock('2026-01-05T09:00:00Z');
  const changes: CircuitSnapshot['state'][] = [];
  const circuit = createCircuitBreaker({
    failureThreshold,
    cooldownMs: 30_000,
    maxCooldownMs: 100_000,
    clock,
    onStateChange: (snapshot) => changes.push(snapshot.state),
  });
  return { circuit, clock, changes };
}

describe('createCircuitBreaker', () => {
  it('opens after N consecutive failures and then refuses calls at once', () => {
    const { circuit, changes } = breaker(3);
    circuit.enter().failed('count');
    circuit.enter().failed('count');
    expect(circuit.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    circuit.enter().failed('count');

    expect(circuit.snapshot()).toMatchObject({
      state: 'open',
      retryAt: '2026-01-05T09:00:30.000Z',
      timesOpened: 1,
    });
    expect(() => circuit.enter()).toThrow(CircuitOpenError);
    expect(changes).toEqual(['open']);
  });

  it('counts only consecutive failures: a success in between starts again', () => {
    const { circuit } = breaker(3);
    circuit.enter().failed('count');
    circuit.enter().failed('count');
    circuit.enter().succeeded();
    circuit.enter().failed('count');
    circuit.enter().failed('count');
    expect(circuit.snapshot().state).toBe('closed');
  });

  it('opens at once on a failure marked trip (a timeout)', () => {
    const { circuit } = breaker(3);
    circuit.enter().failed('trip');
    expect(circuit.snapshot().state).toBe('open');
  });

  it('lets one trial through after the cool-down and closes when it succeeds', () => {
    const { circuit, clock, changes } = breaker(1);
    circuit.enter().failed('count');
    clock.advance(29_999);
    expect(() => circuit.enter()).toThrow(CircuitOpenError);
    clock.advance(1);

    const trial = circuit.enter();
    // A second caller during the trial is refused instead of waiting on it.
    expect(() => circuit.enter()).toThrow(CircuitOpenError);
    trial.succeeded();

    expect(circuit.snapshot()).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
      retryAt: null,
    });
    expect(() => circuit.enter()).not.toThrow();
    expect(changes).toEqual(['open', 'half_open', 'closed']);
  });

  it('doubles the cool-down after each failed trial, up to the cap, and resets it on closing', () => {
    const { circuit, clock } = breaker(1);
    circuit.enter().failed('count');
    const cooldowns: number[] = [];
    for (let trial = 0; trial < 4; trial++) {
      clock.advance(circuit.snapshot().cooldownMs);
      circuit.enter().failed('count');
      cooldowns.push(circuit.snapshot().cooldownMs);
    }
    expect(cooldowns).toEqual([60_000, 100_000, 100_000, 100_000]);

    clock.advance(100_000);
    circuit.enter().succeeded();
    expect(circuit.snapshot().cooldownMs).toBe(30_000);
  });

  it('ignores calls admitted before the circuit changed state', () => {
    const { circuit, clock } = breaker(1);
    const straggler = circuit.enter();
    circuit.enter().failed('count');
    clock.advance(30_000);
    const trial = circuit.enter();
    // A slow call from before the outage answers late: it proves nothing about now.
    straggler.succeeded();
    expect(circuit.snapshot().state).toBe('half_open');
    trial.failed('count');
    expect(circuit.snapshot().state).toBe('open');
  });

  it('frees the trial slot when the caller gave up, without deciding anything', () => {
    const { circuit, clock } = breaker(1);
    circuit.enter().failed('count');
    clock.advance(30_000);
    circuit.enter().released();
    expect(circuit.snapshot().state).toBe('half_open');
    circuit.enter().succeeded();
    expect(circuit.snapshot().state).toBe('closed');
  });

  it('does nothing when turned off (threshold 0)', () => {
    const { circuit } = breaker(0);
    for (let call = 0; call < 5; call++) circuit.enter().failed('trip');
    expect(circuit.snapshot()).toMatchObject({ enabled: false, state: 'closed' });
  });
});
