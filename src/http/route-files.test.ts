/**
 * Every route file loads alone: what it imports (types included) reaches neither the app
 * assembly nor another route file, and it exports the register function app.ts calls.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDependencyTree } from 'dpdm';
import { describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const routeFiles = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.routes.ts'))
  .map((file) => join('src', file))
  .sort();

it('finds the route files', () => {
  expect(routeFiles).toContain(join('src', 'conversations', 'messages.routes.ts'));
  expect(routeFiles.length).toBeGreaterThanOrEqual(8);
});

describe.each(routeFiles)('%s', (file) => {
  it('imports neither src/http/app.ts nor another route file', async () => {
    const tree = await parseDependencyTree(file, {
      context: root,
      cwd: root,
      tsconfig: join(root, 'tsconfig.json'),
      transform: false,
    });
    const reached = Object.keys(tree).map((path) => relative(root, join(root, path)));
    expect(reached).toContain(file);
    expect(
      reached.filter(
        (path) =>
          path !== file && (path === join('src', 'http', 'app.ts') || path.endsWith('.routes.ts')),
      ),
    ).toEqual([]);
  });

  it('loads in a fresh module graph and exports one register…Routes function', async () => {
    vi.resetModules();
    const module: Record<string, unknown> = await import(join(root, file));
    const registrars = Object.entries(module).filter(
      ([name, value]) => /^register\w+Routes$/.test(name) && typeof value === 'function',
    );
    expect(registrars).toHaveLength(1);
  });
});
