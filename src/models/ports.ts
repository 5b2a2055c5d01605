/**
 * Ports for the model providers. Every adapter (local, OpenAI-compatible, cascade)
 * implements these; the rest of the code only sees these shapes.
 */

/** Turns texts into vectors. `model` and `dimension` are stored with every chunk. */
export interface Embedder {
  readonly model: string;
  readonly dimension: number;
  embed(texts: string[]): Promise<number[][]>;
}

export interface LabelScore {
  label: string;
  probability: number;
}

export interface Classification {
  /** Best label, or null when the classifier judges the text out of scope. */
  label: string | null;
  /** Calibrated probability of `label` (of the best label when out of scope). */
  confidence: number;
  outOfScope: boolean;
  /** Top labels, best first. */
  ranking: LabelScore[];
}

export interface Classifier {
  readonly name: string;
  classify(text: string): Promise<Classification>;
}

/** An LLM that triages and drafts in one structured call (OpenAI-compatible adapter). */
export interface TriageLlm {
  analyse(input: import('./openai/triage-schema.js').LlmTriageInput): Promise<{
    output: import('./openai/triage-schema.js').LlmTriageOutput;
    usage: { promptTokens: number; completionTokens: number };
    model: string;
    latencyMs: number;
  }>;
  /** The provider's response format and circuit breaker, for /healthz. */
  health?(): import('./openai/provider-guard.js').ProviderHealth;
}
