/**
 * PDF policies through @langchain/community's PDFLoader, which detects pdf-parse 2 and uses its
 * `PDFParse` class. It is given a Blob, not a path, so a file is read once (after the size
 * check) and uploads take the same route; a Blob also gives the loader a Buffer that owns its
 * ArrayBuffer, which its `new Uint8Array(raw.buffer)` needs.
 */
import { DocumentError, type LoadedDocument } from '../document.js';
import { localeFromTag } from './locale.js';
import { policyDocument } from './policy.js';
import { emptyError, type KnowledgeSource } from './source.js';

interface PdfInfo {
  Title?: unknown;
  Language?: unknown;
}

export async function loadPdf(source: KnowledgeSource): Promise<LoadedDocument[]> {
  const { PDFLoader } = await import('@langchain/community/document_loaders/fs/pdf');
  let documents;
  try {
    const loader = new PDFLoader(new Blob([new Uint8Array(source.bytes)]), { splitPages: false });
    documents = await loader.load();
  } catch (error) {
    if (error instanceof Error && error.name === 'PasswordException') {
      const message =
        'is password-protected; save or print it again without a password and load that copy.';
      throw new DocumentError('encrypted', source.sourcePath, message, { cause: error });
    }
    const detail = error instanceof Error ? error.message : String(error);
    const message = `is not a readable PDF (${detail}); open it in a PDF viewer and export it again, or use the original document.`;
    throw new DocumentError('corrupt', source.sourcePath, message, { cause: error });
  }
  const document = documents[0];
  if (document === undefined || document.pageContent.trim() === '') {
    throw emptyError(
      source,
      'has no text layer (a scan or an image-only PDF); run it through OCR or export it again with text.',
    );
  }
  const info = (document.metadata.pdf as { info?: PdfInfo } | undefined)?.info ?? {};
  return [
    policyDocument(source, {
      text: document.pageContent,
      title: usableTitle(info.Title),
      locale: localeFromTag(typeof info.Language === 'string' ? info.Language : undefined),
    }),
  ];
}

/** Word exports often carry "Microsoft Word - draft3.docx" as the title: not worth showing. */
function usableTitle(title: unknown): string | undefined {
  if (typeof title !== 'string') return undefined;
  const trimmed = title.trim();
  if (trimmed === '' || /^microsoft word - |\.(docx?|pdf|txt)$/i.test(trimmed)) return undefined;
  return trimmed;
}
