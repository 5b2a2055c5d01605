/**
 * BM25 maths for knowledge-base keyword search, free of storage: per-document term counts,
 * the score, and the score divided by its ceiling for the query (one scale for every query).
 */

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

/**
 * The counts of only the given terms in a space-separated token string, and its full length:
 * what `bm25Score` reads of a document, found by searching the string for each term instead of
 * splitting it (keyword search scores hundreds of candidate chunks per query).
 */
export function keywordDocumentFor(tokens: string, terms: Iterable<string>): KeywordDocument {
  let length = 1;
  for (let i = tokens.indexOf(' '); i !== -1; i = tokens.indexOf(' ', i + 1)) length++;
  const counts = new Map<string, number>();
  for (const term of terms) {
    const count =
      term === '' || term.includes(' ') ? splitCount(tokens, term) : tokenCount(tokens, term);
    if (count) counts.set(term, count);
  }
  return { counts, length };
}

/** Occurrences of `term` as a whole space-delimited token (a term holds no space). */
function tokenCount(tokens: string, term: string): number {
  let count = 0;
  for (let at = tokens.indexOf(term); at !== -1; at = tokens.indexOf(term, at)) {
    const end = at + term.length;
    if (
      (at === 0 || tokens.charCodeAt(at - 1) === 32) &&
      (end === tokens.length || tokens.charCodeAt(end) === 32)
    )
      count++;
    // No whole token can start inside this occurrence: it holds no space.
    at = end;
  }
  return count;
}

function splitCount(tokens: string, term: string): number {
  return tokens.split(' ').filter((token) => token === term).length;
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
  const lengthFactor =
    k1 * (1 - b + (b * document.length) / Math.max(statistics.averageLength, 1e-9));
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
