import { fileURLToPath } from 'node:url';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { describe, expect, it } from 'vitest';
import { chunkDocument, type Chunk } from './chunker.js';
import type { FaqDocument, PolicyDocument } from './document.js';
import { loadKnowledgeFile } from './loaders/index.js';

const fixtures = fileURLToPath(new URL('./loaders/__fixtures__/', import.meta.url));
const hash = 'a'.repeat(64);
const policy = (text: string, locale: 'zh' | 'en' = 'zh'): PolicyDocument => ({
  kind: 'policy',
  entryId: 'returns',
  locale,
  title: 'Returns',
  text,
  sourcePath: 'policies/returns.md',
  contentHash: hash,
});

/** 24 distinct Chinese sentences with every sentence end, ~30 characters each. */
const chineseSentences = Array.from({ length: 24 }, (_, index) => {
  const end = ['。', '！', '？', '；'][index % 4];
  return `第${index + 1}条：签收后七天内商品完好可以申请无理由退货退款${end}`;
});
const SENTENCE_END = /[。！？；]$/;

describe('chunkDocument: FAQ entries', () => {
  it('makes a question chunk for the title and each paraphrase, then the answer', async () => {
    const [entry] = (await loadKnowledgeFile(
      `${fixtures}faq/delayed_parcel.zh.md`,
    )) as FaqDocument[];
    const chunks = await chunkDocument(entry!);
    expect(chunks.map((chunk) => chunk.kind)).toEqual([...Array(6).fill('question'), 'answer']);
    expect(chunks[0]!.text).toBe('快递延误怎么办');
    expect(chunks.slice(1, 6).map((chunk) => chunk.text)).toEqual(entry!.questions);
    expect(chunks[6]!.text).toBe(entry!.answer);
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const chunk of chunks)
      expect(chunk).toMatchObject({ entryId: 'delayed_parcel', locale: 'zh' });
  });

  it('drops a paraphrase that repeats the title, and splits a long answer', async () => {
    const entry: FaqDocument = {
      kind: 'faq',
      entryId: 'returns',
      locale: 'zh',
      title: '怎么退货',
      category: 'return_exchange',
      autoReply: true,
      questions: ['怎么退货', ' 怎么  退货 ', '退货流程是什么', '可以退吗', '想退掉', '退货要钱吗'],
      answer: chineseSentences.join(''),
      sourcePath: 'faq/returns.zh.md',
      contentHash: hash,
    };
    const chunks = await chunkDocument(entry, { chunkSize: 200, overlap: 40 });
    const questions = chunks
      .filter((chunk) => chunk.kind === 'question')
      .map((chunk) => chunk.text);
    expect(questions).toEqual([
      '怎么退货',
      '怎么 退货',
      '退货流程是什么',
      '可以退吗',
      '想退掉',
      '退货要钱吗',
    ]);
    const answers = chunks.filter((chunk) => chunk.kind === 'answer');
    expect(answers.length).toBeGreaterThan(3);
    for (const answer of answers) expect(answer.text).toMatch(SENTENCE_END);
  });
});

describe('chunkDocument: Chinese policies', () => {
  const text = chineseSentences.join('');

  it('cuts after sentence ends, keeping 。！？； at the end of the chunk (the stock splitter does not)', async () => {
    const stock = await new RecursiveCharacterTextSplitter({
      chunkSize: 200,
      chunkOverlap: 40,
      separators: ['\n\n', '\n', '。', '！', '？', '；', ''],
    }).splitText(text);
    expect(stock.slice(1).some((chunk) => /^[。！？；]/.test(chunk))).toBe(true); // why the subclass exists

    const chunks = await chunkDocument(policy(text), { chunkSize: 200, overlap: 40 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.kind).toBe('passage');
      expect(chunk.text.length).toBeLessThanOrEqual(200);
      expect(chunk.text).not.toMatch(/^[。！？；]/);
      expect(chunk.text).toMatch(SENTENCE_END);
    }
  });

  it('covers every sentence, whole, with a small overlap between neighbours', async () => {
    const chunks = await chunkDocument(policy(text), { chunkSize: 200, overlap: 40 });
    for (const sentence of chineseSentences) {
      expect(chunks.some((chunk) => chunk.text.includes(sentence))).toBe(true);
    }
    for (let index = 1; index < chunks.length; index++) {
      const lastSentence = chunks[index - 1]!.text.match(/[^。！？；]+[。！？；]$/)![0];
      expect(chunks[index]!.text.startsWith(lastSentence)).toBe(true);
    }
  });

  it('keeps closing quotes with the sentence they end', async () => {
    const quoted = Array.from(
      { length: 12 },
      (_, index) => `客服说：“第${index + 1}次申请会在两天内处理完毕。”`,
    ).join('');
    const chunks = await chunkDocument(policy(quoted), { chunkSize: 60, overlap: 0 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.text).toMatch(/^客服说：“.*。”$/);
  });

  it('uses the default size of about 500 characters', async () => {
    const long = Array.from({ length: 60 }, () => chineseSentences)
      .flat()
      .join('');
    const chunks = await chunkDocument(policy(long));
    expect(Math.max(...chunks.map((chunk) => chunk.text.length))).toBeLessThanOrEqual(500);
    expect(Math.max(...chunks.map((chunk) => chunk.text.length))).toBeGreaterThan(400);
  });
});

describe('chunkDocument: English policies', () => {
  it('cuts on paragraphs first, then after sentence ends', async () => {
    const paragraph = (topic: string) =>
      `${topic} requests are answered within one working day. Keep your order number ready. We never ask for your password!`;
    const text = ['Refund', 'Return', 'Exchange', 'Repair'].map(paragraph).join('\n\n');
    const chunks = await chunkDocument(policy(text, 'en'), { chunkSize: 130, overlap: 0 });
    expect(chunks.map((chunk) => chunk.text)).toEqual(
      ['Refund', 'Return', 'Exchange', 'Repair'].map(paragraph),
    );

    const sentences = await chunkDocument(policy(text, 'en'), { chunkSize: 80, overlap: 0 });
    for (const chunk of sentences) {
      expect(chunk.text).toMatch(/[.!]$/);
      expect(chunk.text).not.toMatch(/^[.!]/);
    }
  });

  it('chunks the DOCX and PDF fixtures into non-empty passages', async () => {
    for (const file of ['policies/warranty-policy.docx', 'policies/return-policy.zh.pdf']) {
      const [document] = await loadKnowledgeFile(`${fixtures}${file}`);
      const chunks = await chunkDocument(document!, { chunkSize: 40, overlap: 10 });
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.every((chunk) => chunk.text.trim() === chunk.text && chunk.text !== '')).toBe(
        true,
      );
    }
  });
});

describe('chunkDocument: edge cases', () => {
  it('never returns empty chunks and never halves an emoji', async () => {
    const text = `\n\n   \n${'👍'.repeat(30)}\n\n\n   \n\n${'好'.repeat(5)}\n \n`;
    const chunks: Chunk[] = await chunkDocument(policy(text), { chunkSize: 10, overlap: 0 });
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      ...Array(6).fill('👍'.repeat(5)),
      '好'.repeat(5),
    ]);
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('rejects an overlap that is not smaller than the chunk size', async () => {
    await expect(chunkDocument(policy('text'), { chunkSize: 50, overlap: 50 })).rejects.toThrow(
      RangeError,
    );
    await expect(chunkDocument(policy('text'), { chunkSize: 0 })).rejects.toThrow(/chunkSize/);
  });
});
