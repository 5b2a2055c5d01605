import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onStopSignal } from './stop-signals.js';

/** A stand-in for `process`: signals are emitted by hand, kill() is recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const killed: string[] = [];
  const target = Object.assign(emitter, {
    pid: 4242,
    kill(pid: number, signal?: string | number) {
      killed.push(`${pid} ${signal}`);
      return true;
    },
  });
  return { target: target as unknown as NodeJS.Process, emitter, killed };
}

describe('onStopSignal', () => {
  it('ends the streams once and leaves the stop to the server’s own handler', () => {
    const { target, emitter, killed } = fakeProcess();
    let ended = 0;
    emitter.on('SIGTERM', () => undefined); // serve.ts
    onStopSignal(() => ended++, target);
    emitter.emit('SIGTERM', 'SIGTERM');
    emitter.emit('SIGINT', 'SIGINT');
    expect(ended).toBe(1);
    expect(killed).toEqual([]);
    expect(emitter.listenerCount('SIGINT')).toBe(0);
  });

  it('re-raises a signal nobody else listens to, so the process still stops', () => {
    const { target, emitter, killed } = fakeProcess();
    let ended = 0;
    onStopSignal(() => ended++, target);
    emitter.emit('SIGINT', 'SIGINT');
    expect(ended).toBe(1);
    expect(killed).toEqual(['4242 SIGINT']);
  });

  it('stops listening', () => {
    const { target, emitter } = fakeProcess();
    const stop = onStopSignal(() => undefined, target);
    stop();
    expect(emitter.listenerCount('SIGTERM') + emitter.listenerCount('SIGINT')).toBe(0);
  });
});
