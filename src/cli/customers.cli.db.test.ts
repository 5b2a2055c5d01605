/**
 * The data-lifecycle commands against a real embedded data folder (issue 16): `customers export`
 * prints the customer's history, `customers erase` wants --yes and then deletes it, `keys list`
 * and `keys revoke` and `users disable`, each change in the audit log as `cli:<local user>`.
 * Embedded PGlite only: the pg project has no data folder.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/env.js';
import { openDatabase } from '../db/database.js';
import { createApp } from '../http/app.js';
import { startService } from '../service.js';
import {
  type SeededCustomer,
  seedCustomer,
  tablesMentioning,
} from '../testing/customer-history.js';
import { snapshotBlob, testDriver } from '../testing/database.js';
import { silentLogger } from '../testing/logger.js';
import { testApiKeysEnv } from '../testing/service.js';

const repository = resolve(import.meta.dirname, '../..');
let dataDir: string;
let customer: SeededCustomer;

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  delete env.DATABASE_URL;
  const child = spawn(join(repository, 'node_modules/.bin/tsx'), ['src/cli/main.ts', ...args], {
    cwd: repository,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

const config = () =>
  parseConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD: 'admin-password-1',
    ...testApiKeysEnv,
  });

describe.skipIf(testDriver === 'pg')('data lifecycle commands', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'triage-data-'));
    const database = await openDatabase({ dataDir, loadDataDir: await snapshotBlob() });
    const service = await startService(config(), {
      database,
      logger: silentLogger(),
      ingest: false,
    });
    try {
      customer = await seedCustomer(
        { ...service, app: createApp(service) },
        { customerId: 'cust-cli', marker: 'Zorblax' },
      );
    } finally {
      await service.close();
    }
  }, 300_000);

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('exports, refuses to erase without --yes, then erases', async () => {
    const exported = await cli(['customers', 'export', 'cust-cli', '--channel', 'web-chat']);
    expect(exported.code, exported.stderr).toBe(0);
    const document = JSON.parse(exported.stdout);
    expect(document.customer).toEqual({ id: 'cust-cli', channels: ['web-chat'] });
    expect(exported.stdout).toContain('Zorblax');

    const unsure = await cli(['customers', 'erase', 'cust-cli']);
    expect(unsure.code).toBe(1);
    expect(unsure.stderr).toContain('--yes');

    const erased = await cli(['customers', 'erase', 'cust-cli', '--yes']);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stdout).toMatch(/^erased customer cust-cli \(web-chat\): 2 conversations, /);
    expect(erased.stdout).toMatch(/audit subject customer:[0-9a-f]{32}/);

    const again = await cli(['customers', 'export', 'cust-cli']);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('Nothing is stored about customer cust-cli.');
  });

  it('lists and revokes keys and disables a user', async () => {
    const listed = await cli(['keys', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const keys = JSON.parse(listed.stdout) as { name: string; revokedAt: string | null }[];
    expect(keys.map((key) => key.name)).toEqual(expect.arrayContaining(['bot', 'alice', 'root']));

    const revoked = await cli(['keys', 'revoke', 'alice']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/^key alice \(.+\) revoked at /);

    const disabled = await cli(['users', 'disable', 'admin']);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout.trim()).toBe('user admin disabled');

    const missing = await cli(['keys', 'revoke', 'nobody']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('No API key nobody.');
  });

  it('left the audit log the record, and nothing of the customer', async () => {
    const database = await openDatabase({ dataDir });
    try {
      const entries = await database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'subject_type'])
        .where('actor_id', '=', `cli:${userInfo().username}`)
        .orderBy('id')
        .execute();
      expect(entries.map((entry) => entry.action)).toEqual([
        'customer.export',
        'customer.erase',
        'api_key.revoke',
        'user.disable',
      ]);
      expect(
        await tablesMentioning(database.db, ['Zorblax', 'cust-cli', customer.ticketId]),
      ).toEqual({});
    } finally {
      await database.close();
    }
  });
});
