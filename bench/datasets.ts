/**
 * Reads the public data sets benchmarks and evals use (JSON lines under DATASETS_DIR,
 * default ../shared/datasets from the repository root), or says which one is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function datasetsDirectory(): string {
  return resolve(repositoryRoot, process.env.DATASETS_DIR ?? '../shared/datasets');
}

/** Rows validated by `schema`, or null (with a message naming the data set) when absent. */
export function readDataset<T>(relativePath: string, schema: z.ZodType<T>): T[] | null {
  const path = resolve(datasetsDirectory(), relativePath);
  if (!existsSync(path)) {
    console.log(
      `skipped: data set ${relativePath} not found under ${datasetsDirectory()} (set DATASETS_DIR)`,
    );
    return null;
  }
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) {
        throw new Error(`${relativePath} line ${index + 1}: ${parsed.error.message}`);
      }
      return parsed.data;
    });
}

export const labelledTextSchema = z.object({ text: z.string(), label: z.coerce.string() });
export type LabelledText = z.infer<typeof labelledTextSchema>;

/** `{ text, label }` rows of a classification data set, or null when it is absent. */
export function readLabelledTexts(relativePath: string): LabelledText[] | null {
  return readDataset(relativePath, labelledTextSchema);
}
