/**
 * The LLM runs on every message (provider openai) or only when the local models are unsure
 * (cascade); its verdict replaces theirs, and its failure means a hand-off.
 */
import { runLlmStep } from '../llm-step.js';
import { reason } from '../reasons.js';
import { thresholdsFor } from '../taxonomy.js';
import { note, type TriageStep } from './state.js';

export const llmStep: TriageStep = {
  name: 'llm',
  async run(state, { llm: provider, taxonomy, knowledge, stats }) {
    if (!provider) return;
    const thresholds = thresholdsFor(taxonomy, state.category);
    const best = state.matches[0];
    const unsure =
      state.confidence < Math.max(0.8, thresholds.classifier) ||
      !best ||
      best.score < thresholds.retrieval;
    if (provider.mode !== 'always' && !unsure) return;
    stats.llmCalls++;
    const languageKey = state.language === 'zh' ? 'zh' : 'en';
    const candidates = [];
    for (const match of state.matches.slice(0, 5)) {
      const entry = await knowledge.entry(match.id, languageKey);
      if (entry) candidates.push({ id: entry.id, title: entry.title, answer: entry.body });
    }
    const outcome = await runLlmStep(provider.model, {
      text: state.safeText,
      language: state.language,
      taxonomy,
      examples: provider.examples.nearest(state.safeText),
      candidates,
      entities: state.entities,
    });
    state.llm = outcome;
    if (outcome.ok) {
      state.category = outcome.category;
      state.confidence = outcome.confidence;
      state.sentiment = { label: outcome.sentiment, confidence: 0.9 };
      for (const flag of outcome.flags) if (!state.flags.includes(flag)) state.flags.push(flag);
      note(
        state,
        reason('llm', {
          model: outcome.model,
          category: state.category ?? '',
          confidence: state.confidence,
          tokens: outcome.tokens,
        }),
      );
    } else {
      state.flags.push('llm_unavailable');
      note(state, reason('llm_failed', { code: outcome.code }));
    }
  },
};
