/**
 * From chunk hits to ranked entries: best chunk per entry on each side (vector and
 * keyword), reciprocal rank fusion of the two entry rankings, and a calibrated score
 * the decision step can put a threshold on.
 */
import type { ChunkHit } from './kb.repository.js';

export interface EntryCandidate {
  entryId: string;
  locale: string;
  dense: number;
  keyword: number;
  /** P(entry | query) from the trained question-to-entry model (0 when it has no opinion). */
  model: number;
  denseRank: number | null;
  keywordRank: number | null;
  modelRank: number | null;
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
  context: { queryTokens: string[]; modelScores?: Map<string, number>; locale?: string },
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
        model: 0,
        denseRank: null,
        keywordRank: null,
        modelRank: null,
        fused: 0,
        evidence: hit.text,
        score: 0,
      };
      candidates.set(hit.entry_id, candidate);
    }
    return candidate;
  };
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
  const modelRanked = [...(context.modelScores ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1]);
  modelRanked.forEach(([entryId, probability], rank) => {
    const candidate = get({ id: -1, entry_id: entryId, locale: context.locale ?? '', kind: 'question', text: '', score: 0 });
    candidate.model = probability;
    candidate.modelRank = rank;
    candidate.fused += 1 / (RRF_K + rank + 1);
  });
  return [...candidates.values()].sort((a, b) => b.fused - a.fused);
}

/** Features the calibrator sees for each candidate, given the whole list. */
export function candidateFeatures(candidates: EntryCandidate[], index: number): number[] {
  const candidate = candidates[index]!;
  const next = candidates[index === 0 ? 1 : 0];
  const maxFused = 3 / (RRF_K + 1);
  return [
    candidate.dense,
    candidate.keyword,
    candidate.fused / maxFused,
    index === 0 ? candidate.dense - (next?.dense ?? 0) : 0,
    index === 0 ? 1 : 0,
    candidate.model,
    index === 0 ? candidate.model - (next?.model ?? 0) : 0,
  ];
}

export interface RetrievalScorer {
  score(candidates: EntryCandidate[]): EntryCandidate[];
  refit?(knowledgeBase: unknown): Promise<void>;
  load?(): Promise<void>;
}

/** Logistic calibration over candidate features; weights fitted elsewhere. */
export function logisticScorer(weights: number[], bias: number): RetrievalScorer {
  return {
    score(candidates) {
      return candidates
        .map((candidate, index) => {
          const features = candidateFeatures(candidates, index);
          const z = features.reduce((sum, value, i) => sum + value * (weights[i] ?? 0), bias);
          return { ...candidate, score: 1 / (1 + Math.exp(-z)) };
        })
        .sort((a, b) => b.score - a.score);
    },
  };
}
