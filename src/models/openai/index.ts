/** The OpenAI-compatible model provider: the only place the `openai` SDK is used. */
export { OpenAiEmbedder } from './embedder.js';
export { ModelProviderError, type ModelProviderErrorCode } from './errors.js';
export {
  defaultProviderRuntime,
  openAiProviderOptionsSchema,
  type OpenAiProviderOptions,
  type ProviderLogger,
  type ProviderRuntime,
} from './options.js';
export type { CircuitSnapshot, CircuitState } from './circuit-breaker.js';
export type { ProviderHealth } from './provider-guard.js';
export {
  OpenAiTriageModel,
  defaultPromptsDir,
  type AnalyseOptions,
  type LlmTriageResult,
} from './triage-model.js';
export {
  llmRiskFlags,
  llmTriageInputSchema,
  llmTriageOutputSchema,
  type LlmRiskFlag,
  type LlmTriageInput,
  type LlmTriageOutput,
} from './triage-schema.js';
