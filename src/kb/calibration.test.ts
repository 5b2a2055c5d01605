import { describe, expect, it } from 'vitest';
import { type CalibrationSource, fitCalibrator } from './calibration.js';
import type { EntryCandidate } from './retrieval.js';

function candidate(entryId: string, signal: number): EntryCandidate {
  return {
    entryId,
    locale: 'en',
    dense: signal,
    keyword: 0,
    denseQuestion: signal,
    denseAnswer: 0,
    keywordQuestion: 0,
    keywordAnswer: 0,
    lexicalQuestion: signal,
    lexicalAnswer: 0,
    model: signal / 2,
    denseRank: null,
    keywordRank: null,
    modelRank: null,
    lexicalRank: null,
    fused: 0,
    evidence: '',
    score: 0,
  };
}

/** Entries e0..e{n-1} with `questions` paraphrases each; the right entry's signals are higher. */
function source(
  entries: number,
  questions: (entry: number) => number,
): CalibrationSource & { asked: string[] } {
  const paraphrases = Array.from({ length: entries }, (_, e) =>
    Array.from({ length: questions(e) }, (_, q) => ({
      entryId: `e${e}`,
      locale: 'en',
      question: `q${e}-${q}`,
    })),
  ).flat();
  const asked: string[] = [];
  return {
    asked,
    paraphrases: async () => paraphrases,
    async candidates(query) {
      asked.push(query);
      const right = query.slice(1, query.indexOf('-'));
      return [0, 1, 2].map((k) =>
        candidate(k === 0 ? `e${right}` : `x${k}`, k === 0 ? 0.8 : 0.3 + 0.1 * k),
      );
    },
  };
}

describe('fitCalibrator', () => {
  it('asks only with questions of entries that keep another question (single ones would mislead)', async () => {
    const kb = source(6, (entry) => (entry % 2 === 0 ? 1 : 3));
    const state = await fitCalibrator(kb);
    expect(kb.asked.every((query) => !/^q[024]-/.test(query))).toBe(true);
    expect(state.queries).toBe(9);
  });

  it('keeps the prior ranker on a small KB and learns one from enough paraphrases', async () => {
    const small = await fitCalibrator(source(3, () => 3));
    const large = await fitCalibrator(source(30, () => 4));
    expect(small.ranker.weights).toEqual([0, 4, 0.5, 2, 0, 0]);
    expect(large.queries).toBe(120);
    expect(large.ranker.weights).not.toEqual(small.ranker.weights);
    // The right entry is always the strongest: the fitted probability says so.
    expect(large.weights[0]! + large.weights[1]!).toBeGreaterThan(0);
  });
});
