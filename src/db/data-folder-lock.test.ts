import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFolderInUseError, LOCK_FILE_NAME, lockDataFolder } from './data-folder-lock.js';

let dataDir: string;
let lockPath: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'data-lock-'));
  lockPath = join(dataDir, LOCK_FILE_NAME);
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

const owner = (pid: number, command = 'triage serve') =>
  JSON.stringify({ pid, command, startedAt: new Date().toISOString() });

function refusal(work: () => unknown): DataFolderInUseError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFolderInUseError);
    return error as DataFolderInUseError;
  }
  throw new Error('expected the lock to be refused');
}

describe('data folder lock', () => {
  it('records this process, refuses a second holder in the same process, and is gone after release', () => {
    const lock = lockDataFolder(dataDir, 'triage serve');
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({
      pid: process.pid,
      command: 'triage serve',
    });
    expect(refusal(() => lockDataFolder(dataDir)).message).toMatch(
      /in use by process \d+ \(triage serve\) \(this one\)/,
    );
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
    lockDataFolder(dataDir).release(); // free again
  });

  it('refuses while another live process holds it, in one line naming the process and what to do', () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    children.push(child);
    writeFileSync(lockPath, owner(child.pid!));
    const error = refusal(() => lockDataFolder(dataDir));
    expect(error.message).toContain(
      `data folder ${dataDir} is in use by process ${child.pid} (triage serve)`,
    );
    expect(error.message).toMatch(/stop it first, or use its HTTP API .*POST \/v1\/kb\/documents/);
    expect(error.message).not.toContain('\n');
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(child.pid); // left to its holder
  });

  it('takes over the lock of a process that is gone (a crash or kill -9)', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(lockPath, owner(gone));
    const lock = lockDataFolder(dataDir);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('treats a fresh unreadable lock as a process starting up, and an old one as stale', () => {
    writeFileSync(lockPath, '');
    expect(refusal(() => lockDataFolder(dataDir)).message).toMatch(
      /in use by a process that is starting/,
    );
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockPath, minuteAgo, minuteAgo);
    lockDataFolder(dataDir).release();
  });

  it('release leaves a lock that is no longer its own', () => {
    const lock = lockDataFolder(dataDir);
    writeFileSync(lockPath, owner(process.pid, 'someone else'));
    lock.release();
    expect(existsSync(lockPath)).toBe(true);
  });
});
