import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  cachedModel,
  createModelCache,
  modelCacheDirectory,
  modelCacheKey,
  SHARED_CACHE_DIR,
} from './model-cache.js';

const stateSchema = z.object({ weights: z.instanceof(Float32Array), label: z.string() });
type State = z.infer<typeof stateSchema>;

/** A stand-in model: training counts how often it ran. */
function spec(inputs: unknown, counter: { trained: number }) {
  return {
    name: 'toy',
    inputs,
    schema: stateSchema,
    train: () => {
      counter.trained++;
      return { weights: Float32Array.from([1, 2, 3]), label: 'fresh' } as State;
    },
    save: (model: State) => model,
    load: (state: State) => ({ ...state, label: `${state.label} (loaded)` }),
  };
}

const folders: string[] = [];
function tempFolder() {
  const folder = mkdtempSync(join(tmpdir(), 'model-cache-test-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('model cache', () => {
  it('trains once, then loads the stored model for the same inputs', async () => {
    const cache = createModelCache(tempFolder());
    const counter = { trained: 0 };
    const first = await cachedModel(cache, spec({ examples: ['a', 'b'] }, counter));
    const second = await cachedModel(cache, spec({ examples: ['a', 'b'] }, counter));
    expect(first.source).toBe('trained');
    expect(second.source).toBe('cache');
    expect(second.model.label).toBe('fresh (loaded)');
    expect([...second.model.weights]).toEqual([1, 2, 3]);
    expect(counter.trained).toBe(1);
  });

  it('trains again when the inputs change; key order of objects does not matter', async () => {
    const cache = createModelCache(tempFolder());
    const counter = { trained: 0 };
    await cachedModel(cache, spec({ a: 1, b: ['x'] }, counter));
    expect((await cachedModel(cache, spec({ b: ['x'], a: 1 }, counter))).source).toBe('cache');
    expect((await cachedModel(cache, spec({ a: 1, b: ['y'] }, counter))).source).toBe('trained');
    expect(counter.trained).toBe(2);
    expect(modelCacheKey('toy', { a: 1 })).not.toBe(modelCacheKey('other', { a: 1 }));
  });

  it('ignores a corrupt entry, one failing its schema and one of another key, and rewrites it', async () => {
    const folder = tempFolder();
    const cache = createModelCache(folder);
    const counter = { trained: 0 };
    await cachedModel(cache, spec('inputs', counter));
    const [file] = readdirSync(folder);
    const path = join(folder, file!);
    const good = readFileSync(path);

    writeFileSync(path, good.subarray(0, good.length - 4));
    expect((await cachedModel(cache, spec('inputs', counter))).source).toBe('trained');

    await cache.write('toy', modelCacheKey('toy', 'inputs'), { weights: [1, 2, 3], label: 1 });
    expect((await cachedModel(cache, spec('inputs', counter))).source).toBe('trained');

    // Same file name (16 hex digits of the key) but another full key inside: not trusted.
    await cache.write('toy', `${modelCacheKey('toy', 'inputs').slice(0, 16)}${'0'.repeat(48)}`, {
      weights: Float32Array.from([9]),
      label: 'other',
    });
    const again = await cachedModel(cache, spec('inputs', counter));
    expect(again.source).toBe('trained');
    expect(again.model.label).toBe('fresh');
    expect(counter.trained).toBe(4);
    // The rebuilt entry is good again.
    expect((await cachedModel(cache, spec('inputs', counter))).source).toBe('cache');
  });

  it('keeps a few entries per model name, not every version', async () => {
    const folder = tempFolder();
    const cache = createModelCache(folder);
    const counter = { trained: 0 };
    for (let version = 0; version < 7; version++)
      await cachedModel(cache, spec({ version }, counter));
    expect(readdirSync(folder).filter((name) => name.startsWith('toy.'))).toHaveLength(4);
  });

  it('is off with no folder: trains every time', async () => {
    const cache = createModelCache(undefined);
    const counter = { trained: 0 };
    await cachedModel(cache, spec('x', counter));
    expect((await cachedModel(cache, spec('x', counter))).source).toBe('trained');
  });

  it('lives in the data folder, in node_modules/.cache for memory://, or where MODEL_CACHE_DIR says', () => {
    expect(modelCacheDirectory({ dataDir: '/srv/triage' })).toBe('/srv/triage/model-cache');
    expect(modelCacheDirectory({ dataDir: 'memory://' })).toBe(SHARED_CACHE_DIR);
    expect(SHARED_CACHE_DIR).toMatch(/node_modules\/\.cache\/triage-models$/);
    expect(modelCacheDirectory({ dataDir: '/srv', MODEL_CACHE_DIR: '/tmp/m' })).toBe('/tmp/m');
    expect(modelCacheDirectory({ dataDir: '/srv', MODEL_CACHE_DIR: 'none' })).toBeUndefined();
  });
});
