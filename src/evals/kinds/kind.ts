/** What every kind of suite is given and returns. */
import type { Service } from '../../service.js';
import type { CaseResult, Metrics, SuiteResult } from '../report/report.js';
import type { SuiteKind, SuiteOf } from '../suite.js';
import type { CaseOf, SuiteData } from '../suite-data.js';

/** The service, started on first use and shared by every suite of a run. */
export interface ServiceSource {
  get(): Promise<Service>;
  /** Whether `get` was called (the service is running or starting). */
  started(): boolean;
  /** How long starting took, once it has. */
  startupMs(): number | undefined;
  close(): Promise<void>;
}

export interface KindContext<K extends SuiteKind> {
  suite: SuiteOf<K>;
  data: Omit<SuiteData, 'cases'> & { cases: CaseOf<K>[] };
  services: ServiceSource;
  /** Runs the cases with the run's concurrency and progress bar, keeping their order. */
  runCases<T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R[]>;
}

export interface KindResult {
  metrics: Metrics;
  cases: CaseResult[];
  notes: string[];
  sweep?: SuiteResult['sweep'];
}

/** Tokens the LLM step reported in its reason (`..., 1234 tokens`), when it ran. */
export function tokensFromReasons(reasons: readonly string[]): number | undefined {
  for (const reason of reasons) {
    const match = /^LLM .*, (\d+) tokens$/.exec(reason);
    if (match) return Number(match[1]);
  }
  return undefined;
}
