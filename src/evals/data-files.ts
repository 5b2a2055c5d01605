/**
 * Where a suite's data files are and how they are read: paths relative to the suite
 * file or under `${DATASETS_DIR}/` (public data sets, absent on some machines: the suite
 * is then skipped, not failed), as JSON lines or CSV rows with their line numbers.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../kb/loaders/csv.js';
import { createSource, readText } from '../kb/loaders/source.js';
import { SuiteError } from './suite.js';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** DATASETS_DIR (default ../shared/datasets) resolved against the repository root. */
export function datasetsDirectory(configured: string | undefined): string {
  return resolve(repositoryRoot, configured ?? '../shared/datasets');
}

const DATASETS_PREFIX = /^\$\{DATASETS_DIR\}[\\/]/;

export interface DataFile {
  path: string;
  /** Set for `${DATASETS_DIR}/...` paths: the data set's relative name, e.g. clinc150/val.jsonl. */
  dataset?: string;
}

export function resolveDataFile(
  reference: string,
  suiteDirectory: string,
  datasetsDir: string,
): DataFile {
  if (DATASETS_PREFIX.test(reference)) {
    const dataset = reference.replace(DATASETS_PREFIX, '');
    return { path: resolve(datasetsDir, dataset), dataset };
  }
  return { path: resolve(suiteDirectory, reference) };
}

/** Thrown when a public data set is not on this machine: the suite is skipped with this message. */
export class MissingDatasetError extends Error {
  override name = 'MissingDatasetError';
}

export interface Row {
  /** `file.jsonl:12` (line) or `file.csv:3` (spreadsheet row, header = 1). */
  origin: string;
  fields: Record<string, unknown>;
}

/** Columns of a CSV file that hold lists, written `a|b|c` in one cell. */
const LIST_COLUMNS = new Set([
  'relevant',
  'contains',
  'notContains',
  'cites',
  'tags',
  'expect.notContains',
  'expect.contains',
  'expect.flags',
]);

export async function readRows(file: DataFile, datasetsDir: string): Promise<Row[]> {
  if (!existsSync(file.path)) {
    if (file.dataset)
      throw new MissingDatasetError(
        `data set ${file.dataset} not found under ${datasetsDir} (set DATASETS_DIR)`,
      );
    throw new SuiteError(
      `${displayPath(file.path)} not found (paths are relative to the suite file)`,
    );
  }
  // Case ids default to `<name>:<line>`: a data set's own name reads better than its absolute path.
  const name = file.dataset ?? displayPath(file.path);
  const bytes = await readFile(file.path);
  const extension = extname(file.path).toLowerCase();
  if (extension === '.csv') return csvRows(name, bytes);
  if (extension !== '.jsonl' && extension !== '.ndjson')
    throw new SuiteError(`${name}: use a .jsonl or .csv file`);
  const rows: Row[] = [];
  bytes
    .toString('utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new SuiteError(`${name}:${index + 1}: not valid JSON`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new SuiteError(`${name}:${index + 1}: must be a JSON object`);
      rows.push({ origin: `${name}:${index + 1}`, fields: value as Record<string, unknown> });
    });
  return rows;
}

function csvRows(name: string, bytes: Buffer): Row[] {
  const source = createSource(name, bytes);
  const records = parseCsv(source, readText(source));
  const header = records[0]!.map((cell) => cell.trim());
  return records.slice(1).flatMap((cells, index) => {
    if (cells.every((cell) => cell.trim() === '')) return [];
    const fields: Record<string, unknown> = {};
    header.forEach((column, position) => {
      const cell = (cells[position] ?? '').trim();
      if (column === '' || cell === '') return;
      const value = LIST_COLUMNS.has(column)
        ? cell
            .split('|')
            .map((item) => item.trim())
            .filter(Boolean)
        : cell;
      // `expect.action` -> { expect: { action } }
      const [head, ...rest] = column.split('.');
      if (rest.length === 0) fields[head!] = value;
      else ((fields[head!] ??= {}) as Record<string, unknown>)[rest.join('.')] = value;
    });
    return [{ origin: `${name}:${index + 2}`, fields }];
  });
}

/** Paths in messages: relative to the working folder when inside it. */
export function displayPath(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath.startsWith('..') ? path : relativePath;
}
