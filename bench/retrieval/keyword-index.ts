/**
 * An in-memory BM25 inverted index and reciprocal rank fusion for the retrieval benchmarks
 * (the in-memory knowledge base, StackFAQ, AFQMC). The service searches in SQL and keeps
 * only the BM25 maths (src/kb/ranking.ts).
 */
import {
  bm25Idf,
  keywordDocument,
  type Bm25Parameters,
  type KeywordDocument,
  type TermStatistics,
} from '../../src/kb/ranking.js';

export interface Scored {
  id: string;
  score: number;
}

export interface KeywordIndex {
  statistics: TermStatistics;
  /** Documents sharing at least one token with the query, best first. */
  search(queryTokens: readonly string[], limit?: number): Scored[];
  document(id: string): KeywordDocument | undefined;
}

/** An in-memory inverted index with the same BM25 as the SQL search. */
export function buildKeywordIndex(
  documents: ReadonlyArray<{ id: string; tokens: readonly string[] }>,
  parameters: Bm25Parameters = {},
): KeywordIndex {
  const k1 = parameters.k1 ?? 1.2;
  const b = parameters.b ?? 0.75;
  const parsed = documents.map((document) => keywordDocument(document.tokens));
  const byId = new Map(documents.map((document, i) => [document.id, parsed[i]!]));
  const postings = new Map<string, number[]>();
  parsed.forEach((document, i) => {
    for (const token of document.counts.keys()) {
      let list = postings.get(token);
      if (!list) postings.set(token, (list = []));
      list.push(i);
    }
  });
  const totalLength = parsed.reduce((sum, document) => sum + document.length, 0);
  const statistics: TermStatistics = {
    documentCount: documents.length,
    averageLength: documents.length > 0 ? totalLength / documents.length : 0,
    documentFrequency: (token) => postings.get(token)?.length ?? 0,
  };
  const lengthFactor = Float64Array.from(
    parsed,
    (document) => k1 * (1 - b + (b * document.length) / Math.max(statistics.averageLength, 1e-9)),
  );
  const accumulator = new Float64Array(documents.length);

  function search(queryTokens: readonly string[], limit = Infinity): Scored[] {
    const touched: number[] = [];
    for (const token of new Set(queryTokens)) {
      const list = postings.get(token);
      if (!list) continue;
      const idf = bm25Idf(list.length, statistics.documentCount);
      for (const i of list) {
        const tf = parsed[i]!.counts.get(token)!;
        if (accumulator[i] === 0) touched.push(i);
        accumulator[i] = accumulator[i]! + (idf * tf * (k1 + 1)) / (tf + lengthFactor[i]!);
      }
    }
    const results = touched.map((i) => ({ id: documents[i]!.id, score: accumulator[i]! }));
    for (const i of touched) accumulator[i] = 0;
    results.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
    return Number.isFinite(limit) ? results.slice(0, limit) : results;
  }

  return { statistics, search, document: (id) => byId.get(id) };
}

/**
 * Reciprocal rank fusion (Cormack, Clarke and Buettcher 2009): each list adds
 * weight / (k + rank), rank from 1. Lists must be sorted best first.
 */
export function reciprocalRankFusion(
  lists: ReadonlyArray<readonly Scored[]>,
  k = 60,
  weights: readonly number[] = [],
): Scored[] {
  const fused = new Map<string, number>();
  lists.forEach((list, l) => {
    const weight = weights[l] ?? 1;
    list.forEach(({ id }, rank) => fused.set(id, (fused.get(id) ?? 0) + weight / (k + rank + 1)));
  });
  return [...fused]
    .map(([id, score]) => ({ id, score }))
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
}
