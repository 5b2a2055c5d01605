/** The service an eval run triages with: started on first need, once per run, closed at the end. */
import type { Service } from '../service.js';
import type { ServiceSource } from './kinds/kind.js';

export function lazyService(start: () => Promise<Service>): ServiceSource {
  let starting: Promise<Service> | undefined;
  let startupMs: number | undefined;
  return {
    get: () =>
      (starting ??= (async () => {
        const started = performance.now();
        const service = await start();
        startupMs = Math.round(performance.now() - started);
        return service;
      })()),
    started: () => starting !== undefined,
    startupMs: () => startupMs,
    async close() {
      if (starting) await (await starting.catch(() => undefined))?.close();
    },
  };
}

/** An already running service (tests): never closed here. */
export function runningService(service: Service): ServiceSource {
  return {
    get: async () => service,
    started: () => true,
    startupMs: () => undefined,
    close: async () => {},
  };
}
