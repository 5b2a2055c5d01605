/**
 * The agent feedback export (`triage feedback export`, JSONL of `feedbackRecordSchema`)
 * as triage cases: what agents did with each draft becomes what the pipeline should do.
 *
 * - category: `correctedCategory ?? category` for every decision. An agent who kept the
 *   category (correctedCategory null) confirmed it, even when rejecting the draft; a null
 *   result expects "out of scope" and is only asserted when the suite has `outOfScopeLabel`.
 * - cites: the draft's `entryIds` when the draft was accepted, or edited lightly (edit
 *   distance at most half the draft's length): the agent sent an answer grounded in those
 *   entries. After a rewrite or a rejection the right grounding is unknown: not asserted.
 * - action is never asserted: every record is a hand-off an agent handled, and whether the
 *   bot could have sent the draft alone is not something the agent said.
 * - locale: `language`; id: `messageId` (the latest decision wins when a message has several).
 * Records with nothing to assert are left out and counted in a note.
 */
import type { FeedbackRecord } from '../../feedback/feedback-record.js';
import { feedbackRecordSchema } from '../../feedback/feedback-record.js';
import type { Row } from '../data-files.js';
import { describeIssues, SuiteError } from '../suite.js';

/** Above this share of the draft's length, an edit is a rewrite: the draft's grounding is not confirmed. */
export const LIGHT_EDIT_SHARE = 0.5;

function lightEdit(record: FeedbackRecord): boolean {
  if (record.decision === 'accepted') return true;
  if (record.decision !== 'edited') return false;
  return (
    record.editDistance !== null &&
    record.editDistance <= LIGHT_EDIT_SHARE * Math.max(record.draft.length, 1)
  );
}

/** The triage case one record stands for, or undefined when it asserts nothing. */
export function feedbackCase(
  record: FeedbackRecord,
  outOfScopeLabel: string | undefined,
): Record<string, unknown> | undefined {
  const expectedCategory = record.correctedCategory ?? record.category;
  const category = expectedCategory ?? outOfScopeLabel;
  const cites = lightEdit(record) && record.entryIds.length ? record.entryIds : undefined;
  if (category === undefined && cites === undefined) return undefined;
  return {
    id: record.messageId,
    text: record.customerText,
    locale: record.language,
    ...(category === undefined ? {} : { category }),
    ...(cites ? { cites } : {}),
  };
}

/** Feedback rows (already read as JSON lines) validated and mapped; notes say what was left out. */
export function feedbackRows(
  rows: Row[],
  outOfScopeLabel: string | undefined,
): { rows: Row[]; notes: string[] } {
  const latest = new Map<string, { origin: string; record: FeedbackRecord }>();
  for (const row of rows) {
    const parsed = feedbackRecordSchema.safeParse(row.fields);
    if (!parsed.success)
      throw new SuiteError(
        `${row.origin}: not a feedback record: ${describeIssues(parsed.error).join('; ')}`,
      );
    const previous = latest.get(parsed.data.messageId);
    if (!previous || previous.record.at <= parsed.data.at)
      latest.set(parsed.data.messageId, { origin: row.origin, record: parsed.data });
  }
  const mapped: Row[] = [];
  let empty = 0;
  for (const { origin, record } of latest.values()) {
    const fields = feedbackCase(record, outOfScopeLabel);
    if (fields) mapped.push({ origin, fields });
    else empty++;
  }
  const counts = { accepted: 0, edited: 0, rejected: 0 };
  for (const { record } of latest.values()) counts[record.decision]++;
  const notes = [
    `feedback export: ${rows.length} records, ${latest.size} messages (${counts.accepted} accepted, ${counts.edited} edited, ${counts.rejected} rejected)`,
  ];
  if (rows.length > latest.size)
    notes.push(
      `${rows.length - latest.size} earlier decisions on the same message were superseded by the latest`,
    );
  if (empty)
    notes.push(
      `${empty} records assert nothing (out of scope without outOfScopeLabel, and no confirmed entries) and were left out`,
    );
  return { rows: mapped, notes };
}
