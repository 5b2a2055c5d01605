/** Finds the loadable files of a knowledge-base folder, in a stable order. */
import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { supportedExtensions } from './formats.js';

/**
 * Not content: READMEs describe the folder, `~$name.docx` are Word's lock files (unreadable
 * while Word has them open), dot-files are editor and OS litter. The taxonomy and sentiment
 * YAML files that live beside the content are configuration: YAML is not a loadable type.
 */
function isExcluded(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || name.toLowerCase() === 'readme.md';
}

/**
 * Supported files under `dir`, recursively, as `join(dir, relative path)`, sorted by relative
 * path (code-unit order, so the order does not depend on the machine's locale). Symbolic links
 * are not followed. Files of other types are left out: load one directly to get its error.
 */
export async function listKnowledgeFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(relative: string): Promise<void> {
    const entries = await readdir(join(dir, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (isExcluded(entry.name) || entry.name === 'node_modules') continue;
      const path = relative === '' ? entry.name : posix.join(relative, entry.name);
      const extension = posix.extname(entry.name).toLowerCase();
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && supportedExtensions.includes(extension)) found.push(path);
    }
  }
  await walk('');
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((path) => join(dir, path));
}
