/**
 * The LLM step of the `openai` and `cascade` providers: one structured call that
 * classifies and drafts, given few-shot examples like the message and the candidate
 * knowledge-base entries. It never throws: a failing provider becomes an outcome the
 * pipeline turns into a hand-off with the local result.
 */
import type { TriageLlm } from '../models/ports.js';
import type { SentimentLabel } from './sentiment.js';
import type { Entities } from './triage.js';
import type { Taxonomy } from './taxonomy.js';
import type { LabelledExample } from './examples-index.js';

export interface LlmStepInput {
  text: string;
  language: string;
  taxonomy: Taxonomy;
  examples: LabelledExample[];
  candidates: { id: string; title: string; answer: string }[];
  entities: Entities;
}

export type LlmOutcome =
  | {
      ok: true;
      category: string | null;
      confidence: number;
      sentiment: SentimentLabel;
      flags: string[];
      reply: string;
      citations: string[];
      model: string;
      tokens: number;
      latencyMs: number;
    }
  | { ok: false; code: string; message: string };

/** LLM risk flags as pipeline flags. */
const flagNames: Record<string, string> = {
  prompt_injection: 'prompt_injection',
  threat: 'threat',
  safety_hazard: 'safety_hazard',
};

export async function runLlmStep(llm: TriageLlm, input: LlmStepInput): Promise<LlmOutcome> {
  const languageKey = input.language === 'zh' ? 'zh' : 'en';
  try {
    const result = await llm.analyse({
      text: input.text,
      language: input.language,
      categories: input.taxonomy.categories.map((category) => ({
        key: category.key,
        description:
          category.description[languageKey] ??
          Object.values(category.description)[0] ??
          category.key,
      })),
      examples: input.examples,
      candidates: input.candidates,
      entities: input.entities,
    });
    const output = result.output;
    const flags = output.riskFlags.map((flag) => flagNames[flag] ?? flag);
    if (output.injectionSuspected && !flags.includes('prompt_injection'))
      flags.push('prompt_injection');
    return {
      ok: true,
      category: output.outOfScope ? null : output.category,
      confidence: output.confidence,
      sentiment: output.sentiment,
      flags,
      reply: output.reply,
      citations: output.citations,
      model: result.model,
      tokens: result.usage.promptTokens + result.usage.completionTokens,
      latencyMs: result.latencyMs,
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      code: typeof code === 'string' ? code : 'error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
