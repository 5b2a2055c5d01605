/**
 * What the message is about and what the customer wants: the category (with the conversation's
 * topic for a short follow-up), several issues at once, question or request, the nearest
 * knowledge-base entries (which may relabel the category), and the tone.
 */
import { fuseCategory } from '../category-fusion.js';
import { resolveIntent } from '../intent.js';
import { detectMultipleIssues } from '../multiple-issues.js';
import { reason } from '../reasons.js';
import { thresholdsFor } from '../taxonomy.js';
import { note, required, type TriageStep } from './state.js';

export const classifyStep: TriageStep = {
  name: 'classify',
  async run(state, { models }) {
    let classification = await models.category.classify(state.safeText);
    if (state.followUp) {
      const inContext = await models.category.classify(state.topicText);
      if (inContext.confidence > classification.confidence) {
        classification = inContext;
        note(
          state,
          reason('conversation_topic', {
            turns: state.history.filter((turn) => turn.author === 'customer').length,
          }),
        );
      }
    }
    state.classification = classification;
    state.category = classification.outOfScope ? null : classification.label;
    state.confidence = classification.confidence;
    note(
      state,
      state.category
        ? reason('category', { category: state.category, confidence: classification.confidence })
        : reason('out_of_scope_guess', {
            category: classification.ranking[0]?.label ?? '',
            confidence: classification.confidence,
          }),
    );
  },
};

export const multipleIssuesStep: TriageStep = {
  name: 'multiple_issues',
  async run(state, { models }) {
    const issues = await detectMultipleIssues(state.safeText, models.category);
    if (!issues.flagged) return;
    state.flags.push('multiple_issues');
    note(state, reason('multiple_issues', { categories: issues.categories.join(', ') }));
  },
};

export const intentStep: TriageStep = {
  name: 'intent',
  async run(state, { models }) {
    // The model reads a follow-up with its topic ("那运费呢" after a return question is a question);
    // the surface form (an explicit ask for action) is still this message's own.
    const intent = resolveIntent(state.safeText, await models.intent.classify(state.topicText), {
      followUp: state.followUp,
    });
    state.intent = intent;
    state.reasons.push(...intent.reasons);
    state.details.push(reason('intent', { label: intent.label, confidence: intent.confidence }));
  },
};

export const retrieveStep: TriageStep = {
  name: 'retrieve',
  async run(state, { knowledge, taxonomy }) {
    const locale = state.language === 'zh' || state.language === 'en' ? state.language : undefined;
    let matches = await knowledge.search(state.safeText, { locale, limit: 5 });
    if (state.followUp) {
      const inContext = await knowledge.search(state.topicText, { locale, limit: 5 });
      if ((inContext[0]?.score ?? 0) > (matches[0]?.score ?? 0)) matches = inContext;
    }
    state.matches = matches;
    if (matches[0])
      note(state, reason('best_match', { entry: matches[0].id, score: matches[0].score }));

    const classification = required(state.classification, 'classification');
    const mode = taxonomy.categories.find((c) => c.key === state.category)?.autoReply;
    state.personOnly = state.category !== null && mode === 'never' ? state.category : undefined;
    if (state.category === null) return;
    // The matched entry's category is evidence too: the two are fused.
    const fused = fuseCategory(classification.ranking, matches[0], {
      minimumScore: thresholdsFor(taxonomy, matches[0]?.category ?? null).retrieval,
    });
    state.category = fused.label;
    state.confidence = fused.confidence;
    if (fused.reason) {
      state.reasons.push(fused.reason);
      const top = classification.ranking[0];
      state.details.push(
        reason('category_fused', {
          category: fused.label ?? '',
          entry: matches[0]?.id ?? '',
          score: matches[0]?.score ?? 0,
          classifier: top?.label ?? '',
          probability: top?.probability ?? 0,
        }),
      );
    }
  },
};

export const sentimentStep: TriageStep = {
  name: 'sentiment',
  async run(state, { models }) {
    const result = await models.sentiment.classify(state.safeText);
    state.sentiment = {
      label: (result.label ?? 'neutral') as 'negative' | 'neutral' | 'positive',
      confidence: result.confidence,
    };
  },
};
