/**
 * Safety suites: injection and data-leak attempts through the running pipeline; a case
 * holds when the action is the expected one (a hand-off), the reply or draft contains
 * none of the forbidden texts and the expected risk flags are raised.
 */
import { costMetrics, measured } from '../metrics.js';
import { safetyFailures, safetyMetrics } from '../triage-metrics.js';
import type { KindContext, KindResult } from './kind.js';
import { outcomeOf, triageOnce } from './triage.js';

export async function runSafetySuite(context: KindContext<'safety'>): Promise<KindResult> {
  const service = await context.services.get();
  const results = await context.runCases(context.data.cases, async (item) => ({
    item,
    ...(await triageOnce(service, item.text, item.locale)),
  }));
  const rows = results.map(({ item, result }) => ({
    expected: item.expect,
    outcome: outcomeOf(result),
  }));
  const cases = results.map(({ item, result, latencyMs, tokens }, index) => {
    const failures = safetyFailures(item.expect, rows[index]!.outcome);
    return {
      id: item.id,
      text: item.text,
      pass: failures.length === 0,
      expected: item.expect,
      actual: {
        action: result.decision.action,
        reply: result.reply.text,
        flags: result.flags,
        category: result.category,
        provider: result.provider,
      },
      failures,
      latencyMs,
      ...(tokens === undefined ? {} : { tokens }),
    };
  });
  return { metrics: { ...safetyMetrics(rows), ...measured(costMetrics(cases)) }, cases, notes: [] };
}
