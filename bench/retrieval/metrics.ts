/** Retrieval metrics over ranked id lists. */

/** Average precision of one ranking against the set of relevant ids. */
export function averagePrecision(
  ranking: readonly string[],
  relevant: ReadonlySet<string>,
): number {
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
export function firstRelevantRank(
  ranking: readonly string[],
  relevant: ReadonlySet<string>,
): number {
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

/** Area under the ROC curve of `scores` for separating positives from negatives (ties count half). */
export function areaUnderRoc(scores: readonly number[], positive: readonly boolean[]): number {
  const order = scores
    .map((score, i) => ({ score, positive: positive[i]! }))
    .sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]!.score === order[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (order[k]!.positive) ((rankSum += averageRank), positives++);
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Expected calibration error over equal-width probability bins. */
export function expectedCalibrationError(
  probabilities: readonly number[],
  outcomes: readonly boolean[],
  bins = 10,
): number {
  const count = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  probabilities.forEach((p, i) => {
    const bin = Math.min(bins - 1, Math.floor(p * bins));
    count[bin]!++;
    confidence[bin]! += p;
    if (outcomes[i]) hits[bin]!++;
  });
  let error = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) error += Math.abs(hits[b]! - confidence[b]!);
  return error / probabilities.length;
}
