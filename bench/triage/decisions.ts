/**
 * Decision equivalence for pipeline optimisations: dumps the full triage result of every message in
 * the fixed set (bench/triage/messages.ts) on the shipped knowledge base with the local models, and
 * compares two dumps. Every field must match; numbers may differ by at most 1e-9 (relative).
 *
 *   npx tsx bench/triage/decisions.ts dump before.json --data-dir /tmp/triage-equivalence
 *   (change the code)
 *   npx tsx bench/triage/decisions.ts dump after.json --data-dir /tmp/triage-equivalence
 *   npx tsx bench/triage/decisions.ts compare before.json after.json
 *
 * Both dumps must run on the same database: pgvector builds its HNSW graph with random levels,
 * so two fresh databases return slightly different neighbours and fit slightly different score
 * calibrations (scores move by ~1e-4). `--data-dir` names a folder filled once by the first dump
 * (ingestion, calibration); every dump then runs on a copy of it. Without it the dump runs on a
 * fresh in-memory database, which is only comparable with itself.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/env.js';
import { startService } from '../../src/service.js';
import { silentLogger } from '../../src/testing/logger.js';
import { benchMessages } from './messages.js';

/** A fixed arrival time, so the SLA due times are the same from one run to the next. */
const receivedAt = new Date('2026-03-04T10:00:00+08:00');

const start = (dataDir: string) =>
  startService(parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MODEL_PROVIDER: 'local' }), {
    logger: silentLogger(),
  });

async function dump(out: string, template: string | undefined) {
  let copy: string | undefined;
  if (template) {
    if (!existsSync(join(template, 'pgdata'))) {
      // First use: ingest the shipped knowledge base into the folder once.
      await (await start(template)).close();
    }
    copy = mkdtempSync(join(tmpdir(), 'triage-decisions-'));
    cpSync(template, copy, { recursive: true });
  }
  const service = await start(copy ?? 'memory://');
  try {
    const results: Record<string, unknown> = {};
    for (const message of benchMessages())
      results[message.id] = await service.triage.triage(message.request, { receivedAt });
    writeFileSync(out, JSON.stringify(results));
    console.log(`${Object.keys(results).length} results written to ${out}`);
  } finally {
    await service.close();
    if (copy) rmSync(copy, { recursive: true, force: true });
  }
}

/** Paths where two values differ (numbers within 1e-9 relative count as equal). */
function differences(a: unknown, b: unknown, path: string, found: string[]): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)))
      found.push(`${path}: ${a} != ${b}`);
    return;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (a !== b) found.push(`${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
    return;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    found.push(`${path}: array and object`);
    return;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys)
    differences(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`,
      found,
    );
}

function compare(beforePath: string, afterPath: string) {
  const before = JSON.parse(readFileSync(beforePath, 'utf8')) as Record<string, unknown>;
  const after = JSON.parse(readFileSync(afterPath, 'utf8')) as Record<string, unknown>;
  const found: string[] = [];
  differences(before, after, '', found);
  for (const line of found.slice(0, 50)) console.log(line);
  console.log(
    found.length
      ? `${found.length} differences (first 50 above)`
      : `identical: ${Object.keys(before).length} results`,
  );
  process.exitCode = found.length ? 1 : 0;
}

const args = process.argv.slice(2);
const dataDir = args.includes('--data-dir') ? args[args.indexOf('--data-dir') + 1] : undefined;
const [command, first, second] = args.filter(
  (arg, i) => arg !== '--data-dir' && args[i - 1] !== '--data-dir',
);
if (command === 'dump' && first) await dump(first, dataDir);
else if (command === 'compare' && first && second) compare(first, second);
else throw new Error('usage: decisions.ts dump <out.json> | compare <before.json> <after.json>');
