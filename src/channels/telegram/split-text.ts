/**
 * Splits a reply into parts Telegram accepts: sendMessage takes 1-4096 characters. Length is
 * counted in UTF-16 code units (JavaScript's `length`, and how Telegram measures entity
 * offsets), which is never less than the characters Telegram counts, so a part always fits.
 * Parts break at a paragraph, else a line, else a space, else anywhere but inside a
 * surrogate pair, and no part is empty.
 */
export const TELEGRAM_MAX_MESSAGE_CHARS = 4096;

/** Where to end the part that starts the text: the last good break within the limit. */
function breakPoint(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    // A break in the first half would leave a short part and many more of them.
    if (at > limit / 2) return at;
  }
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

export function splitText(text: string, limit = TELEGRAM_MAX_MESSAGE_CHARS): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const end = breakPoint(rest, limit);
    const part = rest.slice(0, end).trimEnd();
    if (part) parts.push(part);
    rest = rest.slice(end).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}
