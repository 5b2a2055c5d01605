/**
 * FAQ tables as CSV (RFC 4180: commas, double quotes, "" inside quotes, line breaks inside quoted
 * cells), one entry per row, `questions` and `tags` separated by `|`. LangChain's CSVLoader is
 * not used: it needs d3-dsv (not installed) and turns each row into one "column: value" text,
 * while we need the columns as fields.
 */
import type { LoadedDocument, RowProblem } from '../document.js';
import { faqTableDocuments, faqTableFields, rowError, type TableRow } from './faq-table.js';
import { emptyError, readText, type KnowledgeSource } from './source.js';

const LIST_COLUMNS = new Set(['questions', 'tags']);
const REQUIRED_COLUMNS = faqTableFields.filter((field) => field !== 'tags');
const BOOLEAN_CELLS: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
  是: true,
  否: false,
};

export async function loadCsvFaq(source: KnowledgeSource): Promise<LoadedDocument[]> {
  const records = parseCsv(source, readText(source));
  const header = records[0]!.map((cell) => cell.trim());
  const columns = header.map((name) =>
    faqTableFields.find((field) => field.toLowerCase() === name.toLowerCase()),
  );
  checkHeader(source, header, columns);

  const rows: TableRow[] = [];
  const problems: RowProblem[] = [];
  records.slice(1).forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((cell) => cell.trim() === '')) return; // blank lines, Excel's trailing ",,,,"
    if (cells.length !== header.length) {
      problems.push({
        row,
        message: `has ${cells.length} cells but the header has ${header.length}; put cells that contain commas in double quotes`,
      });
      return;
    }
    const fields: Record<string, unknown> = {};
    columns.forEach((column, position) => {
      const cell = cells[position]!.trim();
      if (column === undefined || cell === '') return; // empty cell: the field is reported missing
      if (LIST_COLUMNS.has(column)) {
        fields[column] = cell
          .split('|')
          .map((item) => item.trim())
          .filter(Boolean);
      } else if (column === 'autoReply') {
        fields[column] = BOOLEAN_CELLS[cell.toLowerCase()] ?? cell;
      } else {
        fields[column] = cell;
      }
    });
    rows.push({ row, fields });
  });
  if (rows.length === 0 && problems.length === 0) {
    throw emptyError(source, 'has a header but no rows; add one row per FAQ entry.');
  }
  return faqTableDocuments(source, rows, 'row', problems);
}

function checkHeader(
  source: KnowledgeSource,
  header: string[],
  columns: (string | undefined)[],
): void {
  const unknown = header.filter((_, position) => columns[position] === undefined);
  const missing = REQUIRED_COLUMNS.filter((field) => !columns.includes(field));
  const problems: string[] = [];
  if (header.length === 1 && /[;\t]/.test(header[0]!)) {
    problems.push('the header is a single cell: separate the columns with commas, not ; or tabs');
  } else {
    if (missing.length > 0) problems.push(`missing column(s) ${missing.join(', ')}`);
    if (unknown.length > 0) {
      problems.push(`unknown column(s) ${unknown.map((name) => `"${name}"`).join(', ')}`);
    }
  }
  if (problems.length === 0) return;
  const expected = `the header must name the columns ${faqTableFields.join(', ')} (tags optional)`;
  throw rowError(source, [{ row: 1, message: `${problems.join('; ')}; ${expected}` }], 'row');
}

/** Splits CSV text into records of cells. Row numbers in errors count records, header = 1. */
export function parseCsv(source: KnowledgeSource, text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let inQuotes = false;
  let wasQuoted = false;
  let recordStart = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (inQuotes) {
      if (char !== '"') cell += char;
      else if (text[index + 1] === '"') {
        cell += '"';
        index++;
      } else {
        inQuotes = false;
      }
    } else if (char === '"' && !wasQuoted && cell.trim() === '') {
      inQuotes = true;
      wasQuoted = true;
      cell = '';
    } else if (char === ',' || char === '\n') {
      record.push(cell);
      cell = '';
      wasQuoted = false;
      if (char === '\n') {
        records.push(record);
        record = [];
        recordStart = records.length + 1;
      }
    } else if (!wasQuoted) {
      cell += char;
    } else if (char.trim() !== '') {
      const message = `text after a closing quote in cell ${record.length + 1}; inside a quoted cell write a quote as ""`;
      throw rowError(source, [{ row: recordStart, message }], 'row');
    }
  }
  if (inQuotes) {
    const message = 'a quoted cell is never closed: a closing " is missing';
    throw rowError(source, [{ row: recordStart, message }], 'row');
  }
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  if (records.length === 0) throw emptyError(source);
  return records;
}
