/**
 * LLM triage through an OpenAI-compatible chat API: renders the versioned prompt, asks for
 * structured output (json_schema, or json_object + schema in the prompt), validates it with
 * zod and against the input, re-asks after invalid output, retries transport failures; every
 * call goes through the provider guard (circuit breaker, json_object fall-back, failure logs).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import { systemClock } from '../../time/clock.js';
import { ModelProviderError, summariseIssues, toModelProviderError } from './errors.js';
import { parseJsonObjectAnswer } from './json-output.js';
import {
  createOpenAiClient,
  defaultProviderRuntime,
  resolveProviderOptions,
  retryPolicyOf,
  silentProviderLogger,
  type OpenAiProviderOptions,
  type ProviderLogger,
  type ProviderRuntime,
  type ResolvedProviderOptions,
} from './options.js';
import { createProviderGuard, type ProviderGuard, type ProviderHealth } from './provider-guard.js';
import {
  loadPromptFile,
  renderPrompt,
  type PromptFile,
  type RenderedMessage,
} from './prompt-file.js';
import { runWithRetries, type RetryBudget } from './retry.js';
import { triagePromptValues, type StructuredOutputMode } from './triage-prompt.js';
import {
  checkOutputAgainstInput,
  llmTriageInputSchema,
  OutputRejectedError,
  requestOutputSchema,
  type LlmTriageInput,
  type LlmTriageOutput,
} from './triage-schema.js';

export const defaultPromptsDir = fileURLToPath(new URL('../../../prompts/', import.meta.url));

export interface LlmTriageResult {
  output: LlmTriageOutput;
  /** Summed over every answered call of this analysis (re-asks included). */
  usage: { promptTokens: number; completionTokens: number };
  /** The model that answered, as the server names it. */
  model: string;
  promptVersion: string;
  latencyMs: number;
  /** HTTP calls made: 1 when the first answer was good. */
  attempts: number;
  /** Citations the model made up, removed from output.citations. */
  droppedCitations: string[];
}

export interface AnalyseOptions {
  /** Aborts the analysis (retries included); it then fails with code `timeout`, not retryable. */
  signal?: AbortSignal;
}

type OutputSchema = ReturnType<typeof requestOutputSchema>;

/** One answered call: a valid output, or why the answer was unusable (worth a re-ask). */
type CallOutcome =
  { valid: true; output: LlmTriageOutput; model: string } | { valid: false; problem: string };

export class OpenAiTriageModel {
  readonly chatModel: string;
  readonly promptVersion: string;
  readonly #options: ResolvedProviderOptions;
  readonly #client: OpenAI;
  readonly #prompt: PromptFile;
  readonly #runtime: ProviderRuntime;
  readonly #guard: ProviderGuard;
  readonly #logger: ProviderLogger;

  constructor(options: OpenAiProviderOptions, runtime: ProviderRuntime = defaultProviderRuntime) {
    this.#options = resolveProviderOptions(options);
    this.#client = createOpenAiClient(this.#options);
    this.#runtime = runtime;
    this.#logger = runtime.logger ?? silentProviderLogger;
    this.#guard = createProviderGuard({
      chatModel: this.#options.chatModel,
      responseFormat: this.#options.structuredOutput,
      breakerFailures: this.#options.breakerFailures,
      breakerCooldownMs: this.#options.breakerCooldownMs,
      breakerMaxCooldownMs: this.#options.breakerMaxCooldownMs,
      clock: runtime.clock ?? systemClock,
      logger: this.#logger,
    });
    // Read at construction so that a missing or invalid prompt fails at start-up, not per message.
    const promptsDir = this.#options.promptsDir ?? defaultPromptsDir;
    this.#prompt = loadPromptFile(join(promptsDir, `triage.v${this.#options.promptVersion}.md`));
    this.chatModel = this.#options.chatModel;
    this.promptVersion = this.#prompt.promptVersion;
  }

  /** The response format in use and the circuit breaker's state (for /healthz). */
  health(): ProviderHealth {
    return this.#guard.health();
  }

  async analyse(
    input: LlmTriageInput,
    analyseOptions: AnalyseOptions = {},
  ): Promise<LlmTriageResult> {
    const started = performance.now();
    const parsedInput = llmTriageInputSchema.safeParse(input);
    if (!parsedInput.success) {
      throw new ModelProviderError(
        'bad_request',
        `Invalid triage input: ${summariseIssues(parsedInput.error.issues)}`,
        {
          retryable: false,
        },
      );
    }
    const triageInput = parsedInput.data;
    const schema = requestOutputSchema(triageInput);
    // Rendered per response format: json_object mode carries the schema in the prompt.
    const rendered = new Map<StructuredOutputMode, RenderedMessage[]>();
    const messagesFor = (format: StructuredOutputMode): RenderedMessage[] => {
      let messages = rendered.get(format);
      if (!messages)
        rendered.set(
          format,
          (messages = renderPrompt(this.#prompt, triagePromptValues(triageInput, format, schema))),
        );
      return messages;
    };
    const usage = { promptTokens: 0, completionTokens: 0 };
    const budget: RetryBudget = { retriesUsed: 0 };
    const signal = analyseOptions.signal;
    const calls = { made: 0 };
    let problem: string | undefined;

    for (let reasks = 0; ; reasks += 1) {
      const outcome = await runWithRetries(
        () =>
          this.#guard.run(
            (format) =>
              this.#call(
                format,
                withCorrection(messagesFor(format), problem),
                schema,
                usage,
                calls,
                signal,
              ),
            signal,
          ),
        retryPolicyOf(this.#options),
        this.#runtime,
        { signal, budget, canRetry: () => this.#guard.canRetry() },
      );
      if (outcome.valid) {
        try {
          const checked = checkOutputAgainstInput(outcome.output, triageInput);
          return {
            ...checked,
            usage,
            model: outcome.model,
            promptVersion: this.promptVersion,
            latencyMs: Math.round(performance.now() - started),
            attempts: calls.made,
          };
        } catch (error) {
          if (!(error instanceof OutputRejectedError)) throw error;
          problem = error.message;
        }
      } else {
        problem = outcome.problem;
      }
      // Logged without the problem's text: a JSON parser's message quotes the model's answer.
      this.#logger.warn(
        { event: 'llm_answer_unusable', model: this.chatModel, calls: calls.made },
        'LLM answer unusable',
      );
      if (reasks >= this.#options.maxOutputRetries) {
        throw new ModelProviderError(
          'bad_output',
          `The model's answer was unusable after ${calls.made} calls: ${problem}`,
          {
            retryable: false,
          },
        );
      }
    }
  }

  /** One HTTP call. Transport failures throw ModelProviderError; unusable answers are returned. */
  async #call(
    mode: StructuredOutputMode,
    messages: RenderedMessage[],
    schema: OutputSchema,
    usage: LlmTriageResult['usage'],
    calls: { made: number },
    signal: AbortSignal | undefined,
  ): Promise<CallOutcome> {
    calls.made += 1;
    const body = { model: this.chatModel, messages, ...this.#temperature() };
    const requestOptions = { timeout: this.#options.timeoutMs, ...(signal ? { signal } : {}) };
    try {
      if (mode === 'json_schema') {
        const completion = await this.#client.chat.completions.parse(
          { ...body, response_format: zodResponseFormat(schema, 'triage_result') },
          requestOptions,
        );
        addUsage(usage, completion);
        const message = completion.choices[0]?.message;
        if (message?.refusal) throw refusal(message.refusal);
        if (message?.parsed == null) return { valid: false, problem: 'the answer was empty' };
        // Validate again ourselves: the SDK's parsing is a convenience, not our contract.
        return validate(schema, message.parsed, completion.model || this.chatModel);
      }
      const completion = await this.#client.chat.completions.create(
        { ...body, response_format: { type: 'json_object' } },
        requestOptions,
      );
      addUsage(usage, completion);
      const choice = completion.choices[0];
      if (choice?.finish_reason === 'length') {
        throw new ModelProviderError(
          'bad_output',
          'The model stopped at its token limit before finishing the JSON.',
          {
            retryable: false,
          },
        );
      }
      if (choice?.message.refusal) throw refusal(choice.message.refusal);
      const content = choice?.message.content;
      if (!content) return { valid: false, problem: 'the answer was empty' };
      return validate(schema, parseJsonObjectAnswer(content), completion.model || this.chatModel);
    } catch (error) {
      if (error instanceof SyntaxError)
        return { valid: false, problem: `not valid JSON (${error.message})` };
      if (isZodError(error)) return { valid: false, problem: summariseIssues(error.issues) };
      throw toModelProviderError(error, { structuredOutput: mode });
    }
  }

  #temperature(): { temperature?: number } {
    const temperature =
      this.#options.temperature === undefined
        ? this.#prompt.frontMatter.temperature
        : this.#options.temperature;
    return temperature === null || temperature === undefined ? {} : { temperature };
  }
}

function validate(schema: OutputSchema, value: unknown, model: string): CallOutcome {
  const result = schema.safeParse(value);
  if (!result.success) return { valid: false, problem: summariseIssues(result.error.issues) };
  return { valid: true, output: result.data, model };
}

/** Tells the model why its last answer was rejected, inside the last user message (some chat templates require strict user/assistant alternation). */
function withCorrection(
  messages: RenderedMessage[],
  problem: string | undefined,
): RenderedMessage[] {
  if (problem === undefined) return messages;
  const last = messages.length - 1;
  return messages.map((message, index) =>
    index === last
      ? {
          ...message,
          content:
            `${message.content}\n\nYour previous answer was rejected: ${problem}. ` +
            'Answer again with one JSON object that follows the required format exactly.',
        }
      : message,
  );
}

function addUsage(
  usage: LlmTriageResult['usage'],
  completion: { usage?: OpenAI.CompletionUsage | undefined },
): void {
  usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
  usage.completionTokens += completion.usage?.completion_tokens ?? 0;
}

function refusal(text: string): ModelProviderError {
  return new ModelProviderError('bad_output', `The model refused to answer: ${text}`, {
    retryable: false,
  });
}

function isZodError(error: unknown): error is z.ZodError {
  return (
    error instanceof Error &&
    error.name === 'ZodError' &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}
