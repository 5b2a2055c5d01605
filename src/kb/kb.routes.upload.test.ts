/**
 * `POST /v1/kb/documents` over HTTP: real files of every supported kind are ingested and
 * found by search; bad files are refused with 413, 415 or 422 and the reason, in the error shape.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestService, testApiKeysEnv, type TestService } from '../testing/service.js';

const fixtures = join(import.meta.dirname, 'loaders/__fixtures__');
const MAX_UPLOAD_BYTES = 100_000;

let service: TestService;
beforeAll(async () => {
  service = await startTestService({
    ...testApiKeysEnv,
    MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
  });
});
afterAll(async () => service?.close());

function upload(name: string, bytes: Uint8Array | string, type = 'application/octet-stream') {
  const form = new FormData();
  form.append(
    'file',
    new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type }),
  );
  return service.app.request('/v1/kb/documents', {
    method: 'POST',
    headers: bearer('admin'),
    body: form,
  });
}

async function search(q: string, locale: 'zh' | 'en') {
  const response = await service.app.request(
    `/v1/kb/search?${new URLSearchParams({ q, locale, limit: '10' })}`,
    { headers: bearer('admin') },
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { matches: { id: string; evidence: string }[] }).matches;
}

async function expectError(response: Response, status: number, code: string) {
  const body = (await response.json()) as {
    error: { code: string; message: string; requestId: string };
  };
  expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
  expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  return body.error.message;
}

const giftWrapFaq = `---
id: gift_wrapping
locale: en
title: Can you gift-wrap my order?
category: product_question
autoReply: true
questions:
  - Do you offer gift wrapping?
  - Can the parcel come gift-wrapped with a card?
  - How much is gift wrap?
  - Can I add a greeting card to my order?
  - Is gift packaging available for birthdays?
---
Gift wrapping in recycled kraft paper with a handwritten greeting card costs 5 yuan per order; choose it at checkout.
`;

const lanternCsv = [
  'id,locale,title,category,autoReply,questions,answer',
  'lantern_festival,zh,元宵节发货安排,logistics,true,元宵节发货吗|元宵节期间快递停吗|元宵节能收到货吗|灯笼节放假发货吗|元宵节物流会延迟吗,"元宵节当天仓库照常发货，偏远地区顺延一天。"',
  'lantern_festival,en,Shipping over the Lantern Festival,logistics,true,Do you ship on the Lantern Festival?|Is delivery paused for the Lantern Festival?|Will my order arrive during the Lantern Festival?|Lantern Festival shipping schedule?|Are there Lantern Festival delays?,"Our warehouse ships as usual on the Lantern Festival; remote areas take one extra day."',
].join('\n');

describe('POST /v1/kb/documents ingests real documents that search then finds', () => {
  it('a Markdown FAQ entry', async () => {
    const response = await upload('gift_wrapping.en.md', giftWrapFaq, 'text/markdown');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      sourcePath: 'uploads/gift_wrapping.en.md',
      documents: 1,
    });
    const matches = await search('can you gift wrap it with a greeting card', 'en');
    expect(matches[0]?.id).toBe('gift_wrapping');
  });

  it('a Chinese PDF (text layer in a CID font)', async () => {
    const response = await upload(
      'custom-goods-returns.pdf',
      await readFile(join(fixtures, 'policies/return-policy.zh.pdf')),
      'application/pdf',
    );
    expect(response.status).toBe(201);
    const matches = await search('定制商品和已拆封的贴身衣物能退吗', 'zh');
    expect(matches.find((match) => match.id === 'custom-goods-returns')?.evidence).toMatch(
      /定制商品|贴身衣物/,
    );
  });

  it('a DOCX policy', async () => {
    const response = await upload(
      'device-warranty.docx',
      await readFile(join(fixtures, 'policies/warranty-policy.docx')),
    );
    expect(response.status).toBe(201);
    const matches = await search('will you quote the repair cost before any work starts', 'en');
    expect(matches.map((match) => match.id)).toContain('device-warranty');
  });

  it('an HTML page (navigation and scripts dropped)', async () => {
    const response = await upload(
      'invoice-help-center.html',
      await readFile(join(fixtures, 'policies/invoice-help.html')),
      'text/html',
    );
    expect(response.status).toBe(201);
    const matches = await search('增值税专用发票要几个工作日', 'zh');
    const hit = matches.find((match) => match.id === 'invoice-help-center');
    expect(hit).toBeDefined();
    expect(hit!.evidence).not.toContain('not text');
  });

  it('a CSV FAQ table (one entry per row, both languages)', async () => {
    const response = await upload('lantern.csv', lanternCsv, 'text/csv');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      sourcePath: 'uploads/lantern.csv',
      documents: 2,
    });
    expect((await search('元宵节还发货吗', 'zh'))[0]?.id).toBe('lantern_festival');
    expect((await search('do you ship during the lantern festival', 'en'))[0]?.id).toBe(
      'lantern_festival',
    );
  });

  it('lists uploads with their source, and a re-upload of the same name replaces the document', async () => {
    const again = await upload(
      'gift_wrapping.en.md',
      giftWrapFaq.replace('5 yuan', '8 yuan'),
      'text/markdown',
    );
    expect(again.status).toBe(201);
    const response = await service.app.request('/v1/kb/documents', { headers: bearer('admin') });
    const { documents } = (await response.json()) as {
      documents: { source: string; sourcePath: string }[];
    };
    const uploads = documents
      .filter((document) => document.source === 'upload')
      .map((document) => document.sourcePath);
    expect(uploads.sort()).toEqual(
      [
        'uploads/custom-goods-returns.pdf',
        'uploads/device-warranty.docx',
        'uploads/gift_wrapping.en.md',
        'uploads/invoice-help-center.html',
        'uploads/lantern.csv',
        'uploads/lantern.csv',
      ].sort(),
    );
    expect(
      documents.filter((document) => document.source === 'knowledge-base').length,
    ).toBeGreaterThan(50);
    const matches = await search('how much is gift wrap', 'en');
    expect(matches[0]?.evidence).not.toContain('5 yuan');
  });
});

describe('POST /v1/kb/documents refuses bad files with the reason', () => {
  it('a corrupt PDF -> 422 invalid_document', async () => {
    const message = await expectError(
      await upload('broken.pdf', await readFile(join(fixtures, 'corrupt.pdf')), 'application/pdf'),
      422,
      'invalid_document',
    );
    expect(message).toMatch(/broken\.pdf/);
  });

  it('an .exe -> 415, naming the types that can be loaded', async () => {
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);
    const message = await expectError(
      await upload('setup.exe', exe),
      415,
      'unsupported_media_type',
    );
    expect(message).toMatch(/\.exe/);
    expect(message).toMatch(/Supported: .*\.pdf/);
  });

  it('a file without a known extension -> 415', async () => {
    await expectError(await upload('notes', 'just some words'), 415, 'unsupported_media_type');
  });

  it('an empty file -> 422 saying it is empty', async () => {
    const message = await expectError(await upload('empty.md', ''), 422, 'invalid_document');
    expect(message).toMatch(/empty/);
  });

  it('an FAQ with invalid front matter -> 422 naming the field', async () => {
    const faq = giftWrapFaq
      .replace('id: gift_wrapping', 'id: bad')
      .replace('category: product_question', 'category: made_up');
    const message = await expectError(await upload('bad.en.md', faq), 422, 'invalid_document');
    expect(message).toMatch(/category/);
  });

  it('a file over MAX_UPLOAD_BYTES -> 413', async () => {
    const message = await expectError(
      await upload('huge.txt', 'a'.repeat(MAX_UPLOAD_BYTES + 1000)),
      413,
      'payload_too_large',
    );
    expect(message).toMatch(String(MAX_UPLOAD_BYTES));
  });

  it('a body that is not multipart -> 415; a form without a file -> 400', async () => {
    const json = await service.app.request('/v1/kb/documents', {
      method: 'POST',
      headers: { ...bearer('admin'), 'content-type': 'application/json' },
      body: JSON.stringify({ file: 'x' }),
    });
    await expectError(json, 415, 'unsupported_media_type');
    const form = new FormData();
    form.append('document', 'no file here');
    const noFile = await service.app.request('/v1/kb/documents', {
      method: 'POST',
      headers: bearer('admin'),
      body: form,
    });
    await expectError(noFile, 400, 'validation_failed');
    // A multipart body cut short is a bad form, not bad JSON.
    const broken = await service.app.request('/v1/kb/documents', {
      method: 'POST',
      headers: { ...bearer('admin'), 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.md"\r\n\r\nhalf a fi',
    });
    expect(await expectError(broken, 400, 'validation_failed')).toMatch(/multipart/);
  });

  it('nothing of the refused files reached the knowledge base', async () => {
    const response = await service.app.request('/v1/kb/documents', { headers: bearer('admin') });
    const { documents } = (await response.json()) as { documents: { sourcePath: string }[] };
    const paths = documents.map((document) => document.sourcePath);
    for (const name of ['broken.pdf', 'setup.exe', 'notes', 'empty.md', 'bad.en.md', 'huge.txt'])
      expect(paths).not.toContain(`uploads/${name}`);
  });
});
