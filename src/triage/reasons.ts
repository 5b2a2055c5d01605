/**
 * Typed reasons: each reason a triage step gives is a code with parameters, so the console
 * can show it in the agent's language (its zh and en templates are in
 * src/console/public/strings.js, one per code); the English sentence of `/v1/triage`'s
 * string `reasons` is made here from the same code, so the two never disagree.
 * Parameters hold codes (categories, flags, signal kinds), numbers and the customer's own
 * words, never English prose.
 */
import { z } from '@hono/zod-openapi';

type Params = Record<string, string | number>;
const text = (value: string | number | undefined) => String(value ?? '');
const fixed = (value: string | number | undefined) => Number(value ?? 0).toFixed(2);
const spaced = (value: string | number | undefined) => text(value).replace(/_/g, ' ');

function days(value: string | number | undefined): string {
  const count = Number(value ?? 0);
  return count >= 1
    ? `${Math.round(count)} day${Math.round(count) === 1 ? '' : 's'}`
    : `${Math.round(count * 24)} hours`;
}

/** The English sentence of every reason code (what `/v1/triage` has always returned). */
const english = {
  // urgency
  signal: (p: Params) => `${spaced(p.kind)}: "${text(p.evidence)}"`,
  model_flag: (p: Params) => `${text(p.flag).replace('_', ' ')} (model)`,
  output_blocked: (p: Params) => `reply held back by the output check: ${text(p.violations)}`,
  conversation_topic: (p: Params) =>
    `classified with the ${text(p.turns)} earlier customer turn(s) of the conversation`,
  repeat_fury: () => 'repeated contact in anger: escalate',
  hazard_model: (p: Params) =>
    `reported ${text(p.kind).replace('_', ' ')} (emergency model, p=${text(p.probability)})`,
  complaint_sla: () => 'complaint: acknowledged within the hour',
  stated_wait: (p: Params) => `stated wait of ${days(p.days)}`,
  money_at_stake: (p: Params) => `money at stake: ${text(p.amount)}`,
  person_must_act: (p: Params) => `${text(p.category)}: a person must act`,
  injection_attempt: () => 'prompt injection attempt',
  routine_question: () => 'routine question',
  negative_tone: () => 'negative tone',
  // decision
  risk_flags: (p: Params) => `risk flag: ${text(p.flags)}`,
  out_of_scope: () => 'out of scope for the taxonomy',
  not_answerable: (p: Params) =>
    `${text(p.entry)} is the nearest entry but does not answer this (no-entry probability ${text(p.none)} >= ${text(p.limit)})`,
  classifier_person_only: (p: Params) =>
    `the classifier alone says ${text(p.category)}, which a person handles`,
  person_only_category: (p: Params) => `category ${text(p.category)} is always handled by a person`,
  request_needs_person: (p: Params) =>
    `a request, not a policy question: ${text(p.category)} requests need a person`,
  classifier_unsure: (p: Params) =>
    `classifier unsure (${fixed(p.confidence)} < ${text(p.threshold)})`,
  urgency_above: (p: Params) => `urgency ${text(p.level)} is above ${text(p.max)}`,
  no_match: () => 'no knowledge-base entry matches',
  match_unsure: (p: Params) =>
    `best knowledge-base match ${text(p.entry)} is not confident (${fixed(p.score)} < ${text(p.threshold)})`,
  entry_person_only: (p: Params) => `entry ${text(p.entry)} is sent by a person only`,
  classifier_rules_out: (p: Params) =>
    `entry ${text(p.entry)} is about ${p.category ? text(p.category) : 'another topic'}, which the classifier rules out (${fixed(p.support)})`,
  answered_from: (p: Params) => `answered from ${text(p.entry)}`,
  acknowledged: (p: Params) => `acknowledged (${text(p.category)})`,
  agent_handling: () =>
    'an agent is handling this conversation: the bot stays silent until the ticket is solved',
  small_talk: (p: Params) => `only a ${text(p.kind)}: answered briefly, no ticket`,
  small_talk_on_ticket: (p: Params) =>
    `only a ${text(p.kind)} on an open ticket: added to it, nothing re-triaged`,
  triage_failed: (p: Params) => `triage failed (${text(p.error)}): handed to a human`,
  // pipeline steps
  language: (p: Params) => `language ${text(p.language)} (${fixed(p.confidence)})`,
  redacted: (p: Params) => `personal data removed: ${text(p.kinds)}`,
  no_personal_data: () => 'no personal data found',
  entities_found: (p: Params) =>
    `found ${text(p.orders)} order, ${text(p.tracking)} tracking numbers, ${text(p.amounts)} amounts`,
  no_entities: () => 'no order or tracking number, amount or date found',
  prompt_injection: (p: Params) => `possible prompt injection: "${text(p.evidence)}"`,
  third_party_data: (p: Params) =>
    `asks about another person's data or order: "${text(p.evidence)}"`,
  commitment_request: (p: Params) =>
    `asks for a commitment only a person can make: "${text(p.evidence)}"`,
  category: (p: Params) => `category ${text(p.category)} (${fixed(p.confidence)})`,
  out_of_scope_guess: (p: Params) =>
    `out of scope (best guess ${text(p.category) || 'none'} ${fixed(p.confidence)})`,
  multiple_issues: (p: Params) => `several issues in one message: ${text(p.categories)}`,
  intent: (p: Params) => `${text(p.label)} (${fixed(p.confidence)})`,
  best_match: (p: Params) => `best knowledge-base match ${text(p.entry)} (${fixed(p.score)})`,
  category_fused: (p: Params) =>
    `category ${text(p.category)} from the match ${text(p.entry)} (${fixed(p.score)}) over the classifier's ${text(p.classifier)} (${fixed(p.probability)})`,
  llm: (p: Params) =>
    `LLM ${text(p.model)}: ${p.category ? text(p.category) : 'out of scope'} (${fixed(p.confidence)}), ${text(p.tokens)} tokens`,
  llm_failed: (p: Params) => `LLM failed (${text(p.code)}): local result kept, handed off`,
  urgency: (p: Params) => `urgency ${text(p.level)} (${text(p.score)})`,
  decision: (p: Params) => `decision ${text(p.action)}`,
} satisfies Record<string, (params: Params) => string>;

export type ReasonCode = keyof typeof english;

export interface Reason {
  code: ReasonCode;
  params: Params;
}

export const reasonSchema = z
  .object({
    code: z.string().openapi({ example: 'signal' }),
    params: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .openapi({ example: { kind: 'anger', evidence: '垃圾' } }),
  })
  .openapi('TriageReason', {
    description: 'A reason as a code and its parameters, for showing it in any language',
  });

export function reason(code: ReasonCode, params: Params = {}): Reason {
  return { code, params };
}

/** The English sentence of a reason. */
export function describeReason(item: Reason): string {
  return english[item.code](item.params);
}
