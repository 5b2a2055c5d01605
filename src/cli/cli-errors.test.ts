import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialsError } from '../auth/credentials.js';
import { ConfigError } from '../config/env.js';
import { MigrationError } from '../db/migrate.js';
import { describeCliError } from './cli-errors.js';

describe('describeCliError', () => {
  it('prints an error the operator can act on as its message only', () => {
    for (const error of [
      new ConfigError('Invalid configuration. Set PORT: …'),
      new CredentialsError('a console password must be…'),
      new MigrationError('Migration 0001_init failed: …'),
    ]) {
      expect(describeCliError(error, { debug: false })).toBe(error.message);
    }
  });

  it('prints anything else as one line, with the stack only when debugging', () => {
    const error = new TypeError('x is not a function');
    expect(describeCliError(error, { debug: false })).toBe(
      'x is not a function (set LOG_LEVEL=debug to see where)',
    );
    expect(describeCliError(error, { debug: true })).toContain('    at ');
  });
});

describe('the triage command line', () => {
  const run = (args: string[], env: Record<string, string>, input?: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: join(mkdtempSync(join(tmpdir(), 'triage-cli-')), 'data'),
        ...env,
      },
      input: input ?? '',
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('says in one line, without a stack, that an API_KEYS key is too short', () => {
    const result = run(['serve'], { API_KEYS: 'short:admin' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Invalid configuration. API_KEYS entry 1: a key must be at least 16 characters (got 5).',
    );
  });

  it('refuses a short console password from `users add` in one line, before touching the database', () => {
    const result = run(['users', 'add', 'bob'], {}, 'short\n');
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'a console password must be at least 8 characters (got 5); nothing was saved',
    );
  });

  it('asks for the channels of an integration key', () => {
    const result = run(['keys', 'create', 'bot'], {});
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^an integration key needs --channels/);
  });
});
