import { describe, expect, it } from 'vitest';
import { diffEntry, lineChanges, removalSummary } from './entry-diff.js';
import type { EntryFields } from './kb-entry-contract.js';

const entry: EntryFields = {
  kind: 'faq',
  title: 'How long refunds take',
  category: 'refund',
  autoReply: true,
  questions: ['a', 'b', 'c', 'd', 'e'],
  tags: ['refund'],
  answer: 'Line one.\nLine two.\nLine three.',
};

describe('diffEntry', () => {
  it('names each changed field with what was added and removed', () => {
    const changed = diffEntry(entry, {
      ...entry,
      title: 'Refund times',
      autoReply: false,
      questions: ['a', 'b', 'c', 'd', 'f', 'g'],
      answer: 'Line one.\nLine 2.\nLine three.\nLine four.',
    });
    expect(changed.fields).toEqual([
      { field: 'title', before: 'How long refunds take', after: 'Refund times' },
      { field: 'autoReply', before: true, after: false },
      { field: 'questions', added: ['f', 'g'], removed: ['e'] },
      {
        field: 'answer',
        removed: ['Line two.'],
        added: ['Line 2.', 'Line four.'],
        charsBefore: 31,
        charsAfter: 40,
      },
    ]);
    expect(changed.summary).toBe(
      'title: "How long refunds take" → "Refund times"; autoReply: true → false; 2 questions added, 1 removed; answer: 1 line removed, 2 added (31 → 40 characters)',
    );
  });

  it('says no change for identical fields and describes a new document', () => {
    expect(diffEntry(entry, { ...entry })).toEqual({ summary: 'no change', fields: [] });
    expect(diffEntry(undefined, entry).summary).toBe(
      'created: 5 questions, answer of 31 characters',
    );
    const policy = diffEntry(
      { kind: 'policy', title: 'Terms', text: 'A\n\nB' },
      { kind: 'policy', title: 'Terms', text: 'A\n\nC' },
    );
    expect(policy.fields).toEqual([
      { field: 'text', removed: ['B'], added: ['C'], charsBefore: 4, charsAfter: 4 },
    ]);
  });

  it('keeps the removed text of a deletion, clipped', () => {
    const removed = removalSummary(entry);
    expect(removed.summary).toBe('deleted "How long refunds take" (31 characters)');
    expect(removed.fields[1]).toMatchObject({
      field: 'answer',
      removed: ['Line one.', 'Line two.', 'Line three.'],
    });
  });
});

describe('lineChanges', () => {
  it('finds moved and replaced lines in order, and compares huge rewrites as sets', () => {
    expect(lineChanges('a\nb\nc', 'b\nc\na')).toEqual({ removed: ['a'], added: ['a'] });
    const before = Array.from({ length: 1500 }, (_, i) => `old ${i}`).join('\n');
    const after = Array.from({ length: 1500 }, (_, i) => `new ${i}`).join('\n');
    const changes = lineChanges(before, after);
    expect(changes.removed).toHaveLength(1500);
    expect(changes.added).toHaveLength(1500);
  });
});
