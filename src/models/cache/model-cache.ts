/**
 * The model cache: models trained at start-up are kept in files keyed by a hash of everything
 * they were trained from (their training data, and the source of the code that trains and runs
 * them), so a restart, another test or another eval loads them in milliseconds instead of
 * training again. A file is a cache and never trusted: one that does not decode, does not
 * match its key or fails its schema is ignored, and the model is trained and written again.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { decodeModelFile, encodeModelFile } from './model-file.js';

/**
 * Part of every key. The key also hashes the source files below, so an edit there retrains by
 * itself; bump this when training changes in a way those files do not show (a dependency).
 */
export const MODEL_CODE_VERSION = 1;

/** Source (under src/) of the code that trains the cached models and turns texts into features. */
const TRAINING_SOURCES = [
  'models/local',
  'models/cache',
  'text',
  'kb/entry-model.ts',
  'kb/lexical-index.ts',
  'triage/hazard.ts',
  'triage/answerability.ts',
];

const sourceRoot = fileURLToPath(new URL('../../', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where the cache lives when MODEL_CACHE_DIR is unset and the data folder is in memory. */
export const SHARED_CACHE_DIR = join(repositoryRoot, 'node_modules', '.cache', 'triage-models');

/** Newest entries kept per model name (a shared cache serves several knowledge bases). */
const KEEP_PER_NAME = 4;

/**
 * The cache folder: MODEL_CACHE_DIR when set (`none` turns the cache off), else
 * `<data folder>/model-cache`, or the shared one in node_modules/.cache for `memory://` data
 * folders (tests and evals start many services from the same files).
 */
export function modelCacheDirectory(config: {
  dataDir: string;
  MODEL_CACHE_DIR?: string | undefined;
}): string | undefined {
  const setting = config.MODEL_CACHE_DIR?.trim();
  if (setting === 'none') return undefined;
  if (setting) return setting;
  return config.dataDir.startsWith('memory://')
    ? SHARED_CACHE_DIR
    : join(config.dataDir, 'model-cache');
}

let fingerprint: string | undefined;

/** A hash of the training code's source files (empty when the sources are not shipped). */
function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const hash = createHash('sha256');
  const visit = (path: string) => {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return;
    }
    if (stats.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else if (/\.[cm]?[jt]s$/.test(path) && !/\.test\.[jt]s$/.test(path)) {
      hash.update(relative(sourceRoot, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const source of TRAINING_SOURCES) visit(join(sourceRoot, source));
  fingerprint = hash.digest('hex');
  return fingerprint;
}

/** JSON with object keys sorted, so equal inputs hash alike whatever order they were built in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    if (ArrayBuffer.isView(item)) return Array.from(item as unknown as ArrayLike<number>);
    return Object.fromEntries(
      Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  });
}

/** The key of a model trained from `inputs` (anything JSON can hold) by the current code. */
export function modelCacheKey(name: string, inputs: unknown): string {
  return createHash('sha256')
    .update(`${MODEL_CODE_VERSION}\0${codeFingerprint()}\0${name}\0`)
    .update(canonical(inputs) ?? 'undefined')
    .digest('hex');
}

export interface ModelCache {
  /** The folder, or undefined when the cache is off. */
  readonly directory: string | undefined;
  /** The value stored for exactly this name and key, if it passes the schema. */
  read<T>(name: string, key: string, schema: z.ZodType<T>): Promise<T | undefined>;
  /** Stores a value (typed arrays kept as bytes); a failure is logged, never thrown. */
  write(name: string, key: string, value: unknown): Promise<void>;
}

interface Envelope {
  name: string;
  key: string;
  value: unknown;
}

const fileName = (name: string, key: string) => `${name}.${key.slice(0, 16)}.model`;

export function createModelCache(directory: string | undefined, logger?: Logger): ModelCache {
  return {
    directory,
    async read(name, key, schema) {
      if (!directory) return undefined;
      const path = join(directory, fileName(name, key));
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch {
        return undefined;
      }
      try {
        const envelope = decodeModelFile(bytes) as Partial<Envelope> | undefined;
        if (envelope?.name !== name || envelope.key !== key) {
          logger?.info({ path }, 'model cache entry of other inputs ignored');
          return undefined;
        }
        const parsed = schema.safeParse(envelope.value);
        if (parsed.success) return parsed.data;
        logger?.warn({ path, issue: parsed.error.issues[0] }, 'invalid model cache entry ignored');
      } catch (error) {
        logger?.warn({ path, err: error }, 'unreadable model cache entry ignored');
      }
      return undefined;
    },
    async write(name, key, value) {
      if (!directory) return;
      const path = join(directory, fileName(name, key));
      // Written beside and renamed, so a reader (another test process) never sees half a file.
      const partial = `${path}.${process.pid}.${Date.now()}.partial`;
      try {
        await mkdir(directory, { recursive: true });
        await writeFile(partial, encodeModelFile({ name, key, value } satisfies Envelope));
        await rename(partial, path);
        await pruneOlder(directory, name, path);
      } catch (error) {
        logger?.warn({ path, err: error }, 'could not write the model cache (models still work)');
        await rm(partial, { force: true }).catch(() => undefined);
      }
    },
  };
}

/** Keeps the newest few entries of one name: each is a whole model of some megabytes. */
async function pruneOlder(directory: string, name: string, keep: string): Promise<void> {
  const entries = (await readdir(directory)).filter(
    (file) => file.startsWith(`${name}.`) && file.endsWith('.model'),
  );
  if (entries.length <= KEEP_PER_NAME) return;
  const dated = await Promise.all(
    entries.map(async (file) => {
      const path = join(directory, file);
      const modified = await stat(path).then(
        (stats) => stats.mtimeMs,
        () => 0,
      );
      return { path, modified };
    }),
  );
  dated.sort((a, b) => b.modified - a.modified);
  for (const { path } of dated.slice(KEEP_PER_NAME))
    if (path !== keep) await rm(path, { force: true }).catch(() => undefined);
}

/**
 * The model from the cache when an entry for these inputs exists, else trained and stored.
 * `save` turns the model into what `schema` parses and `load` restores.
 */
export async function cachedModel<Model, State>(
  cache: ModelCache,
  spec: {
    name: string;
    inputs: unknown;
    schema: z.ZodType<State>;
    train: () => Model | Promise<Model>;
    save: (model: Model) => unknown;
    load: (state: State) => Model;
  },
): Promise<{ model: Model; source: 'cache' | 'trained' }> {
  const key = modelCacheKey(spec.name, spec.inputs);
  const state = await cache.read(spec.name, key, spec.schema);
  if (state !== undefined) {
    try {
      return { model: spec.load(state), source: 'cache' };
    } catch {
      // A state that passed its schema but cannot be put together: train as if it were absent.
    }
  }
  const model = await spec.train();
  await cache.write(spec.name, key, spec.save(model));
  return { model, source: 'trained' };
}
