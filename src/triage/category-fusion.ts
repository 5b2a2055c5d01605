/**
 * The category from two independent sources: the classifier's probabilities and the
 * category of the knowledge-base entry retrieval matched best. A confident match adds its
 * score to its category's probability (then all are renormalised), so a message the
 * classifier is torn about follows the entry it clearly asks about. The weight was chosen
 * by cross-validation on the taxonomy's examples (bench/triage/dump-dev.ts), where it
 * raised category accuracy by about 1.5 points; the eval was not used.
 */
import type { LabelScore } from '../models/ports.js';

export interface FusionOptions {
  /** Weight of the match's score next to the classifier's probabilities. Default 1. */
  weight?: number;
  /** Matches scoring below this add nothing. */
  minimumScore: number;
}

export interface FusedCategory {
  label: string | null;
  confidence: number;
  /** Set when the match changed the classifier's answer. */
  reason?: string;
}

export function fuseCategory(
  ranking: LabelScore[],
  match: { id: string; score: number; category: string | null } | undefined,
  options: FusionOptions,
): FusedCategory {
  const top = ranking[0];
  if (!top) return { label: null, confidence: 0 };
  const weight = options.weight ?? 1;
  if (!match?.category || !(match.score >= options.minimumScore) || weight <= 0) {
    return { label: top.label, confidence: top.probability };
  }
  const added = weight * match.score;
  const probabilities = new Map(ranking.map((score) => [score.label, score.probability]));
  probabilities.set(match.category, (probabilities.get(match.category) ?? 0) + added);
  let best = { label: top.label, probability: -1 };
  for (const [label, probability] of probabilities)
    if (probability > best.probability) best = { label, probability };
  const confidence = best.probability / (1 + added);
  if (best.label === top.label) return { label: best.label, confidence };
  return {
    label: best.label,
    confidence,
    reason: `category ${best.label} from the match ${match.id} (${match.score.toFixed(2)}) over the classifier's ${top.label} (${top.probability.toFixed(2)})`,
  };
}
