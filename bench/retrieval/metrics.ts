/** Retrieval metrics over ranked id lists. */

/** Average precision of one ranking against the set of relevant ids. */
export function averagePrecision(ranking: readonly string[], relevant: ReadonlySet<string>): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranking.forEach((id, index) => {
    if (!relevant.has(id)) return;
    hits++;
    sum += hits / (index + 1);
  });
  return sum / relevant.size;
}

/** 1-based rank of the first relevant id, or Infinity. */
export function firstRelevantRank(ranking: readonly string[], relevant: ReadonlySet<string>): number {
  const index = ranking.findIndex((id) => relevant.has(id));
  return index < 0 ? Infinity : index + 1;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Ids sorted by score, best first; ties keep input order. */
export function rankByScore(ids: readonly string[], scores: ArrayLike<number>): string[] {
  return ids
    .map((id, i) => ({ id, score: scores[i]!, i }))
    .sort((x, y) => y.score - x.score || x.i - y.i)
    .map(({ id }) => id);
}
