/**
 * Where a service is in its life, for `GET /readyz`: a load balancer or orchestrator sends
 * traffic only to an instance that has finished start-up (models trained, knowledge base
 * loaded) and is not on its way out, so requests are not cut off mid-restart.
 */
import { z } from 'zod';

export const lifecycleStateSchema = z.enum(['starting', 'ready', 'stopping']);
export type LifecycleState = z.infer<typeof lifecycleStateSchema>;

export interface ServiceLifecycle {
  readonly state: LifecycleState;
  /** Start-up finished: everything a request needs is loaded. */
  markReady(): void;
  /** A stop began (a signal, or close()); final: a stopping service never becomes ready again. */
  markStopping(): void;
}

export function createServiceLifecycle(): ServiceLifecycle {
  let state: LifecycleState = 'starting';
  return {
    get state() {
      return state;
    },
    markReady() {
      if (state === 'starting') state = 'ready';
    },
    markStopping() {
      state = 'stopping';
    },
  };
}
