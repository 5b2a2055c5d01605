/**
 * One process at a time on an embedded data folder. PGlite has no cross-process locking, and
 * a second process writing the same folder corrupts it, so the first takes a lock file
 * holding its pid; the next is refused at once with one line that says what to do. A lock
 * whose process is gone (a crash, `kill -9`) is taken over.
 *
 * Hand-written rather than proper-lockfile: that library judges a lock stale by an mtime the
 * holder must refresh on a timer, so seconds of synchronous work (training the local models,
 * embedding a large upload) would let a second process take a live lock, and it records no
 * pid to name in the message. On one machine, which is where an embedded database lives, a
 * pid and `process.kill(pid, 0)` answer "is the holder alive?" exactly.
 */
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, isAbsolute, join, relative } from 'node:path';
import { z } from 'zod';

export const LOCK_FILE_NAME = 'triage.lock';

const lockOwnerSchema = z.object({
  pid: z.number().int().positive(),
  command: z.string(),
  startedAt: z.string(),
  host: z.string().optional(),
});
export type LockOwner = z.infer<typeof lockOwnerSchema>;

/** A lock file still empty this long after it was made belongs to a process that died while writing it. */
const UNWRITTEN_LOCK_GRACE_MS = 10_000;

/** Lock files this process holds: a second open in the same process is refused too. */
const heldHere = new Set<string>();

export class DataFolderInUseError extends Error {
  override name = 'DataFolderInUseError';
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner | undefined,
    readonly lockPath: string,
  ) {
    const who = owner ? `process ${owner.pid} (${owner.command})` : 'a process that is starting';
    const self = owner?.pid === process.pid ? ' (this one)' : '';
    super(
      `data folder ${shownPath(dataDir)} is in use by ${who}${self}; stop it first, or use its HTTP API instead (knowledge-base uploads: POST /v1/kb/documents)` +
        (owner && !self
          ? `; only if process ${owner.pid} is not a triage process, delete ${shownPath(lockPath)}`
          : ''),
    );
  }
}

export interface DataFolderLock {
  path: string;
  release(): void;
}

/** Takes the data folder's lock, or throws DataFolderInUseError naming the process that holds it. */
export function lockDataFolder(dataDir: string, command = describeCommand()): DataFolderLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE_NAME);
  if (heldHere.has(path)) throw new DataFolderInUseError(dataDir, readOwner(path).owner, path);
  const content = `${JSON.stringify({ pid: process.pid, command, startedAt: new Date().toISOString(), host: hostname() } satisfies LockOwner)}\n`;
  // A few rounds: each lost race either ends in a refusal or removes one stale lock.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(path, content, { flag: 'wx', mode: 0o644 }); // O_CREAT | O_EXCL: one winner
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      removeIfStale(dataDir, path);
      continue;
    }
    heldHere.add(path);
    const onExit = () => release();
    process.once('exit', onExit);
    function release(): void {
      if (!heldHere.delete(path)) return;
      process.removeListener('exit', onExit);
      try {
        if (readFileSync(path, 'utf8') === content) unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    }
    return { path, release };
  }
  throw new DataFolderInUseError(dataDir, readOwner(path).owner, path);
}

/** Throws when the lock's holder is alive; otherwise removes the lock (exactly once, even when two race for it). */
function removeIfStale(dataDir: string, path: string): void {
  const { text, owner, ageMs } = readOwner(path);
  if (text === undefined) return; // released meanwhile: try again
  if (
    owner === undefined
      ? ageMs < UNWRITTEN_LOCK_GRACE_MS
      : owner.pid !== process.pid && isAlive(owner.pid)
  ) {
    throw new DataFolderInUseError(dataDir, owner, path);
  }
  // Same pid as ours but not held here: an earlier life of this pid (a container restarted).
  // Moving it aside is atomic, so of two processes that both judged it stale only one takes
  // it away; if what we moved is not what we judged, a live holder's lock goes back.
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readFileSync(aside, 'utf8');
  if (moved !== text) {
    renameSync(aside, path);
    throw new DataFolderInUseError(dataDir, parseOwner(moved), path);
  }
  unlinkSync(aside);
}

function readOwner(path: string): { text?: string; owner?: LockOwner; ageMs: number } {
  try {
    const text = readFileSync(path, 'utf8');
    return { text, owner: parseOwner(text), ageMs: Date.now() - statSync(path).mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ageMs: 0 };
    throw error;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const parsed = lockOwnerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks that the process exists without touching it; EPERM means it exists as another user. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `triage serve`, `triage kb ingest`: the command, never its free-text arguments. */
function describeCommand(): string {
  const [, script = '', ...args] = process.argv;
  const name = /(cli[\\/]main\.[jt]s|bin[\\/]triage(\.js)?)$/.test(script)
    ? 'triage'
    : basename(script) || 'node';
  const words = [];
  for (const arg of args.slice(0, 2)) {
    if (!/^[a-z][a-z-]*$/.test(arg)) break;
    words.push(arg);
  }
  return [name, ...words].join(' ');
}

function shownPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere === ''
    ? '.'
    : fromHere.startsWith('..') || isAbsolute(fromHere)
      ? path
      : `./${fromHere}`;
}
