/**
 * What a restart does to the console's changes: the start-up sync of the knowledge-base folder
 * re-reads files that changed on disk, but an entry edited or deleted in the console keeps the
 * console's version (the file's new text is stored aside as superseded, and reported), so
 * triage still answers with the edit and a deleted entry stays deleted. A restore then takes
 * the file's newest text.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/env.js';
import type { DatabaseHandle } from '../db/database.js';
import { type Service, startService } from '../service.js';
import { openTestDatabase } from '../testing/database.js';
import { silentLogger } from '../testing/logger.js';
import { versionsOf } from './kb-console.repository.js';
import { createKnowledgeBaseEditor } from './kb-editor.js';
import { fieldsOf } from './kb-document-detail.js';

const shippedFolder = new URL('../../knowledge-base/', import.meta.url).pathname;
const newSentence = 'From 1 March refunds to credit cards arrive within 2 business days.';
const refundQuestion = 'How long does a refund take to reach my card?';

let database: DatabaseHandle;
let folder: string;
const services: Service[] = [];

async function start(ingest: boolean): Promise<Service> {
  const config = parseConfig({
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD: 'admin-password-1',
    KNOWLEDGE_BASE_DIR: folder,
  });
  const service = await startService(config, {
    // close() leaves the database open: the next start reuses it, as a restart would.
    database: { ...database, close: async () => {} },
    logger: silentLogger(),
    ingest,
  });
  services.push(service);
  return service;
}

const editorOf = (service: Service) =>
  createKnowledgeBaseEditor({ db: service.database.db, knowledgeBase: service.knowledgeBase });

async function liveRow(entryId: string) {
  return (await versionsOf(database.db, { entryId, locale: 'en' })).find(
    (version) => version.status === 'active',
  );
}

async function rewrite(path: string, from: string, to: string) {
  const file = join(folder, path);
  const text = await readFile(file, 'utf8');
  expect(text).toContain(from);
  await writeFile(file, text.replace(from, to));
}

beforeAll(async () => {
  database = await openTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'kb-console-restart-'));
  await cp(shippedFolder, folder, { recursive: true });
});

afterAll(async () => {
  for (const service of services) await service.close();
  await database?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('console edits across a restart', { timeout: 240_000 }, () => {
  it('keeps an edited and a deleted entry when their files change on disk, and restores the newest file', async () => {
    const first = await start(false);
    const editor = editorOf(first);
    const refund = (await liveRow('refund_timeline'))!;
    const fields = fieldsOf(refund);
    if (fields.kind !== 'faq') throw new Error('refund_timeline is an FAQ entry');
    await editor.update(
      refund.id,
      { ...fields, answer: `${newSentence}\n\n${fields.answer}` },
      'lin',
    );
    await editor.remove((await liveRow('points_rules'))!.id, 'lin');
    await first.close();

    // A new release of the shop's files changes both entries.
    await rewrite(
      'faq/refund_timeline.en.md',
      'Debit card: 1-3 business days.',
      'Debit card: 1-2 business days.',
    );
    await rewrite(
      'faq/points_rules.en.md',
      'How much are 100 points worth?',
      'What are 100 points worth in yuan?',
    );

    const second = await start(true);
    const report = second.ingestReport!;
    expect(report.updated.sort()).toEqual(['faq/points_rules.en.md', 'faq/refund_timeline.en.md']);
    expect(report.failed).toEqual([]);
    expect(report.superseded).toEqual(
      expect.arrayContaining([
        { sourcePath: 'faq/refund_timeline.en.md', entryId: 'refund_timeline', locale: 'en' },
        { sourcePath: 'faq/points_rules.en.md', entryId: 'points_rules', locale: 'en' },
      ]),
    );

    // The console's edit is still what is searched and sent.
    const live = (await liveRow('refund_timeline'))!;
    expect(live.source).toBe('console');
    expect(live.body).toContain(newSentence);
    const result = await second.triage.triage({ text: refundQuestion });
    expect(result.decision.action).toBe('auto_reply');
    expect(result.reply.text).toContain(newSentence);
    // The file's new text is kept aside, not lost.
    const shipped = (
      await versionsOf(database.db, { entryId: 'refund_timeline', locale: 'en' })
    ).find((version) => version.source === 'knowledge-base')!;
    expect(shipped.status).toBe('superseded');
    expect(shipped.body).toContain('Debit card: 1-2 business days.');

    // The deleted entry stays deleted.
    expect(await liveRow('points_rules')).toBeUndefined();
    const points = await second.knowledgeBase.search('What are 100 points worth in yuan?', {
      locale: 'en',
    });
    expect(points.map((match) => match.id)).not.toContain('points_rules');

    // Restoring takes the file's newest text.
    const restored = await editorOf(second).restore(live.id, 'lin');
    expect(restored.status).toBe('active');
    const reply = (await second.triage.triage({ text: refundQuestion })).reply.text;
    expect(reply).toContain('1-2 business days');
    expect(reply).not.toContain(newSentence);
  });
});
