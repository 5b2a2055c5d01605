/** FAQ tables as JSON Lines: one entry object per line, `questions` (and `tags`) as arrays. */
import type { LoadedDocument, RowProblem } from '../document.js';
import { faqTableDocuments, type TableRow } from './faq-table.js';
import { readText, type KnowledgeSource } from './source.js';

export async function loadJsonlFaq(source: KnowledgeSource): Promise<LoadedDocument[]> {
  const rows: TableRow[] = [];
  const problems: RowProblem[] = [];
  readText(source)
    .split('\n')
    .forEach((line, index) => {
      const row = index + 1;
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const message = `is not valid JSON (${reason}); each line must be one complete JSON object`;
        problems.push({ row, message });
        return;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.push({ row, message: 'must be a JSON object like {"id": ..., "locale": ...}' });
        return;
      }
      rows.push({ row, fields: value as Record<string, unknown> });
    });
  return faqTableDocuments(source, rows, 'line', problems);
}
