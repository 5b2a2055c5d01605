/**
 * End-to-end triage suites: every case through the running service's pipeline, judged on
 * category, action, urgency, the entry an auto-reply cites and the reply assertions; the
 * auto-reply threshold sweep is computed from the same results.
 */
import type { Service } from '../../service.js';
import type { TriageResult } from '../../triage/triage.js';
import { costMetrics, measured } from '../metrics.js';
import { timed } from '../run-cases.js';
import type { TriageCase } from '../suite.js';
import { recordedDecisionInput, type SweepCase, sweepAutoReplyThreshold } from '../sweep.js';
import {
  autoReplyRight,
  replyFailures,
  type TriageOutcome,
  triageMetrics,
} from '../triage-metrics.js';
import { type KindContext, type KindResult, tokensFromReasons } from './kind.js';

export function outcomeOf(result: TriageResult): TriageOutcome {
  return {
    category: result.category,
    action: result.decision.action,
    urgency: result.urgency.level,
    citations: result.reply.citations,
    reply: result.reply.text,
    flags: result.flags,
  };
}

/** Runs one text through the pipeline, timed, with the tokens the LLM step spent. */
export async function triageOnce(service: Service, text: string, locale: string | undefined) {
  const { value: result, ms } = await timed(() =>
    service.triage.triage({ text, ...(locale ? { locale } : {}) }),
  );
  const tokens = tokensFromReasons(result.reasons);
  return { result, latencyMs: ms, ...(tokens === undefined ? {} : { tokens }) };
}

function failuresOf(
  item: TriageCase,
  outcome: TriageOutcome,
  outOfScopeLabel: string | undefined,
): string[] {
  const failures: string[] = [];
  const expectedCategory = item.category === outOfScopeLabel ? null : item.category;
  if (item.category !== undefined && outcome.category !== expectedCategory)
    failures.push(
      `category ${outcome.category ?? 'none'} instead of ${expectedCategory ?? 'none'}`,
    );
  if (item.action !== undefined && outcome.action !== item.action)
    failures.push(`${outcome.action} instead of ${item.action}`);
  else if (
    item.action === 'auto_reply' &&
    !autoReplyRight(item, outcome.action, outcome.citations)
  ) {
    failures.push(
      `auto-reply cites ${outcome.citations.join(', ') || 'nothing'} instead of ${item.entry ?? 'nothing'}`,
    );
  }
  if (item.urgency !== undefined && outcome.urgency !== item.urgency)
    failures.push(`urgency ${outcome.urgency} instead of ${item.urgency}`);
  failures.push(...replyFailures(item, outcome));
  return failures;
}

export async function runTriageSuite(context: KindContext<'triage'>): Promise<KindResult> {
  const { suite, data } = context;
  const service = await context.services.get();
  const described = service.triage.describe();
  const results = await context.runCases(data.cases, async (item) => ({
    item,
    ...(await triageOnce(service, item.text, item.locale)),
  }));

  // Whether an entry may be sent alone decides an auto-reply; the sweep needs it per match.
  const autoReplyEntries = new Map<string, boolean>();
  for (const { result } of results) {
    for (const match of result.matches.slice(0, 5)) {
      const key = `${match.id} ${match.locale}`;
      if (!autoReplyEntries.has(key))
        autoReplyEntries.set(
          key,
          (await service.knowledgeBase.entry(match.id, match.locale))?.autoReply ?? false,
        );
    }
  }
  const sweepCases: SweepCase[] = [];
  const cases = results.map(({ item, result, latencyMs, tokens }) => {
    const outcome = outcomeOf(result);
    const failures = failuresOf(item, outcome, suite.outOfScopeLabel);
    if (item.action !== undefined) {
      sweepCases.push({
        expected: item,
        input: recordedDecisionInput(
          result,
          service.taxonomy,
          (id, locale) => autoReplyEntries.get(`${id} ${locale}`) ?? false,
        ),
        recordedAction: outcome.action,
      });
    }
    const { id, text, ...expected } = item;
    return {
      id,
      text,
      pass: failures.length === 0,
      expected,
      actual: {
        category: outcome.category,
        action: outcome.action,
        urgency: outcome.urgency,
        citations: outcome.citations,
        reply: outcome.reply,
        flags: outcome.flags,
        bestMatch: result.matches[0]
          ? { id: result.matches[0].id, score: result.matches[0].score }
          : null,
        reasons: result.decision.reasons,
        provider: result.provider,
      },
      failures,
      latencyMs,
      ...(tokens === undefined ? {} : { tokens }),
    };
  });
  const rows = results.map(({ item, result }) => ({ expected: item, outcome: outcomeOf(result) }));
  const metrics = {
    ...triageMetrics(rows, { outOfScopeLabel: suite.outOfScopeLabel }),
    ...measured(costMetrics(cases)),
  };
  const sweep = sweepCases.length ? sweepAutoReplyThreshold(sweepCases) : undefined;
  const notes = [
    `provider ${described.name}, classifier ${described.classifier}, embedder ${described.embedder}`,
  ];
  if (sweep && sweep.replayAgreement < 1) {
    notes.push(
      `the offline re-decision reproduced ${(sweep.replayAgreement * 100).toFixed(1)} % of recorded decisions; the sweep is approximate`,
    );
  }
  return { metrics, cases, notes, ...(sweep ? { sweep } : {}) };
}
