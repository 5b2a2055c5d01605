/**
 * The statistical test behind surge alerts: is one key's share of the conversations in the
 * last window far above its share over the previous days?
 *
 * Why a share (a binomial test conditioned on the window's total) rather than a Poisson test
 * of the key's own rate: customer traffic follows the clock (quiet nights, busy evenings, a
 * campaign day). A Poisson test against the average rate of the previous days fires for every
 * large key each busy hour, and misses surges at night. Conditioning on how many conversations
 * the window holds cancels the daily cycle and overall volume changes; a wave of one problem
 * still shows, since it raises that key's share and no other's. The price: a rise of every key
 * at once (the whole shop busier) is not an alert, which is what we want from "one problem".
 *
 * Guards against tiny counts, each a setting (surge-settings.ts): no judgement until the
 * baseline holds enough conversations; a key needs a minimum number of conversations in the
 * window and a minimum ratio of observed to expected (a 10 % rise at high volume is
 * "significant" but not an emergency); and the p-value limit is small because every key is
 * tested every run (see README "Surge alerts" for the false-alarm arithmetic).
 */

export interface SurgeCounts {
  /** Conversations of the key in the window. */
  observed: number;
  /** Conversations (any key) in the window. */
  windowTotal: number;
  /** Conversations of the key in the baseline period (the days before the window). */
  baselineCount: number;
  /** Conversations (any key) in the baseline period. */
  baselineTotal: number;
}

export interface SurgeThresholds {
  /** Largest p-value that is a surge. */
  pValue: number;
  /** Fewest conversations of the key in the window. */
  minCount: number;
  /** Smallest observed / expected. */
  minRatio: number;
  /** Fewest baseline conversations before anything is judged (a new install has no normal yet). */
  minBaseline: number;
}

export interface SurgeJudgement extends SurgeCounts {
  /** The key's share of the baseline, smoothed (never 0: a key never seen before can surge). */
  baselineShare: number;
  /** baselineShare × windowTotal. */
  expected: number;
  /** observed / expected. */
  ratio: number;
  /** P(X ≥ observed) for X ~ Binomial(windowTotal, baselineShare). */
  pValue: number;
  significant: boolean;
  /** Which guard held it back, when not significant. */
  heldBy?: 'baseline' | 'count' | 'ratio' | 'p_value';
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients: about 15 significant digits). */
export function logGamma(x: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = coefficients[0]!;
  for (let index = 1; index < coefficients.length; index++)
    sum += coefficients[index]! / (shifted + index);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

function logBinomialPmf(k: number, n: number, p: number): number {
  return (
    logGamma(n + 1) -
    logGamma(k + 1) -
    logGamma(n - k + 1) +
    k * Math.log(p) +
    (n - k) * Math.log1p(-p)
  );
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed from k up (terms fall once past the mean). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // Below the mean the tail is most of the mass: 1 minus the (shorter) lower sum is exact enough.
  if (k <= n * p) return Math.max(0, 1 - binomialLowerTail(k - 1, n, p));
  let total = 0;
  for (let i = k; i <= n; i++) {
    const term = Math.exp(logBinomialPmf(i, n, p));
    total += term;
    if (term < total * 1e-17) break;
  }
  return Math.min(1, total);
}

function binomialLowerTail(k: number, n: number, p: number): number {
  let total = 0;
  for (let i = k; i >= 0; i--) {
    const term = Math.exp(logBinomialPmf(i, n, p));
    total += term;
    if (term < total * 1e-17) break;
  }
  return Math.min(1, total);
}

/** The test of one key; `significant` only when every guard passes. */
export function judgeSurge(counts: SurgeCounts, thresholds: SurgeThresholds): SurgeJudgement {
  // Half a conversation of prior (Jeffreys-like): a key absent from the baseline is rare, not impossible.
  const baselineShare = (counts.baselineCount + 0.5) / (counts.baselineTotal + 1);
  const expected = baselineShare * counts.windowTotal;
  const ratio = expected > 0 ? counts.observed / expected : Number.POSITIVE_INFINITY;
  const pValue = binomialUpperTail(counts.observed, counts.windowTotal, baselineShare);
  const judged = { ...counts, baselineShare, expected, ratio, pValue };
  if (counts.baselineTotal < thresholds.minBaseline)
    return { ...judged, significant: false, heldBy: 'baseline' };
  if (counts.observed < thresholds.minCount)
    return { ...judged, significant: false, heldBy: 'count' };
  if (ratio < thresholds.minRatio) return { ...judged, significant: false, heldBy: 'ratio' };
  if (pValue > thresholds.pValue) return { ...judged, significant: false, heldBy: 'p_value' };
  return { ...judged, significant: true };
}
