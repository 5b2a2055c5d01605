/**
 * What the triage pipeline is given: the knowledge base, the models, an optional LLM and the
 * settings its steps read. The steps (steps/) and the engine that runs them share these ports.
 */
import type { Logger } from 'pino';
import type { Classifier, TriageLlm } from '../models/ports.js';
import type { ServiceHours } from '../sla/service-hours.js';
import type { AnswerabilityModel } from './answerability.js';
import type { createExamplesIndex } from './examples-index.js';
import type { HazardModel } from './hazard.js';
import type { Taxonomy } from './taxonomy.js';
import type { KbMatch } from './triage.js';

/** What the pipeline needs from the knowledge base. */
export interface KnowledgeLookup {
  search(
    query: string,
    options: { locale?: string; limit?: number },
  ): Promise<(KbMatch & { autoReply: boolean; category: string | null })[]>;
  entry(
    id: string,
    locale: string,
  ): Promise<{ id: string; title: string; body: string; locale: string } | undefined>;
}

/**
 * Answers an admin approved for an entry (src/approved-answers/): the one written for this
 * question, if any. Asked only when the policy answers from that entry.
 */
export interface ApprovedAnswerLookup {
  find(query: {
    entryId: string;
    language: 'zh' | 'en';
    /** The customer's message as the pipeline reads it (personal data redacted). */
    question: string;
  }): Promise<{ id: string; text: string; similarity: number } | undefined>;
}

/** The model side of the pipeline: a category classifier, a question/request model, sentiment. */
export interface TriageModels {
  name: string;
  category: Classifier;
  intent: Classifier;
  sentiment: Classifier;
  /** The emergency detector (hazard.ts); without it the signal lexicon alone finds emergencies. */
  hazard?: HazardModel;
}

export interface LlmProvider {
  model: TriageLlm;
  /** `always` (provider openai) or only when the local models are unsure (cascade). */
  mode: 'always' | 'when_unsure';
  examples: ReturnType<typeof createExamplesIndex>;
}

export interface TriageEngineOptions {
  taxonomy: Taxonomy;
  models: TriageModels;
  llm?: LlmProvider;
  knowledge: KnowledgeLookup;
  embedderName: () => string;
  now?: () => Date;
  logger?: Logger;
  /** Working hours for the SLA due times (the same clock as tickets); round the clock when absent. */
  serviceHours?: ServiceHours;
  /** Whether the matched entry answers the message (answerability.ts); without it, retrieval alone decides. */
  answerability?: AnswerabilityModel;
  /** Approved answers sent instead of the entry's text; without it, the entry's text always. */
  approvedAnswers?: ApprovedAnswerLookup;
}
