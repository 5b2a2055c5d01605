/**
 * Hashed n-gram features for the local embedder: Latin words and word bigrams, Latin
 * character 3-5-grams inside word boundaries, CJK character 1-3-grams. Each feature is a
 * bucket of a 32-bit FNV-1a hash, so the fitted state stores numbers, never strings.
 */
import { isCjk, textRuns } from '../../text/tokenize.js';

/** Feature groups; each is TF-IDF weighted and L2-normalised on its own, then weighted. */
export const FEATURE_GROUPS = ['word', 'char'] as const;

export interface HashedFeatures {
  /** Bucket -> raw count, per group. Buckets of different groups never collide (group bit). */
  word: Map<number, number>;
  char: Map<number, number>;
}

const DIGIT_RUN = /^\d+$/;

/**
 * Buckets are `hashBits` wide plus one top bit for the group, so a word and a character
 * n-gram that hash alike stay apart.
 */
export function hashedFeatures(text: string, hashBits: number): HashedFeatures {
  const mask = (1 << hashBits) - 1;
  const charBit = 1 << hashBits;
  const word = new Map<number, number>();
  const char = new Map<number, number>();
  const addWord = (feature: string): void => {
    const bucket = fnv1a(feature) & mask;
    word.set(bucket, (word.get(bucket) ?? 0) + 1);
  };
  const addChar = (feature: string): void => {
    const bucket = (fnv1a(feature) & mask) | charBit;
    char.set(bucket, (char.get(bucket) ?? 0) + 1);
  };

  // Word level: Latin words and CJK characters in reading order, and their bigrams.
  let previous = '';
  for (const run of textRuns(text)) {
    if (isCjk(run[0]!)) {
      const characters = Array.from(run);
      for (let i = 0; i < characters.length; i++) {
        const character = characters[i]!;
        addWord(character);
        if (previous) addWord(`${previous} ${character}`);
        previous = character;
        // Character level: CJK bigrams and trigrams inside the run.
        if (i + 1 < characters.length) addChar(character + characters[i + 1]!);
        if (i + 2 < characters.length) addChar(character + characters[i + 1]! + characters[i + 2]!);
      }
      continue;
    }
    addWord(run);
    if (previous) addWord(`${previous} ${run}`);
    previous = run;
    // Order numbers and amounts: the word is a feature, their digit n-grams are noise.
    if (DIGIT_RUN.test(run)) continue;
    const padded = ` ${run} `;
    for (let n = 3; n <= 5; n++) {
      for (let i = 0; i + n <= padded.length; i++) addChar(padded.slice(i, i + n));
    }
  }
  return { word, char };
}

/** 32-bit FNV-1a over UTF-16 code units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
