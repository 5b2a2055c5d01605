/**
 * The Node versions we promise (package.json `engines`, README) must be ones every locked
 * dependency accepts, so `npm install` prints no EBADENGINE warning on any of them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const readJson = async (name: string) => JSON.parse(await readFile(join(root, name), 'utf8'));

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

describe('Node version promise', () => {
  it('every locked dependency accepts every Node version package.json engines allows', async () => {
    const manifest = await readJson('package.json');
    const lock = await readJson('package-lock.json');
    const ours: string = manifest.engines.node;
    expect(semver.validRange(ours)).not.toBeNull();
    expect(lock.packages[''].engines.node).toBe(ours);
    const refusing = Object.entries(lock.packages as Record<string, LockedPackage>)
      .filter(([path]) => path !== '')
      .flatMap(([path, locked]) => {
        const wanted = Array.isArray(locked.engines) ? undefined : locked.engines?.node;
        return wanted && !semver.subset(ours, wanted)
          ? [`${path}@${locked.version} wants node ${wanted}`]
          : [];
      });
    expect(refusing).toEqual([]);
  });

  it('the Node running the tests is one the promise covers', async () => {
    const manifest = await readJson('package.json');
    expect(semver.satisfies(process.version, manifest.engines.node)).toBe(true);
  });

  it('README states the same Node versions as engines', async () => {
    const manifest = await readJson('package.json');
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`\`engines\`: \`${manifest.engines.node}\``);
  });
});
