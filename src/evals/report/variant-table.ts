/** What every report shows of a suite's variants: which metrics, each variant's value and its change from the reference. */
import { formatDelta, formatValue, headlineMetrics } from './headline.js';
import { numericMetrics, type SuiteResult, type VariantRun } from './report.js';

/** The suite's headline metrics, then any other numeric metric whose value differs between variants. */
export function variantMetricNames(suite: SuiteResult): string[] {
  const runs = suite.variants?.runs ?? [];
  const measured = new Set(runs.flatMap((run) => Object.keys(numericMetrics(run.metrics))));
  const headline = [...headlineMetrics[suite.kind], 'latencyP50Ms', 'tokensPerCase'].filter(
    (name) => measured.has(name),
  );
  const others = [...measured]
    .filter(
      (name) =>
        !headline.includes(name) && runs.some((run) => Math.abs(run.deltas[name] ?? 0) >= 0.0005),
    )
    .sort();
  return [...headline, ...others];
}

/** Higher is better except for latency, tokens and leaks. */
export function isBetter(metric: string, delta: number): boolean {
  return /Ms$|okens|leak/i.test(metric) ? delta < 0 : delta > 0;
}

export function variantValue(
  run: VariantRun,
  metric: string,
): { value: string; delta: string; better?: boolean } {
  const value = numericMetrics(run.metrics)[metric];
  const delta = run.deltas[metric];
  const text = formatDelta(metric, delta);
  return {
    value: run.error ? 'error' : formatValue(metric, value),
    delta: text,
    ...(text ? { better: isBetter(metric, delta!) } : {}),
  };
}

/** "12 cases changed: 3 newly failing (t1, t2, t3), 2 newly passing (t9, t10)" */
export function changeSummary(run: VariantRun, preview = 5): string {
  if (run.error) return `error: ${run.error}`;
  const list = (ids: string[]) =>
    ids.length ? ` (${ids.slice(0, preview).join(', ')}${ids.length > preview ? ', …' : ''})` : '';
  const changed = run.changedCases.length;
  if (changed === 0) return 'no case changed outcome';
  return `${changed} case${changed > 1 ? 's' : ''} changed outcome: ${run.newlyFailing.length} newly failing${list(run.newlyFailing)}, ${run.newlyPassing.length} newly passing${list(run.newlyPassing)}`;
}

/** `provider=cascade, retrievalThreshold=0.7`, or `as configured`. */
export function overridesText(run: VariantRun): string {
  const flat: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (value && typeof value === 'object' && !Array.isArray(value))
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
    else flat.push(`${path}=${String(value)}`);
  };
  walk(run.overrides, '');
  return flat.length ? flat.join(', ') : 'as configured';
}
