/**
 * Which query terms fetch the keyword search's candidate chunks: the selective ones (in at
 * most 5 % of chunks; common ones would pull in most of the table), rarest first, until
 * their chunk counts add up to a budget, so the cost of one query stays bounded however
 * large the knowledge base grows. BM25 then scores the candidates on every query term.
 */

/**
 * Chunks one query may pull in as candidates (the sum of its chosen terms' document
 * frequencies; the term that crosses it is still taken). At 97k chunks a long query's
 * selective terms held 20,000 chunks and ranking them took half a second; with this
 * budget the exhaustive BM25 top 40 is still found (recall in bench/kb/scale.ts).
 */
export const KEYWORD_CANDIDATE_BUDGET = 4000;

export function candidateTerms(
  terms: readonly string[],
  documentFrequency: (term: string) => number,
  chunkCount: number,
  budget = KEYWORD_CANDIDATE_BUDGET,
): string[] {
  const present = [...new Set(terms)]
    .filter((term) => documentFrequency(term) > 0)
    .sort((a, b) => documentFrequency(a) - documentFrequency(b));
  if (present.length === 0) return [];
  const selectiveLimit = Math.max(50, chunkCount * 0.05);
  let postings = 0;
  const chosen = present.filter((term) => {
    const frequency = documentFrequency(term);
    if (frequency > selectiveLimit || postings >= budget) return false;
    postings += frequency;
    return true;
  });
  // Only common terms: the three rarest still find something.
  return chosen.length ? chosen : present.slice(0, 3);
}
