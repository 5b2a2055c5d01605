/**
 * Ranking maths for knowledge-base search, free of storage: BM25 over our own search
 * tokens, reciprocal rank fusion, per-match features, and a logistic calibrator that turns
 * them into "probability this entry answers the query".
 */

export interface Scored {
  id: string;
  score: number;
}

export interface Bm25Parameters {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalisation. Default 0.75. */
  b?: number;
}

/** Corpus statistics BM25 needs; SQL can keep them in a small table. */
export interface TermStatistics {
  documentCount: number;
  averageLength: number;
  documentFrequency(token: string): number;
}

export interface KeywordDocument {
  /** Token -> count in the document. */
  counts: ReadonlyMap<string, number>;
  length: number;
}

export function keywordDocument(tokens: readonly string[]): KeywordDocument {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return { counts, length: tokens.length };
}

/** Robertson-Sparck Jones IDF with the +1 that keeps it positive (Lucene's form). */
export function bm25Idf(documentFrequency: number, documentCount: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** BM25 of one document; each distinct query token counts once. */
export function bm25Score(
  queryTokens: readonly string[],
  document: KeywordDocument,
  statistics: TermStatistics,
  parameters: Bm25Parameters = {},
): number {
  const k1 = parameters.k1 ?? 1.2;
  const b = parameters.b ?? 0.75;
  const lengthFactor = k1 * (1 - b + (b * document.length) / Math.max(statistics.averageLength, 1e-9));
  let score = 0;
  for (const token of new Set(queryTokens)) {
    const tf = document.counts.get(token);
    if (!tf) continue;
    const idf = bm25Idf(statistics.documentFrequency(token), statistics.documentCount);
    score += (idf * tf * (k1 + 1)) / (tf + lengthFactor);
  }
  return score;
}

/**
 * BM25 divided by its ceiling for this query (every query token present with saturated
 * frequency), so scores from different queries share one scale in [0, 1).
 */
export function normalisedBm25(
  queryTokens: readonly string[],
  document: KeywordDocument,
  statistics: TermStatistics,
  parameters: Bm25Parameters = {},
): number {
  const ceiling = bm25Ceiling(queryTokens, statistics, parameters);
  return ceiling > 0 ? bm25Score(queryTokens, document, statistics, parameters) / ceiling : 0;
}

export function bm25Ceiling(
  queryTokens: readonly string[],
  statistics: TermStatistics,
  parameters: Bm25Parameters = {},
): number {
  const k1 = parameters.k1 ?? 1.2;
  let ceiling = 0;
  for (const token of new Set(queryTokens)) {
    ceiling += bm25Idf(statistics.documentFrequency(token), statistics.documentCount) * (k1 + 1);
  }
  return ceiling;
}

export interface KeywordIndex {
  statistics: TermStatistics;
  /** Documents sharing at least one token with the query, best first. */
  search(queryTokens: readonly string[], limit?: number): Scored[];
  document(id: string): KeywordDocument | undefined;
}

/** An in-memory inverted index: the reference the SQL version is checked against. */
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

/** Keeps the best score per group (e.g. chunks -> knowledge-base entry), best first. */
export function maxPerGroup(scored: readonly Scored[], groupOf: (id: string) => string): Scored[] {
  const best = new Map<string, number>();
  for (const { id, score } of scored) {
    const group = groupOf(id);
    const held = best.get(group);
    if (held === undefined || score > held) best.set(group, score);
  }
  return [...best]
    .map(([id, score]) => ({ id, score }))
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
}
