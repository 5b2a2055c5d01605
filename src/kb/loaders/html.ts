/** HTML policy pages (help-centre exports): <title> is the title, <html lang> the locale. */
import type { LoadedDocument } from '../document.js';
import { htmlToText } from './html-to-text.js';
import { localeFromTag } from './locale.js';
import { policyDocument } from './policy.js';
import { readText, type KnowledgeSource } from './source.js';

export async function loadHtml(source: KnowledgeSource): Promise<LoadedDocument[]> {
  const page = htmlToText(readText(source, declaredCharset(source.bytes)));
  const locale = localeFromTag(page.lang);
  return [policyDocument(source, { text: page.text, title: page.title, locale })];
}

/**
 * The <meta charset> of the first 1024 bytes (where browsers look), unless a byte-order mark
 * or UTF-8 makes it moot. Old Chinese pages declare gbk/gb2312, which Node's ICU decodes.
 */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const byteOrderMark =
    (bytes[0] === 0xef && bytes[1] === 0xbb) || bytes[0] === 0xff || bytes[0] === 0xfe;
  if (byteOrderMark) return undefined;
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const label = /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (label === undefined || label === 'utf-8' || label === 'utf8') return undefined;
  try {
    new TextDecoder(label);
    return label;
  } catch {
    return undefined; // an unknown label: read it as UTF-8, which reports bad bytes itself
  }
}
