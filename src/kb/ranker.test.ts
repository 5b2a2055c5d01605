import { describe, expect, it } from 'vitest';
import { fitLinearRanker, linearRankerSchema, rankerScore, type RankingQuery } from './ranker.js';

describe('fitLinearRanker', () => {
  // Feature 0 decides which candidate is right; feature 1 is noise of the same spread.
  const queries: RankingQuery[] = Array.from({ length: 60 }, (_, q) => {
    const right = q % 4;
    return {
      candidates: [0, 1, 2, 3].map((i) => [
        i === right ? 1 + ((q * 7) % 5) / 10 : ((q + i) % 5) / 10,
        ((q * 3 + i * 5) % 7) / 3,
      ]),
      relevant: [right],
    };
  });

  it('learns to put the informative signal first and ranks the right candidates on top', () => {
    const ranker = fitLinearRanker(queries);
    expect(ranker.weights[0]!).toBeGreaterThan(5 * Math.abs(ranker.weights[1]!));
    const top1 = queries.filter((query) => {
      const scores = query.candidates.map((features) => rankerScore(ranker, features));
      return scores.indexOf(Math.max(...scores)) === query.relevant[0];
    }).length;
    expect(top1).toBe(queries.length);
  });

  it('skips queries without a relevant candidate and survives a constant feature', () => {
    const ranker = fitLinearRanker(
      [
        ...queries,
        {
          candidates: [
            [0, 0],
            [1, 1],
          ],
          relevant: [],
        },
      ].map((query) => ({ ...query, candidates: query.candidates.map((row) => [...row, 3]) })),
    );
    expect(ranker.scales[2]).toBe(1);
    expect(linearRankerSchema.parse(ranker)).toEqual(ranker);
    expect(() => rankerScore(ranker, [1, 2])).toThrow(/expects 3 features/);
  });
});
