/**
 * Whether a customer's question is the one an approved answer was written for: the cosine
 * similarity of the two questions' vectors from the knowledge base's own embedder, above a
 * threshold. Same entry is required before this is asked (the policy grounded the answer in it).
 */

/**
 * The least similarity for "the same question". Measured on the shipped knowledge base with
 * the local embedder: of all pairs of different questions listed under one entry (60,268 pairs:
 * the other things customers ask about that entry), 98% score below 0.71 and 99% below 0.78;
 * the same question reworded scores higher ("退款多久到账？" / "请问退款多久能到账" 0.91, "How long
 * does a refund take to reach my card?" / "Hi, how long does a refund take to get to my card?
 * order …" 0.90), while another aspect of the entry scores low ("… / Can you refund to a
 * different account?" 0.21). A paraphrase in other words may fall below (0.48) and gets the
 * entry's text: the safe side, since that text answers every question of the entry.
 */
export const SAME_QUESTION_SIMILARITY = 0.75;

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    dot += a[index]! * b[index]!;
    normA += a[index]! ** 2;
    normB += b[index]! ** 2;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** The closest candidate at or above the threshold, with its similarity; undefined when none is. */
export function closestQuestion<T>(
  question: readonly number[],
  candidates: readonly { item: T; vector: readonly number[] }[],
  threshold = SAME_QUESTION_SIMILARITY,
): { item: T; similarity: number } | undefined {
  let best: { item: T; similarity: number } | undefined;
  for (const candidate of candidates) {
    const similarity = cosineSimilarity(question, candidate.vector);
    if (similarity >= threshold && (!best || similarity > best.similarity))
      best = { item: candidate.item, similarity };
  }
  return best;
}
