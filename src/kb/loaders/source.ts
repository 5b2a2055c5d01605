/** One file to load (its bytes and the names derived from it) and the text decoding all text formats share. */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { DocumentError, localeSchema, type Locale } from '../document.js';

export interface KnowledgeSource {
  /** Relative to the knowledge-base root (or the upload's name), with `/` separators. */
  sourcePath: string;
  /** Lower-case extension with the dot: `.md`. */
  extension: string;
  bytes: Uint8Array;
  contentHash: string;
}

export function createSource(sourcePath: string, bytes: Uint8Array): KnowledgeSource {
  return {
    sourcePath,
    extension: posix.extname(sourcePath).toLowerCase(),
    bytes,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** `faq/delayed_parcel.zh.md` -> { stem: 'delayed_parcel', locale: 'zh', folder: 'faq' }. */
export function nameParts(sourcePath: string): { stem: string; locale?: Locale; folder: string } {
  const base = posix.basename(sourcePath, posix.extname(sourcePath));
  const folder = posix.basename(posix.dirname(sourcePath));
  const suffix = /^(.+)\.([a-z]{2})$/i.exec(base);
  const locale = localeSchema.safeParse(suffix?.[2]?.toLowerCase());
  if (suffix && locale.success) return { stem: suffix[1]!, locale: locale.data, folder };
  return { stem: base, folder };
}

/**
 * Entry id from a file name. File names are not ours to choose, so letters of any script are
 * kept (退货政策.pdf -> 退货政策); everything else becomes `_`.
 */
export function slugFromName(source: KnowledgeSource): string {
  const slug = nameParts(source.sourcePath)
    .stem.normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_-]+/gu, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  return slug === '' ? `doc_${source.contentHash.slice(0, 12)}` : slug;
}

/** Upload names are labels, not paths to follow: drop drive letters, leading `/` and `..`. */
export function sourcePathFromName(name: string): string {
  const parts = name
    .replace(/\\/g, '/')
    .replace(/^[a-z]:/i, '')
    .split('/')
    .filter((part) => part !== '' && part !== '.' && part !== '..');
  return parts.join('/') || 'upload';
}

/** Picks the decoder from a byte-order mark; without one the text must be UTF-8. */
function sniffEncoding(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/**
 * Decodes a text file. UTF-8 (with or without BOM) and UTF-16 with BOM are read; anything else
 * is refused rather than guessed, because a wrong guess (GBK read as Latin-1...) would put
 * garbage into the knowledge base without anyone noticing. `declaredCharset` (HTML's
 * <meta charset>) is trusted when given. Line ends become `\n`.
 */
export function decodeText(source: KnowledgeSource, declaredCharset?: string): string {
  const encoding = declaredCharset ?? sniffEncoding(source.bytes);
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(source.bytes);
  } catch (error) {
    const what =
      declaredCharset === undefined
        ? 'is not valid UTF-8 text'
        : `is not valid ${declaredCharset} text (as its <meta charset> says)`;
    throw new DocumentError(
      'invalid_encoding',
      source.sourcePath,
      `${what}. Save it as UTF-8 (spreadsheets and editors on Chinese Windows often save GBK/ANSI: choose "CSV UTF-8" or "UTF-8" when saving).`,
      { cause: error },
    );
  }
  return text.replace(/\r\n?/g, '\n');
}

/** Decodes and refuses whitespace-only content. */
export function readText(source: KnowledgeSource, declaredCharset?: string): string {
  const text = decodeText(source, declaredCharset);
  if (text.trim() === '') throw emptyError(source);
  return text;
}

/** `message` says what is missing and what to do; the default suits a blank file. */
export function emptyError(
  source: KnowledgeSource,
  message = 'is empty or contains only whitespace; add content or remove the file.',
): DocumentError {
  return new DocumentError('empty', source.sourcePath, message);
}

/**
 * A short first line makes a usable title for documents that carry none (a plain-text policy
 * usually starts with its heading); a long one is a paragraph, so the file name is used.
 */
export function titleFromText(text: string, fallback: string): string {
  const firstLine = text
    .split('\n')
    .map((line) => line.replace(/^#+\s*/, '').trim())
    .find((line) => line !== '');
  return firstLine !== undefined && firstLine.length <= 80 ? firstLine : fallback;
}
