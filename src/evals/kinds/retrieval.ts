/**
 * Retrieval suites: each case's text searched in the shipped knowledge base (through the
 * running service) or in the suite's own `corpus`; the ranked entry ids scored against
 * the relevant ones.
 */
import { openCorpusIndex } from '../corpus-index.js';
import { costMetrics, measured, retrievalMetrics } from '../metrics.js';
import { timed } from '../run-cases.js';
import type { KindContext, KindResult } from './kind.js';

const DEFAULT_SEARCH_LIMIT = 20;

export async function runRetrievalSuite(context: KindContext<'retrieval'>): Promise<KindResult> {
  const { suite, data } = context;
  const notes: string[] = [];
  const limit = suite.searchLimit ?? DEFAULT_SEARCH_LIMIT;
  let search: (text: string, locale?: string) => Promise<{ id: string; score: number }[]>;
  let close = async () => {};

  if (data.corpus) {
    const built = await timed(() => openCorpusIndex(data.corpus!));
    const index = built.value;
    close = index.close;
    notes.push(
      `corpus of ${data.corpus.length} rows (${index.chunks} chunks) indexed in ${(built.ms / 1000).toFixed(1)} s with ${index.embedder}`,
    );
    search = (text, locale) => index.search(text, { locale, limit });
  } else {
    const service = await context.services.get();
    notes.push(`the shipped knowledge base, embedder ${service.knowledgeBase.embedderName()}`);
    search = (text, locale) => service.knowledgeBase.search(text, { locale, limit });
  }

  try {
    const cases = await context.runCases(data.cases, async (item) => {
      const { value: matches, ms } = await timed(() => search(item.text, item.locale));
      const ranking = [...new Set(matches.map((match) => match.id))];
      const relevant = new Set(item.relevant);
      const firstRelevant = ranking.findIndex((id) => relevant.has(id));
      const pass = firstRelevant === 0;
      return {
        id: item.id,
        text: item.text,
        pass,
        expected: { relevant: item.relevant, ...(item.locale ? { locale: item.locale } : {}) },
        actual: {
          top: matches
            .slice(0, 5)
            .map((match) => ({ id: match.id, score: Math.round(match.score * 1000) / 1000 })),
          firstRelevantRank: firstRelevant < 0 ? null : firstRelevant + 1,
          ranking,
        },
        failures: pass
          ? []
          : [
              firstRelevant < 0
                ? `no relevant entry in the top ${limit}`
                : `first relevant entry at rank ${firstRelevant + 1}`,
            ],
        latencyMs: ms,
      };
    });
    const metrics = {
      ...retrievalMetrics(
        cases.map((c) => ({ ranking: c.actual.ranking, relevant: c.expected.relevant })),
      ),
      ...measured(costMetrics(cases)),
    };
    // The full ranking was only needed for the metrics; the report keeps the top five.
    for (const c of cases) delete (c.actual as { ranking?: unknown }).ranking;
    return { metrics, cases, notes };
  } finally {
    await close();
  }
}
