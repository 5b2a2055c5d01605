/**
 * Runs once per `vitest run`: builds a PGlite snapshot with the schema migrated and the
 * shipped knowledge base ingested, so each test file starts from it in about a second
 * instead of initialising and ingesting a database of its own.
 */
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../config/env.js';
import { startService } from '../service.js';
import { silentLogger } from './logger.js';

export default async function setup(project: TestProject): Promise<void | (() => Promise<void>)> {
  const path = join(tmpdir(), `triage-test-snapshot-${process.pid}.tar.gz`);
  // Both database projects run in this process: build the snapshot once for the run.
  if (process.env.TRIAGE_TEST_SNAPSHOT === path) {
    project.provide('databaseSnapshot', path);
    return;
  }
  const service = await startService(parseConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }), {
    logger: silentLogger(),
  });
  if (service.ingestReport?.failed.length) {
    throw new Error(
      `shipped knowledge base failed to ingest: ${service.ingestReport.failed.map((f) => f.message).join('; ')}`,
    );
  }
  const pglite = (
    service.database as unknown as { pglite: { dumpDataDir(c: string): Promise<Blob> } }
  ).pglite;
  const blob = await pglite.dumpDataDir('gzip');
  await writeFile(path, Buffer.from(await blob.arrayBuffer()));
  await service.close();
  process.env.TRIAGE_TEST_SNAPSHOT = path;
  project.provide('databaseSnapshot', path);
  return async () => {
    await rm(path, { force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseSnapshot: string;
  }
}
