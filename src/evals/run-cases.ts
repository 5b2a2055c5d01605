/**
 * Runs a suite's cases with bounded concurrency, keeping their order, with a progress
 * bar on stderr (silent when stderr is not a terminal or progress is off).
 */
import cliProgress from 'cli-progress';

export interface RunCasesOptions {
  concurrency: number;
  /** Shown before the bar, e.g. the suite's name. */
  label: string;
  progress: boolean;
}

export async function runCases<T, R>(
  items: readonly T[],
  options: RunCasesOptions,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const bar =
    options.progress && process.stderr.isTTY ? createBar(options.label, items.length) : undefined;
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
      bar?.update(++done);
    }
  }
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker),
    );
  } finally {
    bar?.stop();
  }
  return results;
}

function createBar(label: string, total: number) {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {value}/{total} {eta_formatted}`,
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

/** Wall-clock milliseconds of `work`, with its result. */
export async function timed<R>(work: () => Promise<R> | R): Promise<{ value: R; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round((performance.now() - started) * 100) / 100 };
}
