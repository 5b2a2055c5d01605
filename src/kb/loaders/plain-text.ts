/**
 * Plain-text policies. LangChain's TextLoader lives in @langchain/classic (not one of our
 * dependencies) and only reads UTF-8 without checking it, so the bytes are decoded here.
 */
import type { LoadedDocument } from '../document.js';
import { policyDocument } from './policy.js';
import { readText, type KnowledgeSource } from './source.js';

export async function loadPlainText(source: KnowledgeSource): Promise<LoadedDocument[]> {
  return [policyDocument(source, { text: readText(source) })];
}
