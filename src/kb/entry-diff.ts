/**
 * What a knowledge-base change changed, for the audit log and the console's history: each field
 * that differs, with the questions or tags added and removed and the lines of the answer (or
 * policy text) added and removed — an auditor reads what was said before and after, not only
 * that something changed.
 */
import type { ChangeSummary, EntryFields, FieldChange } from './kb-entry-contract.js';

/** Lines kept per side of a text change (the audit entry stays small on a large policy edit). */
const MAX_LINES = 20;
const MAX_LINE_CHARS = 300;
const MAX_TABLE_CELLS = 1_000_000;

const clip = (line: string) =>
  line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;

/** Lines only in `before` and only in `after`, in order, by the longest common subsequence. */
export function lineChanges(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n').map((line) => line.trimEnd());
  const b = after.split('\n').map((line) => line.trimEnd());
  // Common head and tail first: most edits touch a few lines of a long text.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) (endA--, endB--);
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  // A rewrite of a long policy: lines compared as sets rather than a table of a million cells.
  if (midA.length * midB.length > MAX_TABLE_CELLS)
    return {
      removed: midA.filter((line) => line.trim() && !midB.includes(line)),
      added: midB.filter((line) => line.trim() && !midA.includes(line)),
    };
  const lengths = Array.from({ length: midA.length + 1 }, () =>
    new Array<number>(midB.length + 1).fill(0),
  );
  for (let i = midA.length - 1; i >= 0; i--)
    for (let j = midB.length - 1; j >= 0; j--)
      lengths[i]![j] =
        midA[i] === midB[j]
          ? lengths[i + 1]![j + 1]! + 1
          : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) (i++, j++);
    else if (j < midB.length && (i === midA.length || lengths[i]![j + 1]! >= lengths[i + 1]![j]!))
      added.push(midB[j++]!);
    else removed.push(midA[i++]!);
  }
  const meaningful = (line: string) => line.trim() !== '';
  return { removed: removed.filter(meaningful), added: added.filter(meaningful) };
}

function listChange(field: 'questions' | 'tags', before: string[], after: string[]) {
  const removed = before.filter((item) => !after.includes(item));
  const added = after.filter((item) => !before.includes(item));
  return removed.length || added.length ? [{ field, added, removed }] : [];
}

function textChange(field: 'answer' | 'text', before: string, after: string): FieldChange[] {
  if (before === after) return [];
  const { removed, added } = lineChanges(before, after);
  return [
    {
      field,
      removed: removed.slice(0, MAX_LINES).map(clip),
      added: added.slice(0, MAX_LINES).map(clip),
      charsBefore: before.length,
      charsAfter: after.length,
    },
  ];
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function describe(change: FieldChange): string {
  switch (change.field) {
    case 'questions':
    case 'tags': {
      const parts = [
        change.added?.length
          ? `${plural(change.added.length, change.field.slice(0, -1))} added`
          : '',
        change.removed?.length ? `${change.removed.length} removed` : '',
      ].filter(Boolean);
      return parts.join(', ');
    }
    case 'answer':
    case 'text':
      return `${change.field}: ${plural(change.removed?.length ?? 0, 'line')} removed, ${
        change.added?.length ?? 0
      } added (${change.charsBefore} → ${change.charsAfter} characters)`;
    default:
      return `${change.field}: ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`;
  }
}

/** The fields that differ between two versions; `before` undefined: a new document. */
export function diffEntry(before: EntryFields | undefined, after: EntryFields): ChangeSummary {
  const fields: FieldChange[] = [];
  const scalar = (field: 'title' | 'category' | 'autoReply', from: unknown, to: unknown) => {
    if (from !== to)
      fields.push({
        field,
        before: (from ?? null) as string | boolean | null,
        after: to as string | boolean,
      });
  };
  scalar('title', before?.title, after.title);
  if (after.kind === 'faq') {
    const earlier = before?.kind === 'faq' ? before : undefined;
    scalar('category', earlier?.category, after.category);
    scalar('autoReply', earlier?.autoReply, after.autoReply);
    fields.push(...listChange('questions', earlier?.questions ?? [], after.questions));
    fields.push(...listChange('tags', earlier?.tags ?? [], after.tags ?? []));
    fields.push(...textChange('answer', earlier?.answer ?? '', after.answer));
  } else {
    fields.push(...textChange('text', before?.kind === 'policy' ? before.text : '', after.text));
  }
  const summary = before
    ? fields.map(describe).join('; ') || 'no change'
    : `created: ${after.kind === 'faq' ? `${plural(after.questions.length, 'question')}, answer` : 'text'} of ${after.kind === 'faq' ? after.answer.length : after.text.length} characters`;
  return { summary, fields };
}

/** What a deletion took away (the audit keeps the text, clipped, as the record of it). */
export function removalSummary(removed: EntryFields): ChangeSummary {
  const body = removed.kind === 'faq' ? removed.answer : removed.text;
  return {
    summary: `deleted "${removed.title}" (${body.length} characters)`,
    fields: [
      { field: 'title', before: removed.title, after: null },
      {
        field: removed.kind === 'faq' ? 'answer' : 'text',
        removed: body
          .split('\n')
          .filter((line) => line.trim())
          .slice(0, MAX_LINES)
          .map(clip),
        added: [],
        charsBefore: body.length,
        charsAfter: 0,
      },
    ],
  };
}
