/** Reads the public data sets the retrieval benchmarks use, or says which one is missing. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRandom, shuffleInPlace } from '../../src/models/local/random.js';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function datasetsDirectory(): string {
  return resolve(repositoryRoot, process.env.DATASETS_DIR ?? '../shared/datasets');
}

/** Parsed JSON lines of `relativePath`, or null (with a message) when the file is absent. */
export function readJsonLines<T>(relativePath: string): T[] | null {
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
    .map((line) => JSON.parse(line) as T);
}

/** `--name value` from the command line, or the default. */
export function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1]! : fallback;
}

export type AfqmcPair = { text1: string; text2: string; label: number };

/**
 * The AFQMC retrieval sample every AFQMC script shares (seed 7): `pairCount` pairs, their
 * distinct questions as the pool, the first `queryCount` positive pairs as the evaluated
 * queries, and the texts those touch (no supervision may use them).
 */
export function afqmcSample(pairs: AfqmcPair[], pairCount: number, queryCount: number) {
  const order = Int32Array.from(pairs.keys());
  shuffleInPlace(order, createRandom(7));
  const sample = Array.from(order.slice(0, pairCount), (i) => pairs[i]!);
  const pool = [...new Set(sample.flatMap((pair) => [pair.text1, pair.text2]))];
  const indexOf = new Map(pool.map((text, i) => [text, i]));
  const positives = sample.filter((pair) => pair.label === 1 && pair.text1 !== pair.text2);
  const queries = positives.slice(0, queryCount);
  const evaluated = new Set(queries.flatMap((pair) => [pair.text1, pair.text2]));
  return { sample, pool, indexOf, positives, queries, evaluated };
}
