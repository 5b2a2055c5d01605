/** The OpenAI-compatible model provider: the only place the `openai` SDK is used. */
export { OpenAiEmbedder } from './embedder.js';
export { ModelProviderError, type ModelProviderErrorCode } from './errors.js';
export { openAiProviderOptionsSchema, type OpenAiProviderOptions } from './options.js';
export { OpenAiTriageModel, defaultPromptsDir, type AnalyseOptions, type LlmTriageResult } from './triage-model.js';
export {
  llmRiskFlags,
  llmTriageInputSchema,
  llmTriageOutputSchema,
  type LlmRiskFlag,
  type LlmTriageInput,
  type LlmTriageOutput,
} from './triage-schema.js';
