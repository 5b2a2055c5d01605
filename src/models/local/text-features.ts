/**
 * Turns a message into the string features the local classifier counts: words and word
 * bigrams, character n-grams inside word boundaries, and CJK character n-grams (Chinese has
 * no spaces, so its characters and their neighbours stand in for words).
 */
import { isCjk, textRuns } from '../../text/tokenize.js';

export interface FeatureOptions {
  /** Longest Latin character n-gram (inside a word padded with spaces). Default 5. */
  maxCharNgram?: number;
  /** Shortest Latin character n-gram. Default 3 (bigrams cost time and did not help). */
  minCharNgram?: number;
  /** Longest CJK character n-gram. Default 3. */
  maxCjkNgram?: number;
}

/** Two groups, weighted and normalised separately: word-level and character-level. */
export interface TextFeatures {
  words: string[];
  chars: string[];
}

const DIGITS = /\d/g;

export function extractFeatures(text: string, options: FeatureOptions = {}): TextFeatures {
  const minChar = options.minCharNgram ?? 3;
  const maxChar = options.maxCharNgram ?? 5;
  const maxCjk = options.maxCjkNgram ?? 3;
  const words: string[] = [];
  const chars: string[] = [];
  // The sequence for word bigrams: Latin words, and each CJK run's characters.
  const sequence: string[] = ['<s>'];

  for (const run of textRuns(text)) {
    if (isCjk(run[0]!)) {
      const characters = Array.from(run);
      // Characters and n-grams within the run, with the run's edges marked.
      const padded = ['<', ...characters, '>'];
      for (let n = 2; n <= maxCjk; n++) {
        for (let i = 0; i + n <= padded.length; i++) chars.push(padded.slice(i, i + n).join(''));
      }
      for (const character of characters) {
        words.push(character);
        sequence.push(character);
      }
      continue;
    }
    const word = run.replace(DIGITS, '0');
    words.push(word);
    sequence.push(word);
    const padded = ` ${word} `;
    for (let n = minChar; n <= maxChar; n++) {
      if (n > padded.length) break;
      for (let i = 0; i + n <= padded.length; i++) chars.push(padded.slice(i, i + n));
    }
  }
  sequence.push('</s>');
  for (let i = 0; i + 1 < sequence.length; i++) words.push(`${sequence[i]} ${sequence[i + 1]}`);
  return { words, chars };
}
