/**
 * Ends the widget's open streams on SIGTERM and SIGINT. `triage serve` closes its HTTP server
 * on a stop signal and waits for the requests in flight before it stops the channels (and
 * exits 1 after 10 s with the database left open): a reply stream is a request that lasts
 * minutes, so it must end on the signal itself. A listener alone on a signal (before serve.ts
 * has added its own) re-raises it, so the process still stops as it would have without us.
 */

type SignalTarget = Pick<NodeJS.Process, 'once' | 'off' | 'listenerCount' | 'kill' | 'pid'>;

const signals = ['SIGTERM', 'SIGINT'] as const;

/** Calls `end` on the first stop signal; returns the function that stops listening. */
export function onStopSignal(end: () => void, target: SignalTarget = process): () => void {
  function endOnSignal(signal: NodeJS.Signals) {
    end();
    for (const other of signals) target.off(other, endOnSignal);
    if (target.listenerCount(signal) === 0) target.kill(target.pid, signal);
  }
  for (const signal of signals) target.once(signal, endOnSignal);
  return function stopListening() {
    for (const signal of signals) target.off(signal, endOnSignal);
  };
}
