/** Locale of a document that does not declare one: the product serves zh and en only. */
import type { Locale } from '../document.js';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /\p{Script=Latin}+/gu;

/**
 * Han characters against Latin words, because one Han character carries about as much as one
 * English word: "请提供您的 order number" is Chinese with an English term in it, and an English
 * policy quoting one Chinese name stays English.
 */
export function detectLocale(text: string): Locale {
  const han = text.match(HAN)?.length ?? 0;
  const latinWords = text.match(LATIN_WORD)?.length ?? 0;
  return han > 0 && han >= latinWords ? 'zh' : 'en';
}

/** BCP 47 tag (html lang, PDF /Lang) to our locale; other languages give undefined. */
export function localeFromTag(tag: string | null | undefined): Locale | undefined {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'zh') return 'zh';
  if (primary === 'en') return 'en';
  return undefined;
}
