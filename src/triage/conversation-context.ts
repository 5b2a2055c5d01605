/**
 * What triage of one message takes from the conversation so far: a follow-up such as "那运费呢",
 * "it's still not here" or "我已经等了10天了还没到账" means nothing alone. The earlier customer turns
 * lend the topic (for classifying and retrieving a short or unsure message), the order and tracking
 * numbers given before, and the count of earlier messages about the same thing (repeat contact).
 */
import { z } from 'zod';

export const historyTurnSchema = z.object({
  author: z.enum(['customer', 'bot', 'agent']),
  text: z.string().trim().min(1).max(4000),
});
export type HistoryTurn = z.infer<typeof historyTurnSchema>;
/** At most this many earlier turns are read (the most recent ones). */
export const MAX_HISTORY_TURNS = 10;
export const historySchema = z.array(historyTurnSchema).max(MAX_HISTORY_TURNS);

/** How many earlier customer turns lend their topic to the current one. */
const TOPIC_TURNS = 2;

/** A message this short says little on its own ("那运费呢", "still nothing", "还没到账"). */
export function isShortFollowUp(text: string): boolean {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const words = text.split(/\s+/).filter((word) => /[a-z]/i.test(word)).length;
  return han > 0 ? han <= 14 : words <= 8;
}

/** The earlier customer turns that give a follow-up its topic, oldest first, joined with the message. */
export function withTopic(text: string, history: readonly HistoryTurn[]): string {
  const earlier = history
    .filter((turn) => turn.author === 'customer')
    .slice(-TOPIC_TURNS)
    .map((turn) => turn.text);
  return [...earlier, text].join('\n');
}
function bigrams(text: string): Set<string> {
  const compact = text.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
  const grams = new Set<string>();
  for (let index = 0; index < compact.length - 1; index++)
    grams.add(compact.slice(index, index + 2));
  return grams;
}

/** Jaccard overlap of character bigrams: the same complaint retyped scores high, a new topic low. */
export function similarity(a: string, b: string): number {
  const left = bigrams(a);
  const right = bigrams(b);
  if (!left.size || !right.size) return 0;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared++;
  return shared / (left.size + right.size - shared);
}

/** Earlier customer turns that say much the same as this one (the customer is writing again). */
export function repeatedTurns(
  text: string,
  history: readonly HistoryTurn[],
  threshold = 0.35,
): number {
  return history.filter(
    (turn) => turn.author === 'customer' && similarity(turn.text, text) >= threshold,
  ).length;
}
