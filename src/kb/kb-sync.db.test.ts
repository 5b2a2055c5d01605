/**
 * Two instances on one database: a document uploaded through one reaches the other's
 * in-memory indexes and models once its version check runs, and so does a delete.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { localEmbedderSource } from '../models/embedder-source.js';
import { silentLogger } from '../testing/logger.js';
import { startTestService, type TestService } from '../testing/service.js';
import { selfCalibratingScorer } from './calibration.js';
import { createKnowledgeBaseSync } from './kb-sync.js';
import { createKnowledgeBase, type KnowledgeBase } from './kb.service.js';

let service: TestService;
let other: KnowledgeBase;
beforeAll(async () => {
  service = await startTestService();
  // A second instance's knowledge base: its own memory, the same database.
  other = createKnowledgeBase({
    db: service.database.db,
    embedders: localEmbedderSource(),
    scorer: selfCalibratingScorer({ db: service.database.db }),
    logger: silentLogger(),
    categories: service.taxonomy.categories.map((category) => category.key),
  });
  await other.ready();
}, 180_000);
afterAll(async () => service?.close());

const question = 'Can I pay for my order with seashells from the lagoon?';
const faq = `---
id: seashell_payment
locale: en
title: Paying with seashells
category: payment_promo
autoReply: false
questions:
  - ${question}
  - Do you take lagoon seashells as payment?
  - Is a bag of seashells accepted instead of money?
  - Will the checkout let me settle the bill in seashells?
  - My lagoon seashell collection, can it pay for the parcel?
---
We do not accept seashells; pay by card or bank transfer.
`;

/** What the other instance's in-memory lexical index knows of the new entry. */
async function lexicalScore(): Promise<number> {
  const candidates = await other.candidates(question, { locale: 'en' });
  const entry = candidates.find((candidate) => candidate.entryId === 'seashell_payment');
  return entry?.lexicalQuestion ?? 0;
}

it('brings another instance up to date after an upload and a delete', async () => {
  const sync = createKnowledgeBaseSync({
    db: service.database.db,
    logger: silentLogger(),
    refresh: () => other.refresh(),
  });
  await sync.acknowledge();
  expect(await lexicalScore()).toBe(0);

  const upload = await service.knowledgeBase.ingestUpload(
    'seashells.md',
    new TextEncoder().encode(faq),
  );
  expect(upload.documents).toBe(1);
  // Not reloaded yet: the other instance's index has not heard of it.
  expect(await lexicalScore()).toBe(0);
  expect(await sync.check()).toBe(true);
  expect(await lexicalScore()).toBeGreaterThan(0.5);
  // Nothing changed since: no reload.
  expect(await sync.check()).toBe(false);

  const [document] = (await service.knowledgeBase.listDocuments()).filter(
    (row) => row.entry_id === 'seashell_payment',
  );
  expect(await service.knowledgeBase.deleteDocument(document!.id)).toBe(true);
  expect(await sync.check()).toBe(true);
  expect(await lexicalScore()).toBe(0);
});
