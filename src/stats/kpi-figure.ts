/** Building KPI figures: a value with what it was computed from and its definition. */
import type { KpiFigure } from './kpi-contract.js';

/** numerator / denominator; null when there is nothing to divide by. */
export function ratio(
  numerator: number,
  denominator: number,
  definition: string,
  pending?: number,
): KpiFigure {
  return {
    value: denominator ? numerator / denominator : null,
    numerator,
    denominator,
    ...(pending === undefined ? {} : { pending }),
    unit: 'ratio',
    definition,
  };
}

/** A mean as sum / count in some unit; null when nothing was measured. */
export function mean(
  sum: number,
  count: number,
  unit: KpiFigure['unit'],
  definition: string,
  pending?: number,
): KpiFigure {
  return { ...ratio(sum, count, definition, pending), unit };
}

/** 90th percentile by nearest rank (the smallest value at or above 90 % of the values). */
export function percentile90(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.9 * sorted.length) - 1]!;
}

/** A stored timestamp as a Date (drivers give Date or string). */
export const moment = (value: Date | string | null): Date | null =>
  value === null ? null : new Date(value);

export const hoursMs = 3_600_000;
export const daysMs = 24 * hoursMs;
