/** FAQ tables (CSV, JSONL): validates every row and reports all bad rows of a file at once. */
import { DocumentError, faqRowSchema, type FaqDocument, type RowProblem } from '../document.js';
import { describeIssues } from './front-matter.js';
import { emptyError, type KnowledgeSource } from './source.js';

export const faqTableFields = Object.keys(faqRowSchema.shape);
const SHOWN_PROBLEMS = 5;

export interface TableRow {
  /** Spreadsheet row (the header is row 1) or JSONL line number. */
  row: number;
  fields: Record<string, unknown>;
}

/**
 * A file with one bad row is refused whole: loading the rest would silently drop an entry the
 * team believes is live. Duplicate id+locale pairs are bad rows too, since one would overwrite
 * the other.
 */
export function faqTableDocuments(
  source: KnowledgeSource,
  rows: TableRow[],
  unit: 'row' | 'line',
  problems: RowProblem[] = [],
): FaqDocument[] {
  const documents: FaqDocument[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, fields } of rows) {
    const parsed = faqRowSchema.safeParse(fields);
    if (!parsed.success) {
      problems.push({ row, message: describeIssues(parsed.error, faqTableFields).join('; ') });
      continue;
    }
    const entry = parsed.data;
    const key = `${entry.id} ${entry.locale}`;
    const earlier = firstRowOf.get(key);
    if (earlier !== undefined) {
      const message = `repeats id ${entry.id} with locale ${entry.locale} from ${unit} ${earlier}`;
      problems.push({ row, message });
      continue;
    }
    firstRowOf.set(key, row);
    documents.push({
      kind: 'faq',
      entryId: entry.id,
      locale: entry.locale,
      title: entry.title,
      category: entry.category,
      autoReply: entry.autoReply,
      questions: entry.questions,
      answer: entry.answer,
      ...(entry.tags === undefined ? {} : { tags: entry.tags }),
      sourcePath: source.sourcePath,
      contentHash: source.contentHash,
    });
  }
  if (problems.length > 0) throw rowError(source, problems, unit);
  if (documents.length === 0) throw emptyError(source, 'has no entries; add one per line.');
  return documents;
}

export function rowError(
  source: KnowledgeSource,
  problems: RowProblem[],
  unit: 'row' | 'line',
): DocumentError {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  const shown = sorted
    .slice(0, SHOWN_PROBLEMS)
    .map((problem) => `${unit} ${problem.row}: ${problem.message}`);
  const more =
    sorted.length > SHOWN_PROBLEMS ? ` (and ${sorted.length - SHOWN_PROBLEMS} more)` : '';
  const count = sorted.length === 1 ? `1 invalid ${unit}` : `${sorted.length} invalid ${unit}s`;
  return new DocumentError(
    'invalid_row',
    source.sourcePath,
    `${count}, nothing loaded from this file; fix and load it again. ${shown.join(' | ')}${more}`,
    { rows: sorted },
  );
}
