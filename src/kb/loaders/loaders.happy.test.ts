import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadedDocumentSchema, type FaqDocument, type PolicyDocument } from '../document.js';
import { listKnowledgeFiles, loadKnowledgeBytes, loadKnowledgeFile } from './index.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const fixture = (name: string) => join(fixtures, name);
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

async function loadOne<T extends 'faq' | 'policy'>(name: string, kind: T) {
  const documents = await loadKnowledgeFile(fixture(name), { rootDir: fixtures });
  expect(documents).toHaveLength(1);
  const document = loadedDocumentSchema.parse(documents[0]);
  expect(document.kind).toBe(kind);
  return document as T extends 'faq' ? FaqDocument : PolicyDocument;
}

describe('FAQ Markdown', () => {
  it('loads every front-matter field, the answer, a relative sourcePath and the file hash', async () => {
    const entry = await loadOne('faq/delayed_parcel.zh.md', 'faq');
    expect(entry).toMatchObject({
      entryId: 'delayed_parcel',
      locale: 'zh',
      title: '快递延误怎么办',
      category: 'logistics',
      autoReply: true,
      tags: ['延误', '物流'],
      sourcePath: 'faq/delayed_parcel.zh.md',
      contentHash: await sha256(fixture('faq/delayed_parcel.zh.md')),
    });
    expect(entry.questions).toHaveLength(5);
    expect(entry.questions[0]).toBe('快递好几天了还没到');
    expect(entry.answer.startsWith('您好，给您带来不便非常抱歉。')).toBe(true);
    expect(entry.answer).toContain('**72 小时**'); // Markdown is kept: agents send it as written
    expect(entry.answer).not.toContain('---');
  });

  it('gives both language files of an entry the same entryId', async () => {
    const english = await loadOne('faq/delayed_parcel.en.md', 'faq');
    expect(english).toMatchObject({
      entryId: 'delayed_parcel',
      locale: 'en',
      title: 'My parcel is late',
    });
    expect(english.tags).toBeUndefined();
  });

  it('keeps the path as given when there is no rootDir', async () => {
    const [entry] = await loadKnowledgeFile(fixture('faq/delayed_parcel.en.md'));
    expect(entry!.sourcePath).toBe(fixture('faq/delayed_parcel.en.md'));
  });

  it('recognises an FAQ by its fields outside a faq/ folder, and reads CRLF files', async () => {
    const text = (await readFile(fixture('faq/delayed_parcel.en.md'), 'utf8')).replace(
      /\n/g,
      '\r\n',
    );
    const [entry] = await loadKnowledgeBytes('upload.md', new TextEncoder().encode(text));
    expect(entry).toMatchObject({
      kind: 'faq',
      entryId: 'delayed_parcel',
      sourcePath: 'upload.md',
    });
    expect((entry as FaqDocument).answer).not.toContain('\r');
  });
});

describe('policy documents', () => {
  it('Markdown: id and title from front matter, foreign keys ignored, locale from the file name', async () => {
    const policy = await loadOne('policies/returns.zh.md', 'policy');
    expect(policy).toMatchObject({ entryId: 'return_policy', title: '退换货政策', locale: 'zh' });
    expect(policy.text).toContain('签收后 7 天内');
    expect(policy.text).not.toContain('layout');
  });

  it('Markdown without front matter: id from the file name, title from the heading, locale detected', async () => {
    const markdown =
      '# Price protection\n\nIf the price drops within 7 days of purchase, we refund the difference.';
    const [policy] = await loadKnowledgeBytes(
      'policies/Price Protection.md',
      new TextEncoder().encode(markdown),
    );
    expect(policy).toMatchObject({
      kind: 'policy',
      entryId: 'price_protection',
      title: 'Price protection',
      locale: 'en',
      sourcePath: 'policies/Price Protection.md',
    });
  });

  it('plain text: the first short line is the title', async () => {
    const policy = await loadOne('policies/shipping.en.txt', 'policy');
    expect(policy).toMatchObject({ entryId: 'shipping', locale: 'en', title: 'Shipping policy' });
    expect(policy.text).toContain('flat fee of 8 yuan');
  });

  it('plain text in Chinese without a locale in the name is detected as zh; a Chinese file name is kept as id', async () => {
    const text = '价格保护说明\n\n购买后 7 天内降价，可申请退还差价。请提供订单号 order number。';
    const [policy] = await loadKnowledgeBytes('价格保护.txt', new TextEncoder().encode(text));
    expect(policy).toMatchObject({ entryId: '价格保护', locale: 'zh', title: '价格保护说明' });
  });

  it('HTML: <title>, lang, visible text only, entities decoded, lists and tables readable', async () => {
    const policy = await loadOne('policies/invoice-help.html', 'policy');
    expect(policy).toMatchObject({
      entryId: 'invoice-help',
      locale: 'zh',
      title: '发票开具说明 & 常见问题',
    });
    expect(policy.text).toContain('纸质发票需另付 10 元邮费，随商品一起寄出。');
    expect(policy.text).toContain('- 个人抬头：填写姓名即可\n- 企业抬头：需填写税号');
    expect(policy.text).toContain('电子普通发票 | 3 个工作日');
    for (const hidden of [
      'font-family',
      'window.track',
      'hidden',
      '内部备注',
      '帮助中心',
      '<',
      '&nbsp;',
    ]) {
      expect(policy.text).not.toContain(hidden);
    }
  });

  it('HTML in GBK is decoded as its <meta charset> says', async () => {
    const ascii = (text: string) => Buffer.from(text, 'latin1');
    const bytes = Buffer.concat([
      ascii('<html><head><meta charset="gbk"><title>'),
      Buffer.from([0xcd, 0xcb, 0xbf, 0xee]), // 退款 in GBK
      ascii('</title></head><body><p>'),
      Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), // 你好
      ascii('</p></body></html>'),
    ]);
    const [policy] = await loadKnowledgeBytes('legacy.html', bytes);
    expect(policy).toMatchObject({ title: '退款', locale: 'zh' });
    expect((policy as PolicyDocument).text).toBe('你好');
  });

  it('PDF (through PDFLoader + pdf-parse 2): text of every page, title and locale from the PDF', async () => {
    const policy = await loadOne('policies/return-policy.zh.pdf', 'policy');
    expect(policy).toMatchObject({
      entryId: 'return-policy',
      locale: 'zh',
      title: '退货政策',
      contentHash: await sha256(fixture('policies/return-policy.zh.pdf')),
    });
    expect(policy.text).toContain('签收后七天内可无理由退货，商品需保持完好。');
    expect(policy.text).toContain('定制商品和已拆封的贴身衣物不支持无理由退货。'); // page 2
  });

  it('DOCX (through DocxLoader + mammoth): paragraphs, title from the heading, locale detected', async () => {
    const policy = await loadOne('policies/warranty-policy.docx', 'policy');
    expect(policy).toMatchObject({
      entryId: 'warranty-policy',
      locale: 'en',
      title: 'Warranty policy',
    });
    expect(policy.text).toMatch(/^Warranty policy\n\nEvery device comes with a one-year warranty/);
    expect(policy.text).toContain('quote the repair cost before any work starts.');
  });
});

describe('FAQ tables', () => {
  it('CSV: one entry per row, | separated lists, quoted cells with commas, quotes and line breaks', async () => {
    const documents = await loadKnowledgeFile(fixture('faq-table.csv'), { rootDir: fixtures });
    expect(documents).toHaveLength(2); // the trailing ",,,,,,," row is skipped
    const [zh, en] = documents as FaqDocument[];
    const hash = await sha256(fixture('faq-table.csv'));
    expect(zh).toMatchObject({
      entryId: 'refund_timeline',
      locale: 'zh',
      category: 'refund',
      autoReply: true,
      tags: ['退款', '到账'],
      sourcePath: 'faq-table.csv',
      contentHash: hash,
    });
    expect(zh!.questions).toEqual([
      '退款什么时候到账',
      '退款几天能到',
      '钱什么时候退回来',
      '退款怎么还没到',
      '申请退款后多久到账',
    ]);
    expect(zh!.answer).toBe(
      '退款审核通过后原路退回：\n微信、支付宝 1-3 个工作日，银行卡 3-7 个工作日。',
    );
    expect(en).toMatchObject({ locale: 'en', autoReply: true, contentHash: hash });
    expect(en!.tags).toBeUndefined();
    expect(en!.answer).toContain('1-3 working days for WeChat Pay and Alipay, 3-7 for bank cards');
    expect(en!.answer).toContain('"usually"');
  });

  it('CSV from Excel: UTF-8 BOM, CRLF, FALSE, header names in any case and order', async () => {
    const questions = 'q1|q2|q3|q4|q5';
    const csv = `\ufeffANSWER,Id,Locale,Title,Category,AutoReply,Questions\r\n"Text, with comma",size_guide,en,Size guide,product_question,FALSE,${questions}\r\n`;
    const [entry] = (await loadKnowledgeBytes(
      'sizes.csv',
      new TextEncoder().encode(csv),
    )) as FaqDocument[];
    expect(entry).toMatchObject({
      entryId: 'size_guide',
      autoReply: false,
      answer: 'Text, with comma',
    });
    expect(entry!.questions).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
  });

  it('JSONL: one entry per line, blank lines skipped', async () => {
    const documents = (await loadKnowledgeFile(fixture('faq-table.jsonl'), {
      rootDir: fixtures,
    })) as FaqDocument[];
    expect(documents.map((entry) => [entry.entryId, entry.locale])).toEqual([
      ['invoice_request', 'zh'],
      ['invoice_request', 'en'],
    ]);
    expect(documents[1]!.tags).toEqual(['invoice']);
    expect(documents[0]!.questions).toHaveLength(5);
  });
});

describe('loadKnowledgeBytes', () => {
  it('gives the same documents as loading the file, with the upload name as sourcePath', async () => {
    const bytes = await readFile(fixture('policies/warranty-policy.docx'));
    const fromBytes = await loadKnowledgeBytes('warranty-policy.docx', bytes);
    const fromFile = await loadKnowledgeFile(fixture('policies/warranty-policy.docx'), {
      rootDir: join(fixtures, 'policies'),
    });
    expect(fromBytes).toEqual(fromFile);
  });

  it('treats the name as a label: no absolute paths or .. in sourcePath', async () => {
    const bytes = new TextEncoder().encode('Store hours: 9:00-21:00 every day.');
    for (const name of ['../../etc/hours.txt', '/etc/hours.txt', 'C:\\etc\\hours.txt']) {
      const [policy] = await loadKnowledgeBytes(name, bytes);
      expect(policy!.sourcePath).toBe('etc/hours.txt');
      expect(policy!.entryId).toBe('hours');
    }
  });

  it('reads UTF-16 text that starts with a byte-order mark (Windows Notepad "Unicode")', async () => {
    const text = '\ufeff营业时间：每天 9:00-21:00。';
    const bytes = new Uint8Array(text.length * 2);
    for (let index = 0; index < text.length; index++) {
      bytes[index * 2] = text.charCodeAt(index) & 0xff;
      bytes[index * 2 + 1] = text.charCodeAt(index) >> 8;
    }
    const [policy] = await loadKnowledgeBytes('hours.txt', bytes);
    expect(policy).toMatchObject({ locale: 'zh', text: '营业时间：每天 9:00-21:00。' });
  });
});

describe('listKnowledgeFiles', () => {
  const made: string[] = [];
  afterAll(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  it('lists supported files recursively in a stable order, without READMEs, YAML, lock and hidden files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kb-list-'));
    made.push(dir);
    const files = [
      'README.md',
      'taxonomy.yaml',
      'sentiment.yml',
      '.DS_Store',
      '.draft.md',
      'policies/~$warranty.docx',
      'policies/old.doc',
      'policies/warranty.docx',
      'policies/Returns.PDF',
      'policies/readme.md',
      'faq/b.zh.md',
      'faq/a.en.md',
      'faq/nested/c.zh.md',
      'table.csv',
      'table.jsonl',
      'page.htm',
      'notes.txt',
    ];
    for (const file of files) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), 'x');
    }
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, '.git', 'config.md'), 'x');
    expect(await listKnowledgeFiles(dir)).toEqual(
      [
        'faq/a.en.md',
        'faq/b.zh.md',
        'faq/nested/c.zh.md',
        'notes.txt',
        'page.htm',
        'policies/Returns.PDF',
        'policies/warranty.docx',
        'table.csv',
        'table.jsonl',
      ].map((file) => join(dir, file)),
    );
  });
});
