/**
 * Loads what a suite runs on: its cases (inline, from a file, or held out of `train`),
 * the training examples and the retrieval corpus, each row validated with errors that
 * name the file, the line and the field.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { stratifiedFolds } from '../models/local/cross-validation.js';
import { displayPath, readRows, resolveDataFile, type Row } from './data-files.js';
import { feedbackRows } from './formats/feedback.js';
import { promptfooRows } from './formats/promptfoo.js';
import {
  caseSchemas,
  type ClassificationCase,
  describeIssues,
  type RetrievalCase,
  type SafetyCase,
  type Suite,
  SuiteError,
  type TriageCase,
} from './suite.js';

export const trainingRowSchema = z.object({
  text: z.string().min(1),
  label: z.coerce.string().min(1),
});
export type TrainingRow = z.infer<typeof trainingRowSchema>;

export const corpusRowSchema = z.union(
  [
    z
      .object({
        id: z.coerce.string().min(1),
        question: z.string().min(1),
        answer: z.string().min(1),
        locale: z.string().optional(),
      })
      .loose(),
    z
      .object({
        id: z.coerce.string().min(1),
        text: z.string().min(1),
        title: z.string().optional(),
        locale: z.string().optional(),
      })
      .loose(),
  ],
  { error: 'needs id and text, or id, question and answer' },
);
export type CorpusRow = z.infer<typeof corpusRowSchema>;

export type CaseOf<K extends Suite['kind']> = {
  classification: ClassificationCase;
  retrieval: RetrievalCase;
  triage: TriageCase;
  safety: SafetyCase;
}[K] & { id: string };

export interface SuiteData {
  cases: { id: string }[];
  /** Cases before `limit` was applied. */
  totalCases: number;
  train?: TrainingRow[];
  corpus?: CorpusRow[];
  /** What importing another tool's file left out (shown in every report). */
  warnings: string[];
  /** How the cases were made, e.g. from a feedback export. */
  notes: string[];
}

function validate<T>(rows: Row[], schema: z.ZodType<T>): T[] {
  return rows.map((row) => {
    const parsed = schema.safeParse(row.fields);
    if (!parsed.success)
      throw new SuiteError(`${row.origin}: ${describeIssues(parsed.error).join('; ')}`);
    return parsed.data;
  });
}

/** `limit` cases spread evenly over the list (deterministic), so a subset covers every part of it. */
export function spreadSubset<T>(items: T[], limit: number | undefined): T[] {
  if (limit === undefined || limit >= items.length) return items;
  return Array.from(
    { length: limit },
    (_, index) => items[Math.floor((index * items.length) / limit)]!,
  );
}

/** A deterministic stratified hold-out: `holdout` of every label's examples become test cases. */
export function stratifiedHoldout<T extends { label: string }>(
  rows: T[],
  holdout: number,
  seed: number,
): { train: T[]; test: T[] } {
  const labels = [...new Set(rows.map((row) => row.label))];
  const targets = Int32Array.from(rows, (row) => labels.indexOf(row.label));
  const folds = Math.max(2, Math.round(1 / holdout));
  const assignment = stratifiedFolds(targets, folds, seed);
  return {
    train: rows.filter((_, index) => assignment[index] !== 0),
    test: rows.filter((_, index) => assignment[index] === 0),
  };
}

export async function loadSuiteData(
  suite: Suite,
  options: { datasetsDir: string; limit?: number },
): Promise<SuiteData> {
  const read = (reference: string) =>
    readRows(resolveDataFile(reference, suite.directory, options.datasetsDir), options.datasetsDir);
  const data: Partial<SuiteData> & Pick<SuiteData, 'warnings' | 'notes'> = {
    warnings: [],
    notes: [],
  };

  if (suite.kind === 'classification' && suite.train) {
    const rows =
      typeof suite.train === 'string'
        ? await read(suite.train)
        : suite.train.map((fields, index) => ({
            origin: `${suite.name} train #${index + 1}`,
            fields,
          }));
    data.train = validate(rows, trainingRowSchema);
  }
  if (suite.kind === 'retrieval' && suite.corpus)
    data.corpus = validate(await read(suite.corpus), corpusRowSchema);

  let rows: Row[];
  if (suite.kind === 'classification' && suite.split) {
    const split = stratifiedHoldout(
      data.train!.map((row, index) => ({ ...row, index })),
      suite.split.holdout,
      suite.split.seed,
    );
    data.train = split.train.map(({ text, label }) => ({ text, label }));
    rows = split.test.map((row) => ({
      origin: `holdout:${row.index + 1}`,
      fields: { text: row.text, label: row.label },
    }));
  } else if (suite.casesFile) {
    rows = await read(suite.casesFile);
  } else if (suite.cases && !Array.isArray(suite.cases)) {
    const source = suite.cases;
    const file = resolveDataFile(source.file, suite.directory, options.datasetsDir);
    const outOfScopeLabel = suite.kind === 'triage' ? suite.outOfScopeLabel : undefined;
    const imported: { rows: Row[]; notes: string[]; warnings?: string[] } =
      source.format === 'feedback'
        ? feedbackRows(await read(source.file), outOfScopeLabel)
        : promptfooRows(await readPromptfoo(file.path), displayPath(file.path), {
            textVar: source.textVar,
          });
    rows = imported.rows;
    data.notes.push(...imported.notes);
    data.warnings.push(...(imported.warnings ?? []));
  } else {
    rows = (suite.cases ?? []).map((fields, index) => ({
      origin: `${suite.name}#${index + 1}`,
      fields,
    }));
  }
  if (rows.length === 0)
    throw new SuiteError(
      `${suite.name}: no cases${data.warnings.length ? ` (${data.warnings.join('; ')})` : ''}`,
    );

  if (suite.kind === 'retrieval' && suite.relevantBy)
    rows = withRelevantBy(rows, data.corpus!, suite.relevantBy);
  const cases = validate(rows, caseSchemas[suite.kind] as z.ZodType<{ id?: string }>).map(
    (item, index) => ({
      ...item,
      id: item.id ?? rows[index]!.origin,
    }),
  );
  const ids = new Set<string>();
  for (const item of cases) {
    if (ids.has(item.id))
      throw new SuiteError(`${suite.name}: case id ${item.id} occurs twice; ids must be unique`);
    ids.add(item.id);
  }
  return {
    ...data,
    cases: spreadSubset(cases, options.limit ?? suite.limit),
    totalCases: cases.length,
  };
}

async function readPromptfoo(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new SuiteError(`${displayPath(path)} not found (paths are relative to the suite file)`);
  }
}

/** relevant = ids of the corpus rows whose `field` equals the case's (StackFAQ: the thread). */
function withRelevantBy(rows: Row[], corpus: CorpusRow[], field: string): Row[] {
  const byValue = new Map<string, string[]>();
  for (const entry of corpus) {
    const value = (entry as Record<string, unknown>)[field];
    if (value === undefined) continue;
    const key = String(value);
    byValue.set(key, [...(byValue.get(key) ?? []), entry.id]);
  }
  return rows.map((row) => {
    const value = row.fields[field];
    if (value === undefined)
      throw new SuiteError(`${row.origin}: ${field}: is required (relevantBy: ${field})`);
    return { ...row, fields: { ...row.fields, relevant: byValue.get(String(value)) ?? [] } };
  });
}
