import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuite, parseSuite } from '../suite.js';
import { loadSuiteData } from '../suite-data.js';

const example = join(import.meta.dirname, '../../../evals/examples/feedback.yaml');

describe('the agent feedback export as a triage suite', () => {
  it('maps each message to the category agents kept or set, and the entries of drafts they sent', async () => {
    const data = await loadSuiteData(await loadSuite(example), { datasetsDir: '/nowhere' });
    const byId = Object.fromEntries(data.cases.map(({ id, ...rest }) => [id, rest]));
    // accepted: category kept, entries confirmed; the earlier rejection of the same message is superseded
    expect(byId['m-1001']).toEqual({
      text: '亲 我昨天拍的耳机今天能发货吗 着急用',
      locale: 'zh',
      category: 'logistics',
      cites: ['shipping_time'],
    });
    // a light edit (22 characters of a 115-character draft) confirms the entries
    expect(byId['m-1002']).toMatchObject({ category: 'refund', cites: ['refund_timeline'] });
    // rewritten with a corrected category: the correction, nothing about the entries
    expect(byId['m-1003']).toEqual({
      text: expect.stringContaining('[PHONE]'),
      locale: 'zh',
      category: 'quality_issue',
    });
    // rejected with a correction: the correction only
    expect(byId['m-1004']).toEqual({
      text: expect.any(String),
      locale: 'en',
      category: 'payment_promo',
    });
    // rejected, category kept: the category is confirmed, the draft's entries are not
    expect(byId['m-1005']).toEqual({
      text: expect.any(String),
      locale: 'zh',
      category: 'complaint',
    });
    // out of scope: the suite's outOfScopeLabel
    expect(byId['m-1006']).toMatchObject({ category: 'none' });
    expect(byId['m-1006']).not.toHaveProperty('cites');
    // a heavy edit (58 characters of a 15-character draft): not confirmed
    expect(byId['m-1007']).toEqual({ text: expect.any(String), locale: 'zh', category: 'invoice' });
    expect(data.cases).toHaveLength(7);
    expect(data.notes).toEqual([
      'feedback export: 8 records, 7 messages (2 accepted, 3 edited, 2 rejected)',
      '1 earlier decisions on the same message were superseded by the latest',
    ]);
  });

  it('leaves out what asserts nothing, and names the line of a record that does not fit the schema', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'feedback-'));
    const record = {
      ticketId: 't',
      messageId: 'm',
      conversationId: 'c',
      channel: 'webchat',
      language: 'en',
      customerText: 'hello?',
      category: null,
      correctedCategory: null,
      entryIds: [],
      draft: 'Hi!',
      decision: 'accepted',
      sentText: 'Hi!',
      rejectReason: null,
      editDistance: 0,
      agentId: 'a',
      at: '2026-03-01T00:00:00Z',
    };
    const other = { ...record, messageId: 'm2', category: 'feedback' };
    writeFileSync(
      join(directory, 'export.jsonl'),
      `${JSON.stringify(record)}\n${JSON.stringify(other)}\n`,
    );
    const suite = parseSuite(
      'name: fb\nkind: triage\ncases: {file: export.jsonl, format: feedback}\n',
      join(directory, 'fb.yaml'),
    );
    const data = await loadSuiteData(suite, { datasetsDir: '/nowhere' });
    expect(data.cases.map((item) => item.id)).toEqual(['m2']);
    expect(data.notes.at(-1)).toMatch(/^1 records assert nothing/);

    writeFileSync(
      join(directory, 'export.jsonl'),
      `${JSON.stringify(record)}\n${JSON.stringify({ ...record, decision: 'ignored' })}\n`,
    );
    await expect(loadSuiteData(suite, { datasetsDir: '/nowhere' })).rejects.toThrow(
      /export.jsonl:2: not a feedback record: decision: /,
    );
  });

  it('is for triage suites only', () => {
    expect(() =>
      parseSuite(
        'name: fb\nkind: safety\ncases: {file: x.jsonl, format: feedback}\n',
        'evals/fb.yaml',
      ),
    ).toThrow(/cases.format: feedback cases are triage cases/);
    expect(() =>
      parseSuite(
        'name: fb\nkind: triage\ncases: {file: x.jsonl, format: langsmith}\n',
        'evals/fb.yaml',
      ),
    ).toThrow(
      /cases: must be a list of cases, or \{file, format\} with format one of feedback, promptfoo/,
    );
  });
});
