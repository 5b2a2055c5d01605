/**
 * The text that would leave: an answer grounded in its entry, an acknowledgement, or a draft
 * for the agent; the LLM's reply replaces the template when it is grounded. Then the output
 * check (output-guard.ts): a failing answer becomes a hand-off through the same policy, and a
 * failing draft is replaced by one that quotes nothing.
 */
import { decide } from '../decide.js';
import { draftReply } from '../draft.js';
import { markdownToPlainText } from '../markdown-to-text.js';
import { checkOutgoingText, type OutputCheck } from '../output-guard.js';
import { reason } from '../reasons.js';
import { smallTalkReply } from '../small-talk.js';
import { thresholdsFor } from '../taxonomy.js';
import {
  note,
  required,
  round,
  type StepDeps,
  type TriageState,
  type TriageStep,
} from './state.js';

/**
 * The output check is a pure function of the text and its sources, and most replies are an
 * entry's answer in the same frame (420 shipped eval messages have 154 distinct replies): the
 * last checks are kept, so a reply sent before is not scanned for personal data again.
 */
const recentChecks = new Map<string, OutputCheck>();
const RECENT_CHECKS = 512;

function checkOnce(text: string, sources: string[]): OutputCheck {
  const key = JSON.stringify([text, ...sources]);
  const known = recentChecks.get(key);
  if (known) return known;
  const check = checkOutgoingText(text, sources);
  if (recentChecks.size >= RECENT_CHECKS) recentChecks.delete(recentChecks.keys().next().value!);
  recentChecks.set(key, check);
  return check;
}

/**
 * The answer an admin approved for this entry and this question, when there is one and it passes
 * the output check against the entry as it is now; otherwise undefined and the entry's text goes.
 * A failing lookup never fails the triage: the entry's text answers as it would without it.
 */
async function approvedAnswerFor(
  state: TriageState,
  { approvedAnswers, logger }: StepDeps,
  grounding: { id: string; title: string; body: string },
  language: 'zh' | 'en',
) {
  if (!approvedAnswers) return undefined;
  try {
    const found = await approvedAnswers.find({
      entryId: grounding.id,
      language,
      question: state.safeText,
    });
    if (!found || !checkOnce(found.text, [grounding.title, grounding.body]).passed)
      return undefined;
    return found;
  } catch (error) {
    logger?.warn({ err: error }, 'approved answers unavailable; answering with the entry text');
    return undefined;
  }
}

const apologetic = (state: TriageState) =>
  state.sentiment.label === 'negative' ||
  state.urgency?.level === 'high' ||
  state.urgency?.level === 'critical';

export const replyStep: TriageStep = {
  name: 'reply',
  async run(state, deps) {
    const { taxonomy, knowledge } = deps;
    const decision = required(state.decision, 'decision');
    const replyLanguage = state.language === 'zh' ? 'zh' : 'en';
    if (state.smallTalk) {
      // Kept with an open ticket, small talk gets no reply at all.
      const text =
        decision.action === 'auto_reply' ? smallTalkReply(state.smallTalk, replyLanguage) : '';
      state.reply = {
        text,
        language: replyLanguage,
        citations: [],
        kind: decision.action === 'auto_reply' ? 'answer' : 'handoff_draft',
      };
      return;
    }
    const { best, category, llm } = state;
    const categoryConfig = taxonomy.categories.find((c) => c.key === category);
    // An attack or an off-topic message gets a neutral draft that quotes nothing; otherwise an
    // answer cites what it is grounded in, an acknowledgement cites nothing, and a hand-off
    // draft answers from the best entry when it is at least a plausible match.
    const neutral = state.flags.includes('prompt_injection')
      ? 'prompt_injection'
      : category === null
        ? 'out_of_scope'
        : undefined;
    const groundingId =
      decision.action === 'auto_reply'
        ? decision.groundedIn
        : !neutral && best && best.score >= thresholdsFor(taxonomy, category).retrieval / 2
          ? best.id
          : null;
    const grounding = groundingId ? await knowledge.entry(groundingId, replyLanguage) : undefined;
    const draft = draftReply({
      language: replyLanguage,
      action: decision.action,
      entities: state.entities,
      grounding: grounding
        ? { id: grounding.id, title: grounding.title, answer: grounding.body }
        : null,
      acknowledgement: categoryConfig?.acknowledgement?.[replyLanguage],
      ...(decision.action === 'handoff' && neutral ? { neutral } : {}),
      apologise: apologetic(state),
    });
    // The LLM's reply replaces the template when it is grounded in what it cites (never for an
    // attack or an off-topic message), as plain chat text.
    state.reply =
      llm?.ok &&
      !neutral &&
      (decision.action === 'handoff' || llm.citations.includes(decision.groundedIn ?? ''))
        ? {
            text: markdownToPlainText(llm.reply),
            language: draft.language,
            citations: llm.citations.filter((id) => state.matches.some((m) => m.id === id)),
            kind: draft.kind,
          }
        : {
            text: draft.text,
            language: draft.language,
            citations: draft.citations,
            kind: draft.kind,
          };
    // An approved answer for this entry and question goes before the entry's text (and the LLM's
    // wording of it). Only the text changes: the decision was made above without it.
    const approved =
      decision.action === 'auto_reply' && grounding
        ? await approvedAnswerFor(state, deps, grounding, replyLanguage)
        : undefined;
    if (approved) {
      state.reply = {
        text: approved.text,
        language: replyLanguage,
        citations: [grounding!.id],
        kind: 'answer',
      };
      state.approvedAnswer = { id: approved.id, similarity: round(approved.similarity) };
    }

    const sources: string[] = [];
    for (const id of new Set([...(grounding ? [grounding.id] : []), ...state.reply.citations])) {
      const entry = id === grounding?.id ? grounding : await knowledge.entry(id, replyLanguage);
      if (entry) sources.push(entry.title, entry.body);
    }
    const guard = checkOnce(state.reply.text, sources);
    if (guard.passed) return;
    state.flags.push('output_blocked');
    note(
      state,
      reason('output_blocked', {
        violations: guard.violations
          .map((violation) => `${violation.code} (${violation.evidence})`)
          .join(', '),
      }),
    );
    state.decisionInput = {
      ...required(state.decisionInput, 'decision input'),
      flags: [...state.flags],
    };
    state.decision = decide(state.decisionInput);
    const safe = draftReply({
      language: replyLanguage,
      action: 'handoff',
      entities: state.entities,
      grounding: null,
      neutral: 'no_match',
      apologise: apologetic(state),
    });
    state.reply = { text: safe.text, language: safe.language, citations: [], kind: safe.kind };
  },
};
