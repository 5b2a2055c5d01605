/** Reads the public data sets the retrieval benchmarks use, or says which one is missing. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function datasetsDirectory(): string {
  return resolve(repositoryRoot, process.env.DATASETS_DIR ?? '../shared/datasets');
}

/** Parsed JSON lines of `relativePath`, or null (with a message) when the file is absent. */
export function readJsonLines<T>(relativePath: string): T[] | null {
  const path = resolve(datasetsDirectory(), relativePath);
  if (!existsSync(path)) {
    console.log(`skipped: data set ${relativePath} not found under ${datasetsDirectory()} (set DATASETS_DIR)`);
    return null;
  }
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** `--name value` from the command line, or the default. */
export function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1]! : fallback;
}
