import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentError, type DocumentErrorCode } from '../document.js';
import { listKnowledgeFiles, loadKnowledgeBytes, loadKnowledgeFile } from './index.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const fixture = (name: string) => join(fixtures, name);
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Runs a load and returns its DocumentError; fails the test if it loads or throws anything else. */
async function failure(load: Promise<unknown>): Promise<DocumentError> {
  const error = await load.then(
    () => new Error('expected a DocumentError, but the file loaded'),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DocumentError)) throw error;
  return error;
}

async function expectError(
  load: Promise<unknown>,
  code: DocumentErrorCode,
  ...fragments: (string | RegExp)[]
) {
  const error = await failure(load);
  expect(error.code).toBe(code);
  expect(error.message.startsWith(`${error.path}: `)).toBe(true);
  for (const fragment of fragments) expect(error.message).toMatch(fragment);
  return error;
}

const faqFrontMatter = (fields: string) => `---
${fields}
---
The answer.
`;
const validFields = `id: size_guide
locale: en
title: Size guide
category: product_question
autoReply: true
questions: [What size am I?, Does it run small?, Size chart?, Which size fits me?, How do sizes compare?]`;

describe('unsupported_type', () => {
  it('names the extension, a conversion for common formats, and the supported list', async () => {
    await expectError(
      loadKnowledgeBytes('policy.doc', utf8('x')),
      'unsupported_type',
      'is a .doc file',
      'save it as .docx',
      '.md, ',
    );
    await expectError(loadKnowledgeBytes('faq.xlsx', utf8('x')), 'unsupported_type', 'CSV UTF-8');
    await expectError(
      loadKnowledgeBytes('tool.exe', utf8('x')),
      'unsupported_type',
      'Supported: .md',
    );
    await expectError(
      loadKnowledgeBytes('Makefile', utf8('x')),
      'unsupported_type',
      'has no file extension',
    );
  });

  it('is decided before the file is opened', async () => {
    await expectError(loadKnowledgeFile(join(fixtures, 'missing.xlsx')), 'unsupported_type');
  });
});

describe('unreadable', () => {
  it('reports a missing file and a folder', async () => {
    await expectError(
      loadKnowledgeFile(fixture('nope.md'), { rootDir: fixtures }),
      'unreadable',
      'nope.md: cannot be read: no such file',
    );
    const dir = await mkdtemp(join(tmpdir(), 'kb-unreadable-'));
    await mkdir(join(dir, 'notes.md'));
    await expectError(
      loadKnowledgeFile(join(dir, 'notes.md'), { rootDir: dir }),
      'unreadable',
      'notes.md: cannot be read: is a folder',
    );
    await rm(dir, { recursive: true, force: true });
  });
});

describe('empty', () => {
  it('0-byte and whitespace-only files', async () => {
    await expectError(
      loadKnowledgeFile(fixture('empty.txt'), { rootDir: fixtures }),
      'empty',
      'empty.txt: is empty (0 bytes)',
    );
    await expectError(
      loadKnowledgeFile(fixture('whitespace.md'), { rootDir: fixtures }),
      'empty',
      'only whitespace',
    );
    await expectError(loadKnowledgeBytes('blank.csv', utf8('\n\n  \n')), 'empty');
    await expectError(loadKnowledgeBytes('blank.pdf', new Uint8Array()), 'empty');
  });

  it('an FAQ without an answer and a policy that is only front matter', async () => {
    await expectError(
      loadKnowledgeBytes('faq/size_guide.en.md', utf8(`---\n${validFields}\n---\n\n  \n`)),
      'empty',
      'empty answer',
      'below the closing ---',
    );
    await expectError(
      loadKnowledgeBytes('policies/x.md', utf8('---\ntitle: Returns\n---\n')),
      'empty',
      'add the policy text',
    );
    await expectError(
      loadKnowledgeBytes('page.html', utf8('<html><script>var a = 1;</script></html>')),
      'empty',
    );
  });

  it('a PDF without a text layer and a DOCX without text', async () => {
    await expectError(
      loadKnowledgeFile(fixture('scanned-no-text.pdf')),
      'empty',
      'no text layer',
      'OCR',
    );
    await expectError(loadKnowledgeFile(fixture('no-text.docx')), 'empty', 'contains no text');
  });

  it('a CSV with a header and no rows', async () => {
    await expectError(
      loadKnowledgeBytes('faq.csv', utf8('id,locale,title,category,autoReply,questions,answer\n')),
      'empty',
      'no rows',
    );
  });
});

describe('too_large', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kb-large-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function sparseFile(name: string, size: number): Promise<string> {
    const path = join(dir, name);
    const handle = await open(path, 'w');
    await handle.truncate(size); // sparse: takes no disk space
    await handle.close();
    return path;
  }

  it('refuses a 50 MB file under the default 20 MB limit', async () => {
    const path = await sparseFile('manual.pdf', 50 * 1024 * 1024);
    await expectError(
      loadKnowledgeFile(path, { rootDir: dir }),
      'too_large',
      'manual.pdf: is 50 MB, over the 20 MB limit',
      'split it',
    );
  });

  it('checks the size before reading: a 3 GiB file would fail differently if it were read', async () => {
    const path = await sparseFile('huge.txt', 3 * 1024 * 1024 * 1024);
    await expectError(loadKnowledgeFile(path), 'too_large', 'is 3072 MB');
  });

  it('honours maxBytes for files and uploads', async () => {
    const path = await sparseFile('small.txt', 2048);
    await expectError(loadKnowledgeFile(path, { maxBytes: 1024 }), 'too_large');
    await expectError(
      loadKnowledgeBytes('a.txt', new Uint8Array(2048).fill(65), { maxBytes: 1024 }),
      'too_large',
    );
    await expect(
      loadKnowledgeBytes('a.txt', new Uint8Array(1024).fill(65), { maxBytes: 1024 }),
    ).resolves.toHaveLength(1);
  });
});

describe('invalid_encoding', () => {
  // 退款 in GBK: what Excel and Notepad on Chinese Windows save by default.
  const gbk = Uint8Array.from([0xcd, 0xcb, 0xbf, 0xee]);

  it('refuses text that is not UTF-8 instead of guessing, and says how to save it', async () => {
    await expectError(
      loadKnowledgeBytes('notes.txt', gbk),
      'invalid_encoding',
      'not valid UTF-8',
      'CSV UTF-8',
    );
    const header = utf8('id,locale,title,category,autoReply,questions,answer\n');
    await expectError(
      loadKnowledgeBytes('faq.csv', Uint8Array.from([...header, ...gbk])),
      'invalid_encoding',
    );
  });
});

describe('corrupt and encrypted', () => {
  it('a truncated PDF, and other bytes named .pdf', async () => {
    await expectError(
      loadKnowledgeFile(fixture('corrupt.pdf'), { rootDir: fixtures }),
      'corrupt',
      'corrupt.pdf: is not a readable PDF',
      'export it again',
    );
    await expectError(loadKnowledgeBytes('policy.pdf', utf8('<html>not a pdf</html>')), 'corrupt');
  });

  it('a password-protected PDF', async () => {
    await expectError(
      loadKnowledgeFile(fixture('encrypted.pdf')),
      'encrypted',
      'password-protected',
    );
  });

  it('a truncated DOCX, and other bytes named .docx', async () => {
    const docx = await readFile(fixture('policies/warranty-policy.docx'));
    await expectError(
      loadKnowledgeBytes('warranty.docx', docx.subarray(0, docx.length - 40)),
      'corrupt',
      'not a readable .docx',
      'save it again as .docx',
    );
    await expectError(
      loadKnowledgeBytes('warranty.docx', await readFile(fixture('corrupt.pdf'))),
      'corrupt',
    );
  });
});

describe('invalid_front_matter', () => {
  it('names every bad field and why, with a did-you-mean for a mis-cased key', async () => {
    const error = await expectError(
      loadKnowledgeFile(fixture('faq/broken_entry.zh.md'), { rootDir: fixtures }),
      'invalid_front_matter',
      'faq/broken_entry.zh.md: invalid FAQ front matter',
      'category: must be a taxonomy key',
      'autoReply: is required',
      'questions: needs at least 5 customer-style paraphrases (found 2)',
      'autoreply: unknown field, did you mean autoReply?',
    );
    expect(error.message).not.toMatch(/\?\.$/);
  });

  it('checks types and formats of each field', async () => {
    const cases: [string, string][] = [
      [validFields.replace('id: size_guide', 'id: Size Guide'), 'id: must be lower-case letters'],
      [validFields.replace('locale: en', 'locale: fr'), 'locale: must be zh or en'],
      [
        validFields.replace('autoReply: true', 'autoReply: "yes"'),
        'autoReply: must be true or false',
      ],
      [validFields.replace('title: Size guide', 'title: "  "'), 'title: must be a non-empty title'],
      [
        validFields.replace(/questions: .*/, 'questions: What size am I?'),
        'questions: must be a list',
      ],
      [`${validFields}\ntags: sizes`, 'tags: must be a list of tags'],
      [`${validFields}\nanswer: inline`, 'answer: unknown field (allowed: id, locale'],
    ];
    for (const [fields, message] of cases) {
      await expectError(
        loadKnowledgeBytes('faq/size_guide.en.md', utf8(faqFrontMatter(fields))),
        'invalid_front_matter',
        message,
      );
    }
  });

  it('requires the file name and the front matter to agree on id and locale', async () => {
    await expectError(
      loadKnowledgeBytes('faq/size_guide.zh.md', utf8(faqFrontMatter(validFields))),
      'invalid_front_matter',
      'rename the file to size_guide.en.md',
    );
  });

  it('requires front matter for a file in faq/', async () => {
    await expectError(
      loadKnowledgeBytes('faq/size_guide.en.md', utf8('Just an answer.')),
      'invalid_front_matter',
      'starts with a --- block',
    );
  });

  it('reports YAML syntax errors with the line of the file', async () => {
    const text = '---\nid: size_guide\nlocale: en\ntitle: [unclosed\n---\nAnswer.';
    await expectError(
      loadKnowledgeBytes('faq/size_guide.en.md', utf8(text)),
      'invalid_front_matter',
      'not valid YAML',
      /line \d+/,
    );
  });

  it('reports a front matter block that is never closed, or is not a mapping', async () => {
    await expectError(
      loadKnowledgeBytes('policies/a.md', utf8('---\ntitle: A\n\nText')),
      'invalid_front_matter',
      'no closing --- line',
    );
    await expectError(
      loadKnowledgeBytes('policies/a.md', utf8('---\n- a\n- b\n---\nText')),
      'invalid_front_matter',
      'key: value',
    );
  });

  it('checks the fields a policy may declare', async () => {
    await expectError(
      loadKnowledgeBytes('policies/a.md', utf8('---\nlocale: de\n---\nText')),
      'invalid_front_matter',
      'invalid policy front matter: locale: must be zh or en',
    );
  });

  it('never evaluates JavaScript front matter (gray-matter would eval it)', async () => {
    const marker = globalThis as { kbFrontMatterRan?: boolean };
    for (const fence of ['---js', '---javascript', '--- JavaScript']) {
      const text = `${fence}\n{ id: (globalThis.kbFrontMatterRan = true, 'x') }\n---\nText`;
      await expectError(
        loadKnowledgeBytes('policies/a.md', utf8(text)),
        'invalid_front_matter',
        'only YAML front matter',
      );
    }
    expect(marker.kbFrontMatterRan).toBeUndefined();
  });
});

describe('invalid_row', () => {
  const header = 'id,locale,title,category,autoReply,questions,answer';
  const row = (overrides: Partial<Record<string, string>> = {}) => {
    const cells = {
      id: 'size_guide',
      locale: 'en',
      title: 'Size guide',
      category: 'product_question',
      autoReply: 'true',
      questions: 'a|b|c|d|e',
      answer: 'Answer.',
      ...overrides,
    };
    return header
      .split(',')
      .map((column) => cells[column as keyof typeof cells])
      .join(',');
  };
  const csv = (...lines: string[]) => utf8(lines.join('\n'));

  it('reports every bad CSV row by spreadsheet row number (header = row 1) and loads nothing', async () => {
    const error = await expectError(
      loadKnowledgeBytes(
        'faq.csv',
        csv(
          header,
          row(),
          row({ id: 'b', category: 'Shipping Stuff' }),
          row({ id: 'c', autoReply: 'maybe', questions: 'a|b' }),
        ),
      ),
      'invalid_row',
      '2 invalid rows, nothing loaded',
      'row 3: category: must be a taxonomy key',
      'row 4: autoReply: must be true or false; questions: needs at least 5',
    );
    expect(error.rows.map((problem) => problem.row)).toEqual([3, 4]);
  });

  it('counts a quoted multi-line cell as one row', async () => {
    const error = await expectError(
      loadKnowledgeBytes(
        'faq.csv',
        csv(header, row({ answer: '"line 1\nline 2"' }), row({ id: 'x', title: '' })),
      ),
      'invalid_row',
      'row 3: title: is required',
    );
    expect(error.rows).toEqual([{ row: 3, message: 'title: is required' }]);
  });

  it('reports duplicate id + locale pairs', async () => {
    await expectError(
      loadKnowledgeBytes('faq.csv', csv(header, row(), row())),
      'invalid_row',
      'row 3: repeats id size_guide with locale en from row 2',
    );
  });

  it('reports rows with the wrong number of cells and broken quoting', async () => {
    await expectError(
      loadKnowledgeBytes('faq.csv', csv(header, `${row()},extra`)),
      'invalid_row',
      'row 2: has 8 cells but the header has 7',
      'double quotes',
    );
    await expectError(
      loadKnowledgeBytes('faq.csv', csv(header, row(), row({ answer: '"never closed' }))),
      'invalid_row',
      'row 3: a quoted cell is never closed',
    );
    await expectError(
      loadKnowledgeBytes('faq.csv', csv(header, row({ answer: '"quoted" then text' }))),
      'invalid_row',
      'row 2: text after a closing quote',
      'write a quote as ""',
    );
  });

  it('reports missing, unknown and semicolon-separated header columns as row 1', async () => {
    await expectError(
      loadKnowledgeBytes('faq.csv', csv('id,locale,title,category,questions,answer,note', 'x')),
      'invalid_row',
      'row 1: missing column(s) autoReply; unknown column(s) "note"',
    );
    await expectError(
      loadKnowledgeBytes('faq.csv', csv(header.replace(/,/g, ';'), 'x')),
      'invalid_row',
      'not ; or tabs',
    );
  });

  it('caps the message and keeps every problem in rows', async () => {
    const bad = Array.from({ length: 8 }, (_, index) => row({ id: `e${index}`, locale: 'xx' }));
    const error = await expectError(
      loadKnowledgeBytes('faq.csv', csv(header, ...bad)),
      'invalid_row',
      '8 invalid rows',
      '(and 3 more)',
    );
    expect(error.rows).toHaveLength(8);
  });

  it('reports JSONL problems by line number', async () => {
    const good = JSON.stringify({
      id: 'a',
      locale: 'en',
      title: 'T',
      category: 'refund',
      autoReply: false,
      questions: ['1', '2', '3', '4', '5'],
      answer: 'A.',
    });
    const lines = [
      good,
      '',
      '{"id": "b", ',
      '["not", "an", "object"]',
      good
        .replace('"id":"a"', '"id":"c"')
        .replace(/"questions":\[[^\]]*\]/, '"questions":"1|2|3|4|5"'),
      good.replace('"id":"a"', '"id":"d"').replace(',"answer":"A."', ''),
    ];
    const error = await expectError(
      loadKnowledgeBytes('faq.jsonl', utf8(lines.join('\n'))),
      'invalid_row',
      '4 invalid lines',
      'line 3: is not valid JSON',
      'line 4: must be a JSON object',
      'line 5: questions: must be a list',
      'line 6: answer: is required',
    );
    expect(error.rows.map((problem) => problem.row)).toEqual([3, 4, 5, 6]);
  });
});

describe('a batch', () => {
  it('gives each bad file its own DocumentError and still loads every good file', async () => {
    const files = await listKnowledgeFiles(fixtures);
    const results = await Promise.allSettled(
      files.map((file) => loadKnowledgeFile(file, { rootDir: fixtures })),
    );
    const outcome = Object.fromEntries(
      results.map((result, index) => [
        files[index]!.slice(fixtures.length),
        result.status === 'fulfilled' ? result.value.length : (result.reason as DocumentError).code,
      ]),
    );
    expect(outcome).toEqual({
      'corrupt.pdf': 'corrupt',
      'empty.txt': 'empty',
      'encrypted.pdf': 'encrypted',
      'faq-table.csv': 2,
      'faq-table.jsonl': 2,
      'faq/broken_entry.zh.md': 'invalid_front_matter',
      'faq/delayed_parcel.en.md': 1,
      'faq/delayed_parcel.zh.md': 1,
      'no-text.docx': 'empty',
      'policies/invoice-help.html': 1,
      'policies/return-policy.zh.pdf': 1,
      'policies/returns.zh.md': 1,
      'policies/shipping.en.txt': 1,
      'policies/warranty-policy.docx': 1,
      'scanned-no-text.pdf': 'empty',
      'whitespace.md': 'empty',
    });
  });
});
