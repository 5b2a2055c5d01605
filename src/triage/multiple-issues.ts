/**
 * Several issues in one message ("保修多久？还有发票怎么开？"): each part is classified
 * on its own, and two parts confidently in different categories mean one answer cannot
 * cover the message, so it goes to a person.
 */
import type { Classifier } from '../models/ports.js';
import { imperative, interrogative } from './intent.js';

// Split after question/exclamation marks and full stops, and before words that open a second topic.
const boundary =
  /(?<=[?？!！。；;])|(?=还有|另外|顺便|再问|以及)|(?=\b(?:also|and also|plus|another thing|one more thing|btw)\b)/iu;

export function splitIssues(text: string): string[] {
  return text
    .split(boundary)
    .map((part) =>
      part.replace(/^(还有|另外|顺便|以及|also|and also|plus|btw)[,，\s]*/i, '').trim(),
    )
    .filter((part) => part.replace(/[\p{P}\p{S}\s]/gu, '').length >= 4);
}

export async function detectMultipleIssues(
  text: string,
  classifier: Classifier,
  minimumConfidence = 0.6,
): Promise<{ flagged: boolean; categories: string[] }> {
  // Only parts that ask or demand something are issues; "我手机[PHONE]" is context.
  const parts = splitIssues(text).filter(
    (part) => interrogative.test(part) || imperative.test(part),
  );
  if (parts.length < 2) return { flagged: false, categories: [] };
  const categories = new Set<string>();
  for (const part of parts) {
    const result = await classifier.classify(part);
    if (result.label && result.confidence >= minimumConfidence) categories.add(result.label);
  }
  return { flagged: categories.size >= 2, categories: [...categories] };
}
