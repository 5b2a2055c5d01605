/** Cuts loaded documents into the pieces that are embedded and searched. */
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { normaliseText } from '../text/normalise.js';
import type { LoadedDocument } from './document.js';

export interface Chunk {
  entryId: string;
  locale: string;
  /** question: the title or one paraphrase of an FAQ entry; answer: its answer; passage: policy text. */
  kind: 'question' | 'answer' | 'passage';
  text: string;
  /** Position within its document, from 0, questions first. */
  ordinal: number;
}

export interface ChunkOptions {
  /** Upper bound in characters (a Han character counts one). Default 500. */
  chunkSize?: number;
  /** Characters of the previous chunk repeated at the start of the next. Default 50. */
  overlap?: number;
}

export const DEFAULT_CHUNK_SIZE = 500;
export const DEFAULT_OVERLAP = 50;

/**
 * Coarsest first: paragraphs, lines, sentence ends (Chinese, then English), clauses, words,
 * characters. A piece is only cut further when it is longer than a chunk.
 */
const SEPARATORS = [
  '\n\n',
  '\n',
  '。',
  '！',
  '？',
  '；',
  '. ',
  '! ',
  '? ',
  '; ',
  '，',
  ', ',
  '、',
  ' ',
  '',
];
/** Closing quotes and brackets that belong to the sentence they end: 他说：“好的。” */
const CLOSERS = `["'”’」』）)\\]]`;
const CHINESE_SENTENCE_END = new RegExp(`(?<=[。！？；]${CLOSERS}*)(?!${CLOSERS})`);
const ENGLISH_SENTENCE_END = new RegExp(`(?<=[.!?]${CLOSERS}*[ \\t]+)(?=[^ \\t])`);
/**
 * The splitter picks the first separator found in a text and cuts only there, so each sentence
 * end stands for all of them: a text with 。 is also cut at ！？；, which keeps pieces (and the
 * overlap, made of whole pieces) one sentence long.
 */
const CUT_AFTER: Record<string, RegExp> = {
  '。': CHINESE_SENTENCE_END,
  '！': CHINESE_SENTENCE_END,
  '？': CHINESE_SENTENCE_END,
  '；': CHINESE_SENTENCE_END,
  '. ': ENGLISH_SENTENCE_END,
  '! ': ENGLISH_SENTENCE_END,
  '? ': ENGLISH_SENTENCE_END,
};

/**
 * The stock splitter keeps a separator by cutting *before* it, so every chunk after the first
 * starts with the previous sentence's 。 (see TECH-NOTES.md). This one cuts *after* it, past
 * closing quotes, and cuts between characters by code point so an emoji is never halved.
 */
class SentenceEndSplitter extends RecursiveCharacterTextSplitter {
  protected override splitOnSeparator(text: string, separator: string): string[] {
    if (separator === '') return Array.from(text);
    const cut = CUT_AFTER[separator] ?? new RegExp(`(?<=${escapeRegExp(separator)})`);
    return text.split(cut).filter((piece) => piece !== '');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export async function chunkDocument(
  document: LoadedDocument,
  options: ChunkOptions = {},
): Promise<Chunk[]> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const overlap = options.overlap ?? DEFAULT_OVERLAP;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a positive integer (got ${chunkSize})`);
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= chunkSize) {
    throw new RangeError(`overlap must be an integer from 0 to chunkSize - 1 (got ${overlap})`);
  }
  const splitter = new SentenceEndSplitter({
    chunkSize,
    chunkOverlap: overlap,
    separators: SEPARATORS,
  });
  const pieces: { kind: Chunk['kind']; text: string }[] = [];
  if (document.kind === 'faq') {
    for (const question of distinct([document.title, ...document.questions])) {
      pieces.push({ kind: 'question', text: question });
    }
    for (const text of await splitter.splitText(document.answer)) {
      pieces.push({ kind: 'answer', text });
    }
  } else {
    for (const text of await splitter.splitText(document.text)) {
      pieces.push({ kind: 'passage', text });
    }
  }
  return pieces
    .map((piece) => ({ ...piece, text: piece.text.trim() }))
    .filter((piece) => piece.text !== '')
    .map((piece, ordinal) => ({
      entryId: document.entryId,
      locale: document.locale,
      ...piece,
      ordinal,
    }));
}

/** Title and paraphrases, normalised, without repeats (a title often is one of the questions). */
function distinct(questions: string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const question of questions) {
    const text = normaliseText(question);
    const key = text.toLowerCase();
    if (text === '' || seen.has(key)) continue;
    seen.add(key);
    result.push(text);
  }
  return result;
}
