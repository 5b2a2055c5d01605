/**
 * Tokens for keyword search and for the local models' features. Postgres' `simple`
 * parser does not segment Chinese, so we store our own tokens: Latin words and numbers
 * as they are, and every CJK run as its characters plus overlapping bigrams (the usual
 * dictionary-free choice for Chinese retrieval).
 */
import { normaliseText } from './normalise.js';

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
// Latin/other words must stop at a CJK character: "7天无理由" is "7" + "天无理由".
const NON_CJK_WORD = '(?:(?![\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff])[\\p{L}\\p{N}])+';
const TOKEN = new RegExp(
  `[\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff]+|${NON_CJK_WORD}(?:['’]${NON_CJK_WORD})?`,
  'gu',
);

export function isCjk(char: string): boolean {
  return CJK.test(char);
}

/** Splits text into runs: CJK runs and Latin/number words, lower-cased. */
export function textRuns(text: string): string[] {
  return normaliseText(text).toLowerCase().match(TOKEN) ?? [];
}

function cjkTokens(text: string, unigrams: 'all' | 'alone'): string[] {
  const tokens: string[] = [];
  for (const run of textRuns(text)) {
    if (!isCjk(run[0]!)) {
      tokens.push(run);
      continue;
    }
    const chars = Array.from(run);
    for (let i = 0; i < chars.length; i++) {
      if (unigrams === 'all' || chars.length === 1) tokens.push(chars[i]!);
      if (i + 1 < chars.length) tokens.push(chars[i]! + chars[i + 1]!);
    }
  }
  return tokens;
}

/** Search tokens (what is stored per chunk): words, plus CJK unigrams and bigrams. */
export function searchTokens(text: string): string[] {
  return cjkTokens(text, 'all');
}

/**
 * Tokens to query with: words and CJK bigrams (a lone CJK character as itself). Common
 * single characters (的, 了, 么) match most Chinese chunks, so querying with unigrams
 * would make every keyword search rank a large share of the table.
 */
export function queryTokens(text: string): string[] {
  return cjkTokens(text, 'alone');
}
