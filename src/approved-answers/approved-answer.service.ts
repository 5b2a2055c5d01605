/**
 * Approved answers (like Dify's annotation reply): a reply an agent sent on a ticket becomes a
 * candidate answer for the knowledge-base entry the ticket's draft was grounded in; an admin
 * approves it (as it is or edited) or rejects it, never the service on its own; the triage
 * pipeline sends an approved answer instead of the entry's text when it answers from that entry
 * and the customer asks the question the answer was written for (question-match.ts). Each
 * review leaves an audit entry; each use is counted on the answer.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { appendAuditEntry } from '../audit/audit.repository.js';
import type { Database } from '../db/tables.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors/domain-errors.js';
import type { SentReply } from '../tickets/ticket.service.js';
import type { Clock } from '../time/clock.js';
import type { ApprovedAnswerLookup } from '../triage/engine.js';
import { checkOutgoingText } from '../triage/output-guard.js';
import { triageResultSchema } from '../triage/triage.js';
import {
  type ApprovedAnswer,
  type ApprovedAnswerEdit,
  type ApprovedAnswerStatus,
  redactionsSchema,
} from './approved-answer-contract.js';
import {
  type ApprovedAnswerRow,
  approvedAnswersOf,
  findApprovedAnswer,
  listApprovedAnswers,
  proposeCandidate,
  reviewApprovedAnswer,
  triageResultsOfTicket,
} from './approved-answer.repository.js';
import { candidateOrigin, matchingText, placeholdersIn, redactForReuse } from './candidate-text.js';
import { closestQuestion, SAME_QUESTION_SIMILARITY } from './question-match.js';

export interface ApprovedAnswerServiceOptions {
  db: Kysely<Database>;
  clock: Clock;
  /** The knowledge base: entries' texts, and its embedder to compare questions with. */
  knowledge: {
    entry(id: string, locale: string): Promise<Entry | undefined>;
    embed(texts: string[]): Promise<number[][]>;
    embedderName(): string;
  };
  logger?: Logger;
  /** The least question similarity for an approved answer to be used (question-match.ts). */
  similarity?: number;
}

/** Why a sent reply did not become a candidate (or the candidate it became or counted on). */
export type OfferOutcome =
  | { candidate: string; created: boolean }
  | { skipped: 'no_triage_result' | 'no_entry' | 'entry_gone' | 'person_only_entry' };

/** An entry as the knowledge base gives it (kb.service.ts `entry`). */
interface Entry {
  id: string;
  title: string;
  body: string;
  /** false: only people answer it, so no automatic answer ever would send an approved one. */
  autoReply: boolean;
}

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);
const EMBEDDINGS_KEPT = 2000;

/**
 * What keeps an answer from being approved or sent: the output check against the entry (no
 * personal data, no promise the entry does not make, no configuration text) and placeholders
 * still to be written out.
 */
function answerViolations(answer: string, entry: Entry | undefined) {
  const check = checkOutgoingText(answer, entry ? [entry.title, entry.body] : []);
  return [
    ...check.violations,
    ...placeholdersIn(answer).map((placeholder) => ({
      code: 'placeholder',
      evidence: placeholder,
    })),
  ];
}

export function createApprovedAnswerService(options: ApprovedAnswerServiceOptions) {
  const { db, clock, knowledge } = options;
  const threshold = options.similarity ?? SAME_QUESTION_SIMILARITY;
  // Questions asked again and again are embedded once per embedder (a map kept in insertion order).
  const embeddings = new Map<string, number[]>();

  async function embed(texts: string[]): Promise<number[][]> {
    const model = knowledge.embedderName();
    const missing = [...new Set(texts.filter((text) => !embeddings.has(`${model}\n${text}`)))];
    if (missing.length) {
      const vectors = await knowledge.embed(missing);
      missing.forEach((text, index) => embeddings.set(`${model}\n${text}`, vectors[index]!));
      while (embeddings.size > EMBEDDINGS_KEPT) embeddings.delete(embeddings.keys().next().value!);
    }
    return texts.map((text) => embeddings.get(`${model}\n${text}`)!);
  }

  async function row(id: string): Promise<ApprovedAnswerRow> {
    const found = await findApprovedAnswer(db, id);
    if (!found) throw new NotFoundError(`No approved answer or candidate ${id}.`);
    return found;
  }

  async function toApprovedAnswer(
    found: ApprovedAnswerRow,
    entries: Map<string, Promise<Entry | undefined>> = new Map(),
  ): Promise<ApprovedAnswer> {
    const key = `${found.entry_id}\n${found.language}`;
    if (!entries.has(key)) entries.set(key, knowledge.entry(found.entry_id, found.language));
    const entry = await entries.get(key)!;
    return {
      id: found.id,
      status: found.status,
      entry: { id: found.entry_id, title: entry?.title ?? null, answer: entry?.body ?? null },
      language: found.language,
      question: found.question,
      answer: found.answer,
      proposedAnswer: found.proposed_answer,
      origin: found.origin,
      editRatio: found.edit_ratio,
      sourceTicketId: found.source_ticket_id,
      agentId: found.agent_id,
      redactions: redactionsSchema.parse(found.redactions),
      violations: entry
        ? answerViolations(found.answer, entry)
        : [{ code: 'entry_gone', evidence: found.entry_id }],
      proposals: found.proposals,
      useCount: found.use_count,
      lastUsedAt: iso(found.last_used_at),
      reviewedBy: found.reviewed_by,
      reviewedAt: iso(found.reviewed_at),
      reviewNote: found.review_note,
      createdAt: iso(found.created_at)!,
      updatedAt: iso(found.updated_at)!,
    };
  }

  /** One review action in one transaction with its audit entry; a wrong state is a conflict. */
  async function review(
    id: string,
    by: string,
    change: Omit<Parameters<typeof reviewApprovedAnswer>[1], 'id' | 'by' | 'now'>,
    audit: { action: string; details: Record<string, unknown> },
  ): Promise<ApprovedAnswer> {
    const now = clock.now();
    const updated = await db.transaction().execute(async (trx) => {
      const changed = await reviewApprovedAnswer(trx, { ...change, id, by, now });
      if (!changed) return undefined;
      await appendAuditEntry(trx, {
        actorType: 'agent',
        actorId: by,
        action: `approved_answer.${audit.action}`,
        subjectType: 'approved_answer',
        subjectId: id,
        details: { entry: changed.entry_id, ...audit.details },
        at: now,
      });
      return changed;
    });
    if (updated) return toApprovedAnswer(updated);
    const current = await row(id);
    throw new ConflictError(
      `Answer ${id} is ${current.status}; this needs it to be ${change.from.join(' or ')}.`,
    );
  }

  async function entryFor(found: ApprovedAnswerRow): Promise<Entry> {
    const entry = await knowledge.entry(found.entry_id, found.language);
    if (!entry)
      throw new ConflictError(
        `Entry ${found.entry_id} is no longer in the knowledge base; reject this answer.`,
      );
    return entry;
  }

  function refuseViolations(violations: { code: string; evidence: string }[]) {
    if (violations.length === 0) return;
    throw new InvalidError(
      `answer: ${violations.map((violation) => `${violation.code} (${violation.evidence})`).join(', ')}; write it without them (placeholders such as [ORDER_NUMBER] must be replaced by general wording).`,
    );
  }

  const lookup: ApprovedAnswerLookup = {
    async find({ entryId, language, question }) {
      const answers = await approvedAnswersOf(db, entryId, language);
      if (answers.length === 0) return undefined;
      const texts = [question, ...answers.map((answer) => answer.question)].map(matchingText);
      const [asked, ...written] = await embed(texts);
      const closest = closestQuestion(
        asked!,
        answers.map((answer, index) => ({ item: answer, vector: written[index]! })),
        threshold,
      );
      return closest
        ? { id: closest.item.id, text: closest.item.answer, similarity: closest.similarity }
        : undefined;
    },
  };

  return {
    /** What the triage pipeline asks (engine-ports.ts). */
    lookup,

    /**
     * An agent's sent reply becomes a candidate for the entry the ticket's latest draft was
     * grounded in: with personal data and order numbers replaced by placeholders, or counted on
     * the same answer already waiting or approved. Replies without an entry, or on an entry only
     * people answer, are not candidates.
     */
    async offer(reply: SentReply): Promise<OfferOutcome> {
      const results = (await triageResultsOfTicket(db, reply.ticketId)).flatMap((found) => {
        const parsed = triageResultSchema.safeParse(found.result);
        return parsed.success && !parsed.data.smallTalk
          ? [
              {
                messageId: found.message_id,
                text: found.text,
                customerName: found.customer_name,
                result: parsed.data,
              },
            ]
          : [];
      });
      const source =
        (reply.draft !== null &&
          results.find((found) => found.result.reply.text.trim() === reply.draft!.trim())) ||
        results[0];
      if (!source) return { skipped: 'no_triage_result' };
      const entryId = source.result.reply.citations[0];
      if (!entryId) return { skipped: 'no_entry' };
      const language = source.result.reply.language === 'zh' ? 'zh' : 'en';
      const entry = await knowledge.entry(entryId, language);
      if (!entry) return { skipped: 'entry_gone' };
      if (!entry.autoReply) return { skipped: 'person_only_entry' };
      // The customer's and the agent's names too: "Hi Tom," or a signature has no cue the redactor knows.
      const names = [...(source.customerName ? [source.customerName] : []), reply.agentId];
      const answer = redactForReuse(reply.sentText.trim(), [entry.title, entry.body], names);
      const { origin, editRatio } = candidateOrigin(reply.action, reply.draft, reply.sentText);
      const proposed = await db.transaction().execute((trx) =>
        proposeCandidate(trx, {
          entryId,
          language,
          question: redactForReuse(source.text.trim(), [], names).text,
          answer: answer.text,
          origin,
          editRatio,
          sourceTicketId: reply.ticketId,
          sourceMessageId: source.messageId,
          agentId: reply.agentId,
          redactions: answer.redactions,
          violations: answerViolations(answer.text, entry),
          now: reply.at,
        }),
      );
      return { candidate: proposed.id, created: proposed.created };
    },

    /** For the ticket service: a failed proposal is logged, never the agent's problem. */
    async offerQuietly(reply: SentReply): Promise<void> {
      try {
        await this.offer(reply);
      } catch (error) {
        options.logger?.error(
          { err: error, ticketId: reply.ticketId },
          'could not propose the reply as an approved-answer candidate',
        );
      }
    },

    async list(
      filter: { status?: ApprovedAnswerStatus; entryId?: string; limit?: number } = {},
    ): Promise<ApprovedAnswer[]> {
      const rows = await listApprovedAnswers(db, { ...filter, limit: filter.limit ?? 100 });
      const entries = new Map<string, Promise<Entry | undefined>>();
      return Promise.all(rows.map((found) => toApprovedAnswer(found, entries)));
    },

    get: async (id: string) => toApprovedAnswer(await row(id)),

    /** Approves a candidate (or a rejected answer again) once nothing in it fails the check. */
    async approve(id: string, by: string, note?: string): Promise<ApprovedAnswer> {
      const found = await row(id);
      refuseViolations(answerViolations(found.answer, await entryFor(found)));
      return review(
        id,
        by,
        { from: ['pending', 'rejected'], status: 'approved', note },
        { action: 'approve', details: { note: note ?? null } },
      );
    },

    /** Rejects a candidate, or withdraws an approved answer (it stops being sent). */
    async reject(id: string, by: string, note?: string): Promise<ApprovedAnswer> {
      const found = await row(id);
      return review(
        id,
        by,
        { from: ['pending', 'approved'], status: 'rejected', note },
        { action: 'reject', details: { from: found.status, note: note ?? null } },
      );
    },

    /**
     * Edits a candidate's or an approved answer's text (and the question it answers). Personal
     * data is refused outright; an approved answer must pass the whole check, as when approved.
     */
    async edit(id: string, change: ApprovedAnswerEdit, by: string): Promise<ApprovedAnswer> {
      const found = await row(id);
      const violations = answerViolations(
        change.answer,
        found.status === 'approved'
          ? await entryFor(found)
          : await knowledge.entry(found.entry_id, found.language),
      );
      refuseViolations(
        found.status === 'approved'
          ? violations
          : violations.filter((violation) => violation.code === 'personal_data'),
      );
      const question = change.question && redactForReuse(change.question).text;
      return review(
        id,
        by,
        {
          from: found.status === 'approved' ? ['approved'] : ['pending'],
          answer: change.answer,
          ...(question ? { question } : {}),
        },
        {
          action: 'edit',
          details: {
            status: found.status,
            answerChanged: change.answer !== found.answer,
            questionChanged: question !== undefined && question !== found.question,
          },
        },
      );
    },
  };
}

export type ApprovedAnswerService = ReturnType<typeof createApprovedAnswerService>;
