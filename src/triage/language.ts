/**
 * Guesses the language a customer writes in from script statistics (Han, Kana, Hangul,
 * Latin, Cyrillic...) and, within Latin script, a tiny stop-word profile per language.
 * Reference numbers, model names with digits (RTX4090), URLs, e-mail, emoji and digits
 * are ignored, so "我的iPhone 15屏幕碎了，单号SF1234567890" is Chinese.
 */

export const languages = [
  'zh',
  'en',
  'ja',
  'ko',
  'fr',
  'de',
  'es',
  'it',
  'pt',
  'nl',
  'id',
  'vi',
  'ru',
  'uk',
  'ar',
  'th',
  'hi',
  'el',
  'he',
  'other',
] as const;
export type Language = (typeof languages)[number];

export interface LanguageGuess {
  /** `other` with confidence 0 when there is nothing to judge (emoji, digits, numbers only). */
  language: Language;
  /** 0-1: share of the winning script, damped for short texts and unclear Latin languages. */
  confidence: number;
  reasons: string[];
}

type Script =
  | 'han'
  | 'kana'
  | 'hangul'
  | 'latin'
  | 'cyrillic'
  | 'arabic'
  | 'thai'
  | 'devanagari'
  | 'greek'
  | 'hebrew'
  | 'other';

const SCRIPTS: [Script, RegExp][] = [
  ['han', /\p{Script=Han}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['thai', /\p{Script=Thai}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['greek', /\p{Script=Greek}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['other', /\p{L}/u],
];

/**
 * A Han character carries about as much as three Latin letters (an English word averages
 * ~4.7 letters, a Chinese word ~1.5 characters); a Hangul block about two; a kana one and a half.
 */
const SCRIPT_WEIGHTS: Record<Script, number> = {
  han: 3,
  kana: 1.5,
  hangul: 2,
  latin: 1,
  cyrillic: 1,
  arabic: 1,
  thai: 1,
  devanagari: 1,
  greek: 1,
  hebrew: 1,
  other: 1,
};
const SCRIPT_LANGUAGE: Partial<Record<Script, Language>> = {
  hangul: 'ko',
  cyrillic: 'ru',
  arabic: 'ar',
  thai: 'th',
  devanagari: 'hi',
  greek: 'el',
  hebrew: 'he',
  other: 'other',
};

/** A few of the commonest words of each language, plus shop words customers use in it. */
const STOP_WORDS: Record<string, string[]> = {
  en: 'the a and is are was as at be but so all on in me my i you your we it to of not have this that with for please thanks thank what where when how can would hi hello order refund received still great always'.split(
    ' ',
  ),
  fr: 'le la les des est et je vous ne pas une un mon ma mes pour avec bonjour merci commande reçu qui que'.split(
    ' ',
  ),
  de: 'der die das und ist ich nicht ein eine mein meine sie bitte danke bestellung mit für auf noch'.split(
    ' ',
  ),
  es: 'el la los las es y yo un una mi mis por para con hola gracias pedido que está todavía'.split(
    ' ',
  ),
  it: 'il lo gli è io non un una mio mia per con ciao grazie ordine che sono ancora'.split(' '),
  pt: 'o os as é eu não um uma meu minha por para com olá obrigado obrigada pedido que está ainda'.split(
    ' ',
  ),
  nl: 'de het een en is ik niet mijn u je bedankt bestelling met voor van nog'.split(' '),
  id: 'yang dan tidak saya ini itu dengan untuk ada sudah belum pesanan terima kasih'.split(' '),
};
/** Letters that point at one Latin language. */
const LETTER_HINTS: [string, RegExp][] = [
  ['es', /[ñ¿¡]/g],
  ['de', /[ßäöü]/g],
  ['pt', /[ãõ]/g],
  ['fr', /[œçêèëîïûù]/g],
];
const VIETNAMESE_LETTERS = /[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/giu;
/** URLs, e-mail, redaction placeholders and tokens with digits (SF1234567890, RTX4090). */
/** Each alternative starts at a token boundary, so a long run of letters is scanned once. */
const IGNORED =
  /https?:\/\/\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[[A-Z_]+\]|(?<![A-Za-z0-9_-])[A-Za-z_-]*\d[A-Za-z0-9_-]*/gu;

function countScripts(text: string): Map<Script, number> {
  const counts = new Map<Script, number>();
  for (const char of text) {
    const script = SCRIPTS.find(([, pattern]) => pattern.test(char))?.[0];
    if (script) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  return counts;
}

function guessLatinLanguage(text: string): {
  language: Language;
  certainty: number;
  reason: string;
} {
  const vietnamese = text.match(VIETNAMESE_LETTERS)?.length ?? 0;
  if (vietnamese >= 2)
    return { language: 'vi', certainty: 0.9, reason: `${vietnamese} Vietnamese letters` };
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const hits = Object.entries(STOP_WORDS).map(([language, list]) => {
    const letterHints = LETTER_HINTS.filter(([hinted]) => hinted === language).reduce(
      (total, [, pattern]) => total + (text.match(pattern)?.length ?? 0),
      0,
    );
    return { language, hits: words.filter((word) => list.includes(word)).length + letterHints };
  });
  // Stable sort keeps English first on a tie.
  hits.sort((a, b) => b.hits - a.hits);
  const [best, second] = [hits[0]!, hits[1]!];
  if (best.hits === 0)
    return {
      language: 'en',
      certainty: 0.5,
      reason: 'no stop words matched: Latin script defaults to English',
    };
  const summary = hits
    .filter((entry) => entry.hits > 0)
    .map((entry) => `${entry.language} ${entry.hits}`)
    .join(', ');
  return {
    language: best.language as Language,
    certainty: 0.6 + (0.4 * (best.hits - second.hits)) / best.hits,
    reason: `Latin stop words: ${summary}`,
  };
}

export function detectLanguage(text: string): LanguageGuess {
  const letters = text.normalize('NFKC').replace(IGNORED, ' ');
  const counts = countScripts(letters);
  const count = (script: Script) => counts.get(script) ?? 0;
  const summary = [...counts].map(([script, value]) => `${script} ${value}`).join(', ');
  if (counts.size === 0) {
    return {
      language: 'other',
      confidence: 0,
      reasons: ['no letters to judge: only emoji, digits, punctuation or reference numbers'],
    };
  }
  // Kanji are Han too: enough kana makes the Han characters Japanese.
  const japanese = count('kana') > 0 && count('kana') / (count('kana') + count('han')) >= 0.1;
  const scores = new Map<Language | 'latin', number>();
  const add = (language: Language | 'latin', score: number) =>
    scores.set(language, (scores.get(language) ?? 0) + score);
  for (const [script, value] of counts) {
    const weighted = value * SCRIPT_WEIGHTS[script];
    if (script === 'han') add(japanese ? 'ja' : 'zh', weighted);
    else if (script === 'kana') add('ja', weighted);
    else if (script === 'latin') add('latin', weighted);
    else add(SCRIPT_LANGUAGE[script] ?? 'other', weighted);
  }
  const total = [...scores.values()].reduce((sum, score) => sum + score, 0);
  const [winner, score] = [...scores].sort((a, b) => b[1] - a[1])[0]!;
  const share = score / total;
  const lengthFactor = total / (total + 4);
  const reasons = [`scripts: ${summary}`];
  if (scores.size > 1)
    reasons.push(
      `${winner} outweighs the rest (weighted ${score} of ${total}; a Han character counts 3)`,
    );

  if (winner === 'latin') {
    const latin = guessLatinLanguage(letters);
    reasons.push(latin.reason);
    return {
      language: latin.language,
      confidence: round(share * lengthFactor * latin.certainty),
      reasons,
    };
  }
  if (winner === 'ru' && /[іїєґ]/iu.test(letters)) {
    reasons.push('Ukrainian letters і ї є ґ');
    return { language: 'uk', confidence: round(share * lengthFactor), reasons };
  }
  return { language: winner, confidence: round(share * lengthFactor), reasons };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
