/** SLA due times from the category's targets (business hours and holidays come with tickets). */
import type { Category } from './taxonomy.js';

export interface SlaClock {
  firstResponseMinutes: number;
  resolutionHours: number;
  firstResponseDueAt: string;
  resolutionDueAt: string;
}

const fallback = { firstResponseMinutes: 5, resolutionHours: 24 };

export function slaFor(category: Category | undefined, receivedAt: Date): SlaClock {
  const targets = category?.sla ?? fallback;
  return {
    firstResponseMinutes: targets.firstResponseMinutes,
    resolutionHours: targets.resolutionHours,
    firstResponseDueAt: new Date(receivedAt.getTime() + targets.firstResponseMinutes * 60_000).toISOString(),
    resolutionDueAt: new Date(receivedAt.getTime() + targets.resolutionHours * 3_600_000).toISOString(),
  };
}
