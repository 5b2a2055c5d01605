/** YAML front matter of Markdown files, parsed safely, with errors that point at the line to fix. */
import matter from 'gray-matter';
import type { z } from 'zod';
import { DocumentError } from '../document.js';
import type { KnowledgeSource } from './source.js';

export interface FrontMatter {
  data: Record<string, unknown>;
  body: string;
}

/**
 * gray-matter runs `---js` front matter through eval(): uploaded files come from outside, so the
 * JavaScript engine is replaced by one that refuses (the first-line check below already rejects
 * every non-YAML fence; this is the second lock).
 */
const refuseEngine = () => {
  throw new Error('only YAML front matter is supported');
};
const matterOptions = { engines: { javascript: refuseEngine, js: refuseEngine } };

export function parseFrontMatter(source: KnowledgeSource, text: string): FrontMatter {
  const invalid = (message: string, cause?: unknown) =>
    new DocumentError('invalid_front_matter', source.sourcePath, message, { cause });
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  if (!/^---/.test(firstLine) || /^----/.test(firstLine)) return { data: {}, body: text };
  if (!/^---[ \t]*$/.test(firstLine)) {
    throw invalid(
      `line 1 is "${firstLine.slice(0, 20)}": only YAML front matter is supported; the first line must be exactly ---.`,
    );
  }
  const close = /\n---[ \t]*(?:\n|$)/.exec(text);
  if (close === null) {
    throw invalid(
      'the front matter opened with --- on line 1 has no closing --- line; add one after the last field.',
    );
  }
  let parsed: { data: unknown; content: string };
  try {
    parsed = matter(text, matterOptions);
  } catch (error) {
    throw invalid(`the front matter is not valid YAML: ${yamlReason(error)}.`, error);
  }
  const data = parsed.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalid('the front matter must be `key: value` lines (a YAML mapping).');
  }
  return { data: data as Record<string, unknown>, body: parsed.content };
}

/** js-yaml's mark is 0-based inside the block, which starts on line 2 of the file. */
function yamlReason(error: unknown): string {
  const yamlError = error as { reason?: string; mark?: { line?: number; column?: number } };
  if (yamlError.reason !== undefined && typeof yamlError.mark?.line === 'number') {
    const column = (yamlError.mark.column ?? 0) + 1;
    return `${yamlError.reason} at line ${yamlError.mark.line + 2}, column ${column}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * One line per problem, naming the field: `questions: needs at least 5 ...`. Unknown keys get a
 * "did you mean" when they differ from a known key only in case, the usual typo (autoreply).
 */
export function describeIssues(error: z.ZodError, knownKeys: readonly string[]): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'front matter';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((key) => {
          const near = knownKeys.find((known) => known.toLowerCase() === key.toLowerCase());
          return near !== undefined
            ? `${key}: unknown field, did you mean ${near}?`
            : `${key}: unknown field (allowed: ${knownKeys.join(', ')})`;
        })
        .join('; ');
    }
    return `${where}: ${issue.message}`;
  });
}
