/** Builds a policy document from extracted text: the fallbacks for id, locale and title live here. */
import type { Locale, PolicyDocument } from '../document.js';
import { detectLocale } from './locale.js';
import {
  emptyError,
  nameParts,
  slugFromName,
  titleFromText,
  type KnowledgeSource,
} from './source.js';

export interface PolicyFields {
  text: string;
  /** From front matter or document metadata; each falls back in the order documented below. */
  entryId?: string;
  title?: string;
  locale?: Locale;
}

/**
 * entryId: declared id, else the file name (`returns.zh.md` -> `returns`, so both languages of a
 * policy share it). locale: declared (front matter, html lang, PDF /Lang), else the file name's
 * `.zh`/`.en`, else detected from the text. title: declared, else a short first line, else the
 * file name.
 */
export function policyDocument(source: KnowledgeSource, fields: PolicyFields): PolicyDocument {
  const text = tidyText(fields.text);
  if (text === '') {
    throw emptyError(source, 'has no text apart from front matter or markup; add the policy text.');
  }
  const name = nameParts(source.sourcePath);
  return {
    kind: 'policy',
    entryId: fields.entryId ?? slugFromName(source),
    locale: fields.locale ?? name.locale ?? detectLocale(text),
    title: fields.title ?? titleFromText(text, name.stem),
    text,
    sourcePath: source.sourcePath,
    contentHash: source.contentHash,
  };
}

/** Trailing spaces and runs of blank lines carry nothing and would only shift chunk borders. */
export function tidyText(text: string): string {
  return text
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
