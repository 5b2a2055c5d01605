/**
 * Entry point of knowledge-base loading: a file (or an upload's bytes) in, zero or more
 * validated documents out, or one DocumentError that says what to fix in that file.
 */
import { open } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { DocumentError, type LoadedDocument } from '../document.js';
import {
  conversionHints,
  loaderByExtension,
  supportedExtensions,
  type FormatLoader,
} from './formats.js';
import { createSource, emptyError, sourcePathFromName, type KnowledgeSource } from './source.js';

export { listKnowledgeFiles } from './list.js';
export { supportedExtensions } from './formats.js';

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export interface LoadOptions {
  /** sourcePath is made relative to this folder (default: the path as given). */
  rootDir?: string;
  /** Larger files are refused before they are read (default 20 MB). */
  maxBytes?: number;
}

export async function loadKnowledgeFile(
  path: string,
  options: LoadOptions = {},
): Promise<LoadedDocument[]> {
  const sourcePath = toSourcePath(path, options.rootDir);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const load = loaderFor(sourcePath);
  let bytes: Uint8Array;
  try {
    // The size is checked on the open handle: the file measured is the file read.
    const handle = await open(path, 'r');
    try {
      const stats = await handle.stat();
      if (stats.isDirectory()) throw unreadable(sourcePath, 'is a folder, not a file');
      if (!stats.isFile()) throw unreadable(sourcePath, 'is not a regular file');
      checkSize(sourcePath, stats.size, maxBytes);
      bytes = await handle.readFile();
      checkSize(sourcePath, bytes.byteLength, maxBytes); // it may have grown since
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    throw unreadable(sourcePath, systemReason(error), error);
  }
  return loadSource(createSource(sourcePath, bytes), load);
}

/** For uploads: `name` gives the type and the fallback entry id, and becomes sourcePath. */
export async function loadKnowledgeBytes(
  name: string,
  bytes: Uint8Array,
  options: Pick<LoadOptions, 'maxBytes'> = {},
): Promise<LoadedDocument[]> {
  const sourcePath = sourcePathFromName(name);
  const load = loaderFor(sourcePath);
  checkSize(sourcePath, bytes.byteLength, options.maxBytes ?? DEFAULT_MAX_BYTES);
  return loadSource(createSource(sourcePath, bytes), load);
}

async function loadSource(source: KnowledgeSource, load: FormatLoader): Promise<LoadedDocument[]> {
  if (source.bytes.byteLength === 0) {
    throw emptyError(source, 'is empty (0 bytes); add content or remove the file.');
  }
  return load(source);
}

function loaderFor(sourcePath: string): FormatLoader {
  const dot = sourcePath.lastIndexOf('.');
  const extension = dot > sourcePath.lastIndexOf('/') ? sourcePath.slice(dot).toLowerCase() : '';
  const load = loaderByExtension[extension];
  if (load !== undefined) return load;
  const hint = conversionHints[extension];
  const what = extension === '' ? 'has no file extension' : `is a ${extension} file`;
  const fix = hint === undefined ? '' : `: ${hint}`;
  const supported = supportedExtensions.join(', ');
  throw new DocumentError(
    'unsupported_type',
    sourcePath,
    `${what}, which cannot be loaded${fix}. Supported: ${supported}.`,
  );
}

function checkSize(sourcePath: string, size: number, maxBytes: number): void {
  if (size <= maxBytes) return;
  throw new DocumentError(
    'too_large',
    sourcePath,
    `is ${megabytes(size)}, over the ${megabytes(maxBytes)} limit; ` +
      'split it into smaller documents (or raise the limit).',
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

function toSourcePath(path: string, rootDir: string | undefined): string {
  const shown = rootDir === undefined ? path : relative(resolve(rootDir), resolve(path));
  return shown.split(sep).join('/');
}

function unreadable(sourcePath: string, reason: string, cause?: unknown): DocumentError {
  return new DocumentError('unreadable', sourcePath, `cannot be read: ${reason}.`, { cause });
}

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file (check the path)';
  if (code === 'EACCES' || code === 'EPERM')
    return 'permission denied (check the file permissions)';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return error instanceof Error ? error.message : String(error);
}
