/**
 * The triage pipeline: a list of named steps (steps/), each writing typed fields on one state,
 * run in order; the policy decides in one place (decide.ts) and the result records what it was
 * given. Pure apart from the ports it is given (models, knowledge base, clock).
 */
import { slaSummary } from '../sla/sla-clock.js';
import { allDayEveryDay } from '../sla/service-hours.js';
import { normaliseText } from '../text/normalise.js';
import type { DecisionInput } from './decision-input.js';
import type { TriageEngineOptions } from './engine-ports.js';
import type { TriageLlm } from '../models/ports.js';
import { reason, describeReason } from './reasons.js';
import { answerabilityStep, decideStep } from './steps/decision.js';
import { emergencyStep, urgencyStep } from './steps/emergency.js';
import { llmStep } from './steps/llm.js';
import { entitiesStep, languageStep, redactStep, smallTalkStep } from './steps/read-message.js';
import { replyStep } from './steps/reply.js';
import { riskChecksStep } from './steps/risk-checks.js';
import {
  required,
  round,
  type StepDeps,
  type TriageState,
  type TriageStep,
} from './steps/state.js';
import {
  classifyStep,
  intentStep,
  multipleIssuesStep,
  retrieveStep,
  sentimentStep,
} from './steps/understand.js';
import type { Entities, TriageRequest, TriageResult } from './triage.js';

export type {
  ApprovedAnswerLookup,
  KnowledgeLookup,
  LlmProvider,
  TriageEngineOptions,
  TriageModels,
} from './engine-ports.js';

/** The steps in order; each reads what the steps before it wrote. */
export const triageSteps: readonly TriageStep[] = [
  languageStep,
  smallTalkStep,
  redactStep,
  entitiesStep,
  riskChecksStep,
  classifyStep,
  multipleIssuesStep,
  intentStep,
  retrieveStep,
  sentimentStep,
  llmStep,
  emergencyStep,
  urgencyStep,
  answerabilityStep,
  decideStep,
  replyStep,
];
/** What still runs after a step stops the pipeline early (small talk): the policy and the reply. */
const closingSteps: readonly TriageStep[] = [decideStep, replyStep];

export interface TriageEngine {
  triage(request: TriageRequest, context?: TriageContext): Promise<TriageResult>;
  describe(): {
    name: string;
    classifier: string;
    embedder: string;
    llmCalls: number;
    triaged: number;
    /** The LLM's response format and circuit breaker (openai and cascade providers). */
    llm?: ReturnType<NonNullable<TriageLlm['health']>>;
  };
}

export interface TriageContext {
  receivedAt?: Date;
  /** The conversation's state when the message belongs to one (intake); the policy reads it. */
  conversation?: DecisionInput['conversation'];
  /** Called after each step with its wall time in ms (bench/triage/pipeline.ts times the steps). */
  onStep?: (step: string, ms: number) => void;
}

const noEntities = (): Entities => ({ orderNumbers: [], trackingNumbers: [], amounts: [] });

export function createTriageEngine(options: TriageEngineOptions): TriageEngine {
  const { models } = options;
  const now = options.now ?? (() => new Date());
  const serviceHours = options.serviceHours ?? allDayEveryDay;
  const providerName = options.llm
    ? options.llm.mode === 'always'
      ? 'openai'
      : 'cascade'
    : models.name;
  const stats = { llmCalls: 0, triaged: 0 };
  const deps: StepDeps = { ...options, stats };

  async function triage(
    request: TriageRequest,
    context: TriageContext = {},
  ): Promise<TriageResult> {
    const text = normaliseText(request.text);
    const state: TriageState = {
      request,
      receivedAt: context.receivedAt ?? now(),
      ...(context.conversation ? { conversation: context.conversation } : {}),
      reasons: [],
      details: [],
      text,
      language: 'en',
      safeText: text,
      redactions: [],
      entities: noEntities(),
      history: [],
      followUp: false,
      topicText: text,
      flags: [],
      category: null,
      confidence: 0,
      matches: [],
      sentiment: { label: 'neutral', confidence: 0 },
      signals: [],
    };
    const run = async (step: TriageStep) => {
      if (!context.onStep) return step.run(state, deps);
      const started = performance.now();
      const outcome = await step.run(state, deps);
      context.onStep(step.name, performance.now() - started);
      return outcome;
    };
    let stopped = false;
    for (const step of triageSteps) {
      if ((await run(step)) === 'stop') {
        stopped = true;
        break;
      }
    }
    if (stopped) for (const step of closingSteps) await run(step);
    return stopped ? smallTalkResult(state) : result(state);
  }

  /** A greeting, thanks or "ok": no models ran, so most fields are their quiet defaults. */
  function smallTalkResult(state: TriageState): TriageResult {
    const decision = required(state.decision, 'decision');
    const low = reason('routine_question');
    state.reasons.push(...decision.reasons);
    state.details.push(...decision.details);
    return {
      category: null,
      confidence: 1,
      outOfScope: false,
      language: state.language,
      sentiment: state.sentiment,
      urgency: { score: 0, level: 'low', reasons: [describeReason(low)], details: [low] },
      decision: { action: decision.action, reasons: decision.reasons, details: decision.details },
      reply: required(state.reply, 'reply'),
      matches: [],
      entities: noEntities(),
      redactions: [],
      flags: [],
      sla: slaSummary(undefined, state.receivedAt, serviceHours),
      smallTalk: state.smallTalk,
      decisionInput: state.decisionInput,
      provider: providerName,
      reasons: state.reasons,
      details: state.details,
    };
  }

  function result(state: TriageState): TriageResult {
    const urgency = required(state.urgency, 'urgency');
    const decision = required(state.decision, 'decision');
    const { llm, hazard } = state;
    state.reasons.push(
      ...urgency.reasons.map((item) => `urgency: ${item}`),
      ...decision.reasons.map((item) => `decision: ${item}`),
    );
    state.details.push(...urgency.details, ...decision.details);
    const categoryConfig = options.taxonomy.categories.find((c) => c.key === state.category);
    return {
      category: state.category,
      confidence: round(state.confidence),
      outOfScope: state.category === null,
      language: state.language,
      sentiment: { label: state.sentiment.label, confidence: round(state.sentiment.confidence) },
      urgency,
      decision: { action: decision.action, reasons: decision.reasons, details: decision.details },
      reply: required(state.reply, 'reply'),
      matches: state.matches.map((match) => ({
        id: match.id,
        title: match.title,
        locale: match.locale,
        score: round(match.score),
      })),
      entities: state.entities,
      redactions: state.redactions,
      flags: state.flags,
      sla: slaSummary(categoryConfig?.sla, state.receivedAt, serviceHours),
      ...(state.answerability ? { answerability: state.answerability } : {}),
      ...(hazard
        ? {
            hazard: {
              probability: round(hazard.probability),
              reported: hazard.reported,
              ...(hazard.reported ? { kind: hazard.kind } : {}),
            },
          }
        : {}),
      ...(state.intent
        ? { intent: { label: state.intent.label, confidence: round(state.intent.confidence) } }
        : {}),
      ...(llm?.ok
        ? { llm: { model: llm.model, tokens: llm.tokens, latencyMs: llm.latencyMs } }
        : {}),
      ...(state.approvedAnswer ? { approvedAnswer: state.approvedAnswer } : {}),
      decisionInput: state.decisionInput,
      provider: llm ? `${providerName}:${llm.ok ? 'llm' : 'local-fallback'}` : providerName,
      reasons: state.reasons,
      details: state.details,
    };
  }

  return {
    triage,
    describe: () => ({
      name: providerName,
      classifier: models.category.name,
      embedder: options.embedderName(),
      ...stats,
      ...(options.llm?.model.health ? { llm: options.llm.model.health() } : {}),
    }),
  };
}
