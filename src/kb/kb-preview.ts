/**
 * How a customer's question would match the knowledge base, for an admin editing it: the top
 * entries with their calibrated scores and raw signals, and what triage would do with the
 * question (the `POST /v1/triage` engine, nothing stored or counted).
 *
 * An unsaved draft cannot go through the real ranking without being stored: its chunks, the
 * keyword index, the entry model and the answerability model would all have to take it in. So
 * a draft is compared with the question by the embedder alone — the closest of its title,
 * questions and answer against the same for the entries the real search ranks highest — and
 * labelled as that approximation. Saving it gives the real ranking and decision.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { TriageEngine } from '../triage/engine.js';
import { screenDocument } from './document-screening.js';
import type { Preview, PreviewRequest } from './kb-entry-contract.js';
import { loadedDocument } from './kb-editor.js';
import * as repository from './kb.repository.js';
import type { KnowledgeBase } from './kb.service.js';

export interface KnowledgeBasePreviewOptions {
  db: Kysely<Database>;
  knowledgeBase: Pick<KnowledgeBase, 'search' | 'candidates' | 'embed' | 'paraphrases' | 'entry'>;
  triage: Pick<TriageEngine, 'triage'>;
}

const DRAFT_NOTE =
  'Approximation: the draft is compared with the question by the embedder alone (cosine of its closest title, question or answer paragraph, against the same for the entries ranked highest now), without the keyword index, entry model, calibration or answerability that rank saved entries. Save it to see the real ranking and decision.';

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}

/** Paragraphs of an answer or policy (at most 40): the pieces a question is compared with. */
const paragraphs = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .slice(0, 40);

const round = (value: number) => Math.round(value * 1000) / 1000;

export function createKnowledgeBasePreview(options: KnowledgeBasePreviewOptions) {
  const { db, knowledgeBase, triage } = options;

  /** Title, questions and answer paragraphs of a saved entry in one language. */
  async function savedTexts(entryId: string, locale: string): Promise<string[]> {
    const entry = await knowledgeBase.entry(entryId, locale);
    if (!entry) return [];
    const questions = (await knowledgeBase.paraphrases())
      .filter((paraphrase) => paraphrase.entryId === entryId && paraphrase.locale === entry.locale)
      .map((paraphrase) => paraphrase.question);
    return [entry.title, ...questions, ...paragraphs(entry.body)];
  }

  async function draftComparison(
    request: PreviewRequest,
    draft: NonNullable<PreviewRequest['draft']>,
    matches: Preview['matches'],
  ): Promise<NonNullable<Preview['draft']>> {
    const { documentId, entryId, ...fields } = draft;
    const row = documentId ? await repository.documentById(db, documentId) : undefined;
    const key = {
      entryId: row?.entry_id ?? entryId ?? 'draft',
      locale: row?.locale ?? request.locale ?? matches[0]?.locale ?? 'zh',
    };
    const heldReasons = screenDocument(loadedDocument(key, fields, 'console/draft'));
    const draftTexts = [
      fields.title,
      ...(fields.kind === 'faq' ? [...fields.questions, ...paragraphs(fields.answer)] : []),
      ...(fields.kind === 'policy' ? paragraphs(fields.text) : []),
    ];
    const others = [];
    for (const match of matches.filter((match) => match.id !== key.entryId))
      others.push({ match, texts: await savedTexts(match.id, match.locale) });
    const texts = [draftTexts, ...others.map((other) => other.texts)];
    const [questionVector, ...vectors] = await knowledgeBase.embed([
      request.question,
      ...texts.flat(),
    ]);
    let offset = 0;
    const best = texts.map((group) => {
      let top = { text: '', similarity: 0 };
      for (const text of group) {
        const similarity = cosine(questionVector!, vectors[offset++]!);
        if (similarity > top.similarity) top = { text, similarity };
      }
      return top;
    });
    const ranking = [
      { entryId: key.entryId, title: fields.title, draft: true, similarity: best[0]!.similarity },
      ...others.map((other, index) => ({
        entryId: other.match.id,
        title: other.match.title,
        draft: false,
        similarity: best[index + 1]!.similarity,
      })),
    ]
      .map((item) => ({ ...item, similarity: round(item.similarity) }))
      .sort((a, b) => b.similarity - a.similarity);
    return {
      method: 'embedding_only',
      note: DRAFT_NOTE,
      heldReasons,
      nearest: best[0]!.text
        ? { text: best[0]!.text, similarity: round(best[0]!.similarity) }
        : null,
      ranking,
    };
  }

  return async function preview(request: PreviewRequest): Promise<Preview> {
    const { question, locale } = request;
    const found = await knowledgeBase.search(question, { locale, limit: 5 });
    const candidates = await knowledgeBase.candidates(question, { locale });
    const matches = found.map((match) => {
      const candidate = candidates.find(
        (item) => item.entryId === match.id && item.locale === match.locale,
      );
      return {
        ...match,
        signals: candidate
          ? {
              dense: round(candidate.dense),
              keyword: round(candidate.keyword),
              lexical: round(Math.max(candidate.lexicalQuestion, candidate.lexicalAnswer)),
              model: round(candidate.model),
            }
          : null,
      };
    });
    const result = await triage.triage({ text: question, ...(locale ? { locale } : {}) });
    return {
      matches,
      triage: {
        action: result.decision.action,
        reasons: result.decision.reasons,
        ...(result.decision.details ? { details: result.decision.details } : {}),
        category: result.category,
        confidence: result.confidence,
        reply: result.reply.text,
        citations: result.reply.citations,
        answerability: result.answerability ?? null,
      },
      draft: request.draft ? await draftComparison(request, request.draft, matches) : null,
    };
  };
}

export type KnowledgeBasePreview = ReturnType<typeof createKnowledgeBasePreview>;
