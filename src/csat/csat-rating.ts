/**
 * Whether a customer message is nothing but a 1-5 rating ("5", "５分", "四星", "4/5", "⭐⭐⭐⭐",
 * "5 stars"): only such a message answers a pending satisfaction survey. Anything with more
 * words ("5 days and still nothing") is a real message and goes through triage.
 */

const chineseDigits: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

// Optional "给/打/评" before, a unit after ("分", "星", "颗星", "stars", "/5", "out of 5"),
// closing punctuation or a single emoji-free particle ("吧", "啦") at the end.
const numeric =
  /^(?:给|打|评)?\s*([1-5一二两三四五])\s*(?:分|星|颗星|个星|stars?|\/\s*5|out of 5)?\s*(?:吧|啦|了)?[\s.!。！~～]*$/u;
const stars = /^([⭐★]{1,5})[\s.!。！]*$/u;

/** The rating 1-5 the text consists of, or undefined when it is anything else. */
export function parseRating(text: string): number | undefined {
  const normalised = text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/\uFE0F/g, '');
  const starMatch = stars.exec(normalised);
  if (starMatch) return [...starMatch[1]!].length;
  const match = numeric.exec(normalised);
  if (!match) return undefined;
  const token = match[1]!;
  return chineseDigits[token] ?? Number(token);
}
