/** Markdown: FAQ entries (knowledge-base/faq/<id>.<locale>.md) and policy documents. */
import {
  DocumentError,
  faqEntrySchema,
  policyFrontMatterSchema,
  type LoadedDocument,
} from '../document.js';
import { describeIssues, parseFrontMatter } from './front-matter.js';
import { policyDocument } from './policy.js';
import { emptyError, nameParts, readText, type KnowledgeSource } from './source.js';

const faqKeys = Object.keys(faqEntrySchema.shape);
/** Fields only an FAQ entry has: their presence makes a Markdown file an FAQ wherever it lives. */
const faqOnlyKeys = ['questions', 'category', 'autoReply'];

export async function loadMarkdown(source: KnowledgeSource): Promise<LoadedDocument[]> {
  const { data, body } = parseFrontMatter(source, readText(source));
  const isFaq =
    nameParts(source.sourcePath).folder === 'faq' ||
    Object.keys(data).some((key) => faqOnlyKeys.includes(key));
  return [isFaq ? faqFromMarkdown(source, data, body) : policyFromMarkdown(source, data, body)];
}

function faqFromMarkdown(
  source: KnowledgeSource,
  data: Record<string, unknown>,
  body: string,
): LoadedDocument {
  const invalid = (problems: string[]) =>
    new DocumentError(
      'invalid_front_matter',
      source.sourcePath,
      `invalid FAQ front matter: ${problems.join('; ')}`.replace(/[^.?]$/, '$&.'),
    );
  if (Object.keys(data).length === 0) {
    throw invalid([`an FAQ file starts with a --- block holding ${faqKeys.join(', ')}`]);
  }
  const parsed = faqEntrySchema.safeParse(data);
  if (!parsed.success) throw invalid(describeIssues(parsed.error, faqKeys));
  const entry = parsed.data;
  // faq/<id>.<locale>.md: a copied file whose id or locale was not updated would silently
  // replace the other language's entry, so the name and the front matter must agree.
  const name = nameParts(source.sourcePath);
  if (name.locale !== undefined && (name.stem !== entry.id || name.locale !== entry.locale)) {
    const expected = `${entry.id}.${entry.locale}.md`;
    throw invalid([
      `the file name says ${name.stem}.${name.locale} but the front matter says id ${entry.id}, ` +
        `locale ${entry.locale}; rename the file to ${expected} or fix the front matter`,
    ]);
  }
  const answer = body.trim();
  if (answer === '') {
    throw emptyError(source, 'has an empty answer; write the answer below the closing --- line.');
  }
  return {
    kind: 'faq',
    entryId: entry.id,
    locale: entry.locale,
    title: entry.title,
    category: entry.category,
    autoReply: entry.autoReply,
    questions: entry.questions,
    answer,
    ...(entry.tags === undefined ? {} : { tags: entry.tags }),
    sourcePath: source.sourcePath,
    contentHash: source.contentHash,
  };
}

function policyFromMarkdown(
  source: KnowledgeSource,
  data: Record<string, unknown>,
  body: string,
): LoadedDocument {
  const parsed = policyFrontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error, Object.keys(policyFrontMatterSchema.shape));
    throw new DocumentError(
      'invalid_front_matter',
      source.sourcePath,
      `invalid policy front matter: ${problems.join('; ')}`.replace(/[^.?]$/, '$&.'),
    );
  }
  const { id, title, locale } = parsed.data;
  return policyDocument(source, { text: body, entryId: id, title, locale });
}
