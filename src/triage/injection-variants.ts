/**
 * Other readings of a customer's text that an attacker uses to hide instructions from pattern
 * checks: letters spaced or dotted apart ("i g n o r e"), digits for letters ("1gn0re"), Base64
 * blocks, text written backwards, and Chinese in pinyin ("hulue zhiqian de zhiling"). The injection check runs its
 * patterns on each reading; the text itself is never changed.
 */

/** Three or more single letters joined by spaces, dots, hyphens or underscores: "i g n o r e". */
const SPACED_LETTERS = /(?<![A-Za-z])(?:[A-Za-z][\s.\-_*]{1,2}){2,}[A-Za-z](?![A-Za-z])/g;
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};
/** A word with letters and at least one digit or symbol standing for a letter. */
const LEET_WORD =
  /(?<![A-Za-z0-9])(?=[A-Za-z0-9@$]*[A-Za-z])(?=[A-Za-z0-9@$]*[013457@$])[A-Za-z0-9@$]{4,}(?![A-Za-z0-9])/g;
const BASE64_BLOCK = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])/g;

/** Three or more Chinese characters each followed by a space: "忽 略 上 面". */
const SPACED_HAN = /(?:\p{Script=Han}[\s.\-_*]{1,2}){2,}\p{Script=Han}/gu;

function despaced(text: string): string {
  return text
    .replace(SPACED_LETTERS, (run) => run.replace(/[\s.\-_*]/g, ''))
    .replace(SPACED_HAN, (run) => run.replace(/[\s.\-_*]/g, ''));
}

/** Written backwards ("令指的前之略忽"), for a reader told to read it the other way round. */
const reversed = (text: string) => [...text].reverse().join('');

function unleeted(text: string): string {
  // Mostly digits is a number or a code (SF1234567890123), not a word in disguise.
  return text.replace(LEET_WORD, (word) =>
    word.replace(/\D/g, '').length * 2 > word.length
      ? word
      : [...word].map((char) => LEET[char] ?? char).join(''),
  );
}

/** Base64 blocks that decode to readable UTF-8 text (an order number never does). */
function decodedBlocks(text: string): string[] {
  const decoded: string[] = [];
  for (const [block] of text.matchAll(BASE64_BLOCK)) {
    if (!/[a-z]/.test(block) || !/[A-Z0-9+/]/.test(block)) continue;
    const value = Buffer.from(block, 'base64').toString('utf8');
    const readable = value.replace(/[\p{L}\p{N}\p{P}\p{Zs}]/gu, '').length <= value.length * 0.1;
    if (value.length >= 8 && readable && !value.includes('\ufffd')) decoded.push(value);
  }
  return decoded;
}

/**
 * Sentences hidden in Base64: customers paste order numbers and links, never encoded prose, so a
 * block that decodes to several words is an instruction in disguise whatever it says.
 */
export function encodedSentences(text: string): string[] {
  return decodedBlocks(text).filter(
    (value) => value.trim().split(/\s+/).length >= 3 || /\p{Script=Han}{4,}/u.test(value),
  );
}

/** The readings worth checking besides the text itself (empty when there are none). */
export function hiddenReadings(text: string): string[] {
  const readings = new Set<string>();
  for (const reading of [
    despaced(text),
    unleeted(text),
    unleeted(despaced(text)),
    reversed(text),
    ...decodedBlocks(text),
  ]) {
    if (reading !== text) readings.add(reading);
  }
  return [...readings];
}
