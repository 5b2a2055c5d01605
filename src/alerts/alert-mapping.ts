/** Stored alert rows as the API's Alert (stored JSON parsed, not cast). */
import { z } from 'zod';
import {
  type Alert,
  alertKeySchema,
  alertKindSchema,
  alertStatusSchema,
} from './alert-contract.js';
import type { AlertRow } from './alert.repository.js';

const iso = (value: Date | string) => new Date(value).toISOString();
const relatedSchema = z.array(alertKeySchema);

export function toAlert(row: AlertRow, ticketCount: number): Alert {
  return {
    id: row.id,
    kind: alertKindSchema.parse(row.kind),
    key: row.key,
    related: relatedSchema.parse(row.related),
    status: alertStatusSchema.parse(row.status),
    window: { start: iso(row.window_start), end: iso(row.window_end) },
    observed: row.observed,
    expected: row.expected,
    ratio: row.expected > 0 ? row.observed / row.expected : 0,
    pValue: row.p_value,
    windowTotal: row.window_total,
    baseline: { count: row.baseline_count, total: row.baseline_total },
    peakObserved: row.peak_observed,
    ticketCount,
    raisedAt: iso(row.raised_at),
    lastSignificantAt: iso(row.last_significant_at),
    acknowledged:
      row.acknowledged_by && row.acknowledged_at
        ? { by: row.acknowledged_by, at: iso(row.acknowledged_at) }
        : null,
    resolved:
      row.resolved_by && row.resolved_at ? { by: row.resolved_by, at: iso(row.resolved_at) } : null,
    notification: row.notify_status
      ? { status: row.notify_status, attempts: row.notify_attempts, error: row.notify_error }
      : null,
  };
}

/** The related keys as stored. */
export const parseRelated = (value: unknown) => relatedSchema.parse(value);
