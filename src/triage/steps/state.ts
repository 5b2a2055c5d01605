/**
 * The state one message carries through the triage steps. Each step reads the fields of the
 * steps before it and writes its own typed fields; reasons are for people, never the place a
 * later step reads data from.
 */
import type { Classification } from '../../models/ports.js';
import type { Decision } from '../decide.js';
import type { DecisionInput } from '../decision-input.js';
import type { TriageEngineOptions } from '../engine-ports.js';
import type { HistoryTurn } from '../conversation-context.js';
import type { HazardAssessment } from '../hazard.js';
import type { Intent } from '../intent.js';
import type { LlmOutcome } from '../llm-step.js';
import { describeReason, type Reason } from '../reasons.js';
import type { Signal } from '../signals.js';
import type { Entities, KbMatch, TriageRequest, TriageResult } from '../triage.js';
import type { Urgency } from '../urgency.js';

export type EngineMatch = KbMatch & { autoReply: boolean; category: string | null };
export type Sentiment = { label: 'negative' | 'neutral' | 'positive'; confidence: number };

export interface TriageState {
  readonly request: TriageRequest;
  readonly receivedAt: Date;
  readonly conversation?: DecisionInput['conversation'];
  /** English reasons (the contract) and the same as codes, in step order. */
  readonly reasons: string[];
  readonly details: Reason[];
  /** The normalised text; after `redact`, `safeText` is all any later step may read. */
  text: string;
  /** The language of the locale the caller gave, if any. */
  hinted?: string;
  language: string;
  smallTalk?: NonNullable<TriageResult['smallTalk']>;
  safeText: string;
  redactions: TriageResult['redactions'];
  entities: Entities;
  /** Earlier turns, redacted; a short follow-up is classified and retrieved with its topic. */
  history: HistoryTurn[];
  followUp: boolean;
  topicText: string;
  flags: string[];
  classification?: Classification;
  category: string | null;
  confidence: number;
  /** The classifier's own category when only a person handles it (before retrieval may relabel). */
  personOnly?: string;
  intent?: Intent;
  matches: EngineMatch[];
  sentiment: Sentiment;
  llm?: LlmOutcome;
  signals: Signal[];
  hazard?: HazardAssessment;
  urgency?: Urgency;
  /** The entry an answer would be grounded in (the LLM's citation, else the best match). */
  best?: EngineMatch;
  answerability?: { entry: string; none: number; limit: number };
  decisionInput?: DecisionInput;
  decision?: Decision;
  reply?: TriageResult['reply'];
  /** Set when the reply is an approved answer instead of the entry's text. */
  approvedAnswer?: TriageResult['approvedAnswer'];
}

/** A named step of the pipeline; `stop` ends the pipeline early (small talk needs no models). */
export interface TriageStep {
  name: string;
  run(state: TriageState, deps: StepDeps): void | 'stop' | Promise<void | 'stop'>;
}

export interface StepDeps extends TriageEngineOptions {
  stats: { llmCalls: number; triaged: number };
}

/** Adds a reason in both forms. */
export function note(state: TriageState, item: Reason): void {
  state.reasons.push(describeReason(item));
  state.details.push(item);
}

/** A value a later step needs from an earlier one; a missing one is a wiring bug, not bad input. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`triage step order: ${what} is not set yet`);
  return value;
}

export const round = (value: number): number => Math.round(value * 1000) / 1000;
