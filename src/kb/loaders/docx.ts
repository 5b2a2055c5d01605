/** Word (.docx) policies through @langchain/community's DocxLoader (mammoth's extractRawText). */
import { DocumentError, type LoadedDocument } from '../document.js';
import { policyDocument } from './policy.js';
import { emptyError, type KnowledgeSource } from './source.js';

export async function loadDocx(source: KnowledgeSource): Promise<LoadedDocument[]> {
  const { DocxLoader } = await import('@langchain/community/document_loaders/fs/docx');
  let documents;
  try {
    documents = await new DocxLoader(new Blob([new Uint8Array(source.bytes)])).load();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new DocumentError(
      'corrupt',
      source.sourcePath,
      `is not a readable .docx file (${detail}); open it in Word or LibreOffice and save it again as .docx (an old .doc renamed to .docx does not work).`,
      { cause: error },
    );
  }
  const text = documents.map((document) => document.pageContent).join('\n\n');
  if (text.trim() === '') {
    throw emptyError(
      source,
      'contains no text (only images or empty paragraphs?); add the policy text.',
    );
  }
  return [policyDocument(source, { text })];
}
