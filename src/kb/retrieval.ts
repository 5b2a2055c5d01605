/**
 * From chunk hits to ranked entries: best chunk per entry on each side (vector and
 * keyword), reciprocal rank fusion of the two entry rankings, and a calibrated score
 * the decision step can put a threshold on.
 */
import type { ChunkHit } from './kb.repository.js';
import type { LexicalMatch } from './lexical-index.js';
import { type LinearRanker, rankerScore } from './ranker.js';

export interface EntryCandidate {
  entryId: string;
  locale: string;
  dense: number;
  keyword: number;
  /** Best dense cosine over the entry's question chunks (title, paraphrases) and over its answer chunks. */
  denseQuestion: number;
  denseAnswer: number;
  /** The same for normalised BM25. */
  keywordQuestion: number;
  keywordAnswer: number;
  /** Sparse TF-IDF cosine (lexical index) of the best question chunk and answer chunk. */
  lexicalQuestion: number;
  lexicalAnswer: number;
  /** P(entry | query) from the trained question-to-entry model (0 when it has no opinion). */
  model: number;
  denseRank: number | null;
  keywordRank: number | null;
  modelRank: number | null;
  lexicalRank: number | null;
  fused: number;
  evidence: string;
  /** Filled in by the scorer: calibrated probability the entry answers the query. */
  score: number;
}

export const RRF_K = 60;

function bestPerEntry(hits: ChunkHit[]): Map<string, ChunkHit> {
  const best = new Map<string, ChunkHit>();
  for (const hit of hits) {
    const current = best.get(hit.entry_id);
    if (!current || hit.score > current.score) best.set(hit.entry_id, hit);
  }
  return best;
}

export function rankEntries(
  dense: ChunkHit[],
  keyword: ChunkHit[],
  context: {
    queryTokens: string[];
    modelScores?: Map<string, number>;
    /** Lexical-index matches per entry, best first. */
    lexical?: Map<string, LexicalMatch>;
    locale?: string;
  },
): EntryCandidate[] {
  const denseBest = [...bestPerEntry(dense).values()].sort((a, b) => b.score - a.score);
  const keywordBest = [...bestPerEntry(keyword).values()].sort((a, b) => b.score - a.score);
  // BM25 arrives normalised to [0, 1) per query; keep it absolute so a weak best match stays weak.
  const topKeyword = 1;
  const candidates = new Map<string, EntryCandidate>();
  const get = (hit: ChunkHit) => {
    let candidate = candidates.get(hit.entry_id);
    if (!candidate) {
      candidate = {
        entryId: hit.entry_id,
        locale: hit.locale,
        dense: 0,
        keyword: 0,
        denseQuestion: 0,
        denseAnswer: 0,
        keywordQuestion: 0,
        keywordAnswer: 0,
        lexicalQuestion: 0,
        lexicalAnswer: 0,
        model: 0,
        denseRank: null,
        keywordRank: null,
        modelRank: null,
        lexicalRank: null,
        fused: 0,
        evidence: hit.text,
        score: 0,
      };
      candidates.set(hit.entry_id, candidate);
    }
    return candidate;
  };
  for (const hit of dense) {
    const candidate = get(hit);
    if (hit.kind === 'answer') candidate.denseAnswer = Math.max(candidate.denseAnswer, hit.score);
    else candidate.denseQuestion = Math.max(candidate.denseQuestion, hit.score);
  }
  for (const hit of keyword) {
    const candidate = get(hit);
    if (hit.kind === 'answer')
      candidate.keywordAnswer = Math.max(candidate.keywordAnswer, hit.score);
    else candidate.keywordQuestion = Math.max(candidate.keywordQuestion, hit.score);
  }
  denseBest.forEach((hit, rank) => {
    const candidate = get(hit);
    candidate.dense = hit.score;
    candidate.denseRank = rank;
    candidate.fused += 1 / (RRF_K + rank + 1);
    candidate.evidence = hit.text;
  });
  keywordBest.forEach((hit, rank) => {
    const candidate = get(hit);
    candidate.keyword = topKeyword > 0 ? hit.score / topKeyword : 0;
    candidate.keywordRank = rank;
    candidate.fused += 1 / (RRF_K + rank + 1);
  });
  const modelRanked = [...(context.modelScores ?? new Map<string, number>()).entries()].sort(
    (a, b) => b[1] - a[1],
  );
  modelRanked.forEach(([entryId, probability], rank) => {
    const candidate = get({
      id: -1,
      entry_id: entryId,
      locale: context.locale ?? '',
      kind: 'question',
      text: '',
      score: 0,
    });
    candidate.model = probability;
    candidate.modelRank = rank;
    candidate.fused += 1 / (RRF_K + rank + 1);
  });
  // The lexical list is long (every entry sharing a character n-gram): its head suffices.
  [...(context.lexical ?? new Map<string, LexicalMatch>()).entries()]
    .slice(0, LEXICAL_CANDIDATES)
    .forEach(([entryId, match], rank) => {
      const candidate = get({
        id: -1,
        entry_id: entryId,
        locale: context.locale ?? '',
        kind: 'question',
        text: '',
        score: 0,
      });
      candidate.lexicalQuestion = match.question;
      candidate.lexicalAnswer = match.answer;
      candidate.lexicalRank = rank;
      candidate.fused += 1 / (RRF_K + rank + 1);
    });
  return [...candidates.values()].sort((a, b) => b.fused - a.fused);
}

const LEXICAL_CANDIDATES = 40;

/**
 * Features the ranker sees for each candidate: the entry model's log-probability, the
 * lexical cosines (question side, answer side), the dense cosine, and the ranks of the
 * entry model and the lexical index. Chosen by 5-fold cross-validation on the KB's own
 * paraphrases (signals dumped by bench/kb/ranking-dump.ts); raw BM25 and per-side dense
 * cosines added nothing there, and BM25 still proposes candidates.
 */
export function candidateFeatures(candidate: EntryCandidate): number[] {
  const reciprocal = (rank: number | null) => (rank === null ? 0 : 1 / (rank + 1));
  return [
    Math.log(candidate.model + 1e-3),
    candidate.lexicalQuestion,
    candidate.lexicalAnswer,
    candidate.dense,
    reciprocal(candidate.modelRank),
    reciprocal(candidate.lexicalRank),
  ];
}

export const FEATURE_COUNT = 6;

export interface RetrievalScorer {
  score(candidates: EntryCandidate[]): EntryCandidate[];
  refit?(knowledgeBase: unknown): Promise<void>;
  /** Loads a stored fit; false when there is none usable (the caller should refit). */
  load?(): Promise<boolean>;
}

/** Probability features from ranker scores: the score, and its lead over the best other one. */
export function scoreFeatures(scores: readonly number[], index: number): number[] {
  let bestOther = -Infinity;
  scores.forEach((value, i) => {
    if (i !== index && value > bestOther) bestOther = value;
  });
  const score = scores[index]!;
  return [score, Number.isFinite(bestOther) ? score - bestOther : 5];
}

/**
 * Ranks candidates by the linear ranker, then maps each score (and its margin over the
 * other candidates) to P(entry answers the query) with a logistic fitted elsewhere.
 */
export function rankerScorer(
  ranker: LinearRanker,
  probability: { weights: number[]; bias: number },
): RetrievalScorer {
  return {
    score(candidates) {
      const scores = candidates.map((candidate) =>
        rankerScore(ranker, candidateFeatures(candidate)),
      );
      // The ranker orders; the probability only labels (it is not monotone in the score alone).
      return candidates
        .map((candidate, index) => {
          const z = scoreFeatures(scores, index).reduce(
            (sum, value, i) => sum + value * (probability.weights[i] ?? 0),
            probability.bias,
          );
          return {
            candidate: { ...candidate, score: 1 / (1 + Math.exp(-z)) },
            rankerScore: scores[index]!,
          };
        })
        .sort((a, b) => b.rankerScore - a.rankerScore)
        .map(({ candidate }) => candidate);
    },
  };
}
