/**
 * Nearest labelled examples to a message (bag of search tokens, cosine): the few-shot
 * examples an LLM sees are the ones most like the customer's own words.
 */
import { searchTokens } from '../text/tokenize.js';

export interface LabelledExample {
  text: string;
  label: string;
}

export function createExamplesIndex(examples: LabelledExample[]) {
  const documentFrequency = new Map<string, number>();
  const bags = examples.map((example) => {
    const bag = new Map<string, number>();
    for (const token of searchTokens(example.text)) bag.set(token, (bag.get(token) ?? 0) + 1);
    for (const token of bag.keys())
      documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
    return bag;
  });
  const idf = (token: string) =>
    Math.log((1 + examples.length) / (1 + (documentFrequency.get(token) ?? 0))) + 1;
  const weigh = (bag: Map<string, number>) => {
    const weights = new Map<string, number>();
    let norm = 0;
    for (const [token, count] of bag) {
      const weight = (1 + Math.log(count)) * idf(token);
      weights.set(token, weight);
      norm += weight * weight;
    }
    return { weights, norm: Math.sqrt(norm) || 1 };
  };
  const vectors = bags.map(weigh);

  return {
    /** The k most similar examples, at most `perLabel` of each label. */
    nearest(text: string, k = 8, perLabel = 3): LabelledExample[] {
      const bag = new Map<string, number>();
      for (const token of searchTokens(text)) bag.set(token, (bag.get(token) ?? 0) + 1);
      const query = weigh(bag);
      const scored = vectors.map((vector, index) => {
        let dot = 0;
        for (const [token, weight] of query.weights)
          dot += weight * (vector.weights.get(token) ?? 0);
        return { index, score: dot / (vector.norm * query.norm) };
      });
      scored.sort((a, b) => b.score - a.score);
      const perLabelCount = new Map<string, number>();
      const chosen: LabelledExample[] = [];
      for (const { index } of scored) {
        const example = examples[index]!;
        const count = perLabelCount.get(example.label) ?? 0;
        if (count >= perLabel) continue;
        perLabelCount.set(example.label, count + 1);
        chosen.push(example);
        if (chosen.length >= k) break;
      }
      return chosen;
    },
  };
}
