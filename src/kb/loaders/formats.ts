/** Which loader reads which extension, and what to tell someone who brings another kind of file. */
import type { LoadedDocument } from '../document.js';
import { loadCsvFaq } from './csv.js';
import { loadDocx } from './docx.js';
import { loadHtml } from './html.js';
import { loadJsonlFaq } from './jsonl.js';
import { loadMarkdown } from './markdown.js';
import { loadPdf } from './pdf.js';
import { loadPlainText } from './plain-text.js';
import type { KnowledgeSource } from './source.js';

export type FormatLoader = (source: KnowledgeSource) => Promise<LoadedDocument[]>;

export const loaderByExtension: Readonly<Record<string, FormatLoader>> = {
  '.md': loadMarkdown,
  '.markdown': loadMarkdown,
  '.txt': loadPlainText,
  '.html': loadHtml,
  '.htm': loadHtml,
  '.pdf': loadPdf,
  '.docx': loadDocx,
  '.csv': loadCsvFaq,
  '.jsonl': loadJsonlFaq,
};

export const supportedExtensions = Object.keys(loaderByExtension);

/** Formats people commonly have instead, and the conversion that makes them loadable. */
export const conversionHints: Readonly<Record<string, string>> = {
  '.doc': 'save it as .docx',
  '.rtf': 'save it as .docx',
  '.odt': 'save it as .docx',
  '.wps': 'save it as .docx',
  '.xlsx': 'export the sheet as "CSV UTF-8" with the FAQ columns',
  '.xls': 'export the sheet as "CSV UTF-8" with the FAQ columns',
  '.numbers': 'export the sheet as CSV with the FAQ columns',
  '.json': 'write one entry object per line and name it .jsonl',
  '.pptx': 'export it as PDF',
  '.ppt': 'export it as PDF',
  '.pages': 'export it as PDF or .docx',
};
