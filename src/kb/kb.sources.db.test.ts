/**
 * Documents belong to a source (the knowledge-base folder, uploads, or another folder):
 * ingesting a second folder into a database holding the shipped knowledge base adds that
 * folder only, prune removes only that folder's vanished files, and the start-up sync of
 * knowledge-base/ keeps the other folder's documents and the uploads.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/env.js';
import type { DatabaseHandle } from '../db/database.js';
import { type Service, startService } from '../service.js';
import { openTestDatabase } from '../testing/database.js';
import { silentLogger } from '../testing/logger.js';
import { KNOWLEDGE_BASE_SOURCE, UPLOAD_SOURCE } from './kb.service.js';

const faq = (id: string, title: string, questions: string[], answer: string) =>
  [
    '---',
    `id: ${id}`,
    'locale: en',
    `title: ${title}`,
    'category: product_question',
    'autoReply: true',
    'questions:',
    ...questions.map((q) => `  - ${q}`),
    '---',
    answer,
    '',
  ].join('\n');

const files: Record<string, string> = {
  'faq/gift_card_balance.en.md': faq(
    'gift_card_balance',
    'How do I check my gift card balance?',
    [
      'What is left on my gift card?',
      'Check gift card balance',
      'How much money is on my gift card?',
      'Gift card remaining amount?',
      'Where do I see the gift card balance?',
    ],
    'Open My account, then Gift cards: the balance of each card is shown next to its number.',
  ),
  'faq/bulk_order_discount.en.md': faq(
    'bulk_order_discount',
    'Do you give a discount on bulk orders?',
    [
      'Is there a discount for 50 units?',
      'Bulk pricing for companies?',
      'Can I get a wholesale price?',
      'Discount for large quantity orders?',
      'Do you sell in bulk cheaper?',
    ],
    'Orders of 50 units or more get 8 percent off; write to our business desk for a quote.',
  ),
  // The same relative path as a shipped file: two folders may both hold it.
  'policies/warranty-policy.en.txt':
    'Partner warranty\n\nPartner devices carry the partner’s own 18-month warranty, handled by the partner directly.',
};

let database: DatabaseHandle;
let folder: string;
const config = parseConfig({
  DATA_DIR: 'memory://',
  LOG_LEVEL: 'silent',
  ADMIN_PASSWORD: 'admin-password-1',
});
const services: Service[] = [];

/** A service on the shared database whose close() leaves the database open: the next "start" reuses it. */
async function start(ingest: boolean): Promise<Service> {
  const service = await startService(config, {
    database: { ...database, close: async () => {} },
    logger: silentLogger(),
    ingest,
  });
  services.push(service);
  return service;
}

async function documentsBySource(service: Service) {
  const bySource = new Map<string, { id: string; path: string; hash: string }[]>();
  for (const row of await service.knowledgeBase.listDocuments()) {
    bySource.set(row.source, [
      ...(bySource.get(row.source) ?? []),
      { id: row.id, path: row.source_path, hash: row.content_hash },
    ]);
  }
  return bySource;
}

beforeAll(async () => {
  database = await openTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'kb-second-folder-'));
  await mkdir(join(folder, 'faq'));
  await mkdir(join(folder, 'policies'));
  for (const [path, text] of Object.entries(files)) await writeFile(join(folder, path), text);
});

afterAll(async () => {
  for (const service of services) await service.close();
  await database?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('knowledge-base sources', { timeout: 180_000 }, () => {
  let service: Service;
  let shipped: { id: string; path: string; hash: string }[];

  it('ingesting a second folder adds its documents and leaves the shipped knowledge base as it was', async () => {
    service = await start(false);
    shipped = (await documentsBySource(service)).get(KNOWLEDGE_BASE_SOURCE) ?? [];
    expect(shipped.length).toBeGreaterThan(60);

    const report = await service.knowledgeBase.ingestDirectory(folder);
    expect(report.source).toBe(folder);
    expect(report.added.sort()).toEqual(Object.keys(files).sort());
    expect({ removed: report.removed, missing: report.missing, failed: report.failed }).toEqual({
      removed: [],
      missing: [],
      failed: [],
    });

    const after = await documentsBySource(service);
    expect(after.get(KNOWLEDGE_BASE_SOURCE)).toEqual(shipped); // same rows: not even rewritten
    expect(
      after
        .get(folder)
        ?.map((document) => document.path)
        .sort(),
    ).toEqual(Object.keys(files).sort());
    const matches = await service.knowledgeBase.search('how much is left on my gift card', {
      locale: 'en',
    });
    expect(matches[0]?.id).toBe('gift_card_balance');
  });

  it('keeps a vanished file unless asked to prune, and prune removes only that folder’s file', async () => {
    await service.knowledgeBase.ingestUpload(
      'holiday-hours.en.txt',
      new TextEncoder().encode(
        'Holiday hours\n\nOn public holidays the team answers from 10:00 to 16:00.',
      ),
    );
    await rm(join(folder, 'faq/bulk_order_discount.en.md'));

    const kept = await service.knowledgeBase.ingestDirectory(folder);
    expect({ removed: kept.removed, missing: kept.missing }).toEqual({
      removed: [],
      missing: ['faq/bulk_order_discount.en.md'],
    });
    expect((await documentsBySource(service)).get(folder)).toHaveLength(3);

    const pruned = await service.knowledgeBase.ingestDirectory(folder, { prune: true });
    expect(pruned.removed).toEqual(['faq/bulk_order_discount.en.md']);
    const after = await documentsBySource(service);
    expect(
      after
        .get(folder)
        ?.map((document) => document.path)
        .sort(),
    ).toEqual(['faq/gift_card_balance.en.md', 'policies/warranty-policy.en.txt']);
    expect(after.get(KNOWLEDGE_BASE_SOURCE)).toEqual(shipped);
    expect(after.get(UPLOAD_SOURCE)?.map((document) => document.path)).toEqual([
      'uploads/holiday-hours.en.txt',
    ]);
  });

  it('a restart syncs knowledge-base/ and keeps the other folder’s documents and the uploads', async () => {
    const before = await documentsBySource(service);
    const restarted = await start(true);
    const report = restarted.ingestReport!;
    expect(report.source).toBe(KNOWLEDGE_BASE_SOURCE);
    expect({
      added: report.added,
      updated: report.updated,
      removed: report.removed,
      failed: report.failed,
    }).toEqual({ added: [], updated: [], removed: [], failed: [] });
    expect(await documentsBySource(restarted)).toEqual(before);
    const matches = await restarted.knowledgeBase.search('gift card balance', { locale: 'en' });
    expect(matches[0]?.id).toBe('gift_card_balance');
  });
});
