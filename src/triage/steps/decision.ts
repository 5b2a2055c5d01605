/**
 * Whether the entry answers what was asked (answerability.ts), then the policy (decide.ts) on
 * every earlier step's typed verdict. The input is kept in the result so a decision can be
 * replayed with the same function.
 */
import { decide } from '../decide.js';
import type { DecisionInput } from '../decision-input.js';
import { thresholdsFor } from '../taxonomy.js';
import { required, round, type TriageState, type TriageStep } from './state.js';

export const answerabilityStep: TriageStep = {
  name: 'answerability',
  run(state, { answerability: model }) {
    // An LLM answer is grounded in the entry it cites, when that entry was retrieved.
    const llm = state.llm;
    const cited = llm?.ok
      ? state.matches.find((match) => llm.citations.includes(match.id))
      : undefined;
    state.best = cited ?? state.matches[0];
    if (!model || !state.best) return;
    // A follow-up is judged with its topic, as it was classified and retrieved.
    const assessed = model.assess(state.topicText, state.best.id);
    if (assessed.known)
      state.answerability = {
        entry: state.best.id,
        none: round(assessed.none),
        limit: model.limit,
      };
  },
};

export const decideStep: TriageStep = {
  name: 'decide',
  run(state, { taxonomy }) {
    state.decisionInput = state.smallTalk
      ? smallTalkInput(state, taxonomy.defaults.autoReplyMaxUrgency)
      : decisionInput(state, taxonomy);
    state.decision = decide(state.decisionInput);
  },
};

/** The decision reads the intent's label and confidence, not its reasons. */
const intentOf = ({
  label,
  confidence,
}: {
  label: 'question' | 'request';
  confidence: number;
}) => ({ label, confidence });

function decisionInput(
  state: TriageState,
  taxonomy: Parameters<typeof thresholdsFor>[0],
): DecisionInput {
  const { best, category, confidence } = state;
  const categoryConfig = taxonomy.categories.find((c) => c.key === category);
  const llmOk = state.llm?.ok ?? false;
  const classification = required(state.classification, 'classification');
  const thresholds = thresholdsFor(taxonomy, category);
  return {
    category,
    outOfScope: category === null,
    autoReplyMode: categoryConfig?.autoReply ?? null,
    acknowledges: Boolean(categoryConfig?.acknowledgement),
    // Two independent models agreeing (the classifier and the category of the entry the
    // retrieval matched) is stronger evidence than the classifier's probability alone.
    classifierConfidence:
      best && best.category === category && best.score >= thresholds.retrieval
        ? Math.max(confidence, 1 - (1 - confidence) * (1 - best.score))
        : confidence,
    // The classifier alone must not rule out the entry's category (the LLM picks its own citation).
    ...(llmOk || !best
      ? {}
      : {
          classifierSupport:
            classification.ranking.find((score) => score.label === best.category)?.probability ?? 0,
        }),
    ...(llmOk || !state.personOnly ? {} : { classifierPersonOnly: state.personOnly }),
    intent: intentOf(required(state.intent, 'intent')),
    bestMatch: best
      ? { id: best.id, score: best.score, autoReply: best.autoReply, category: best.category }
      : null,
    thresholds,
    ...(state.answerability
      ? { answerability: { none: state.answerability.none, limit: state.answerability.limit } }
      : {}),
    urgency: required(state.urgency, 'urgency').level,
    maxUrgency: taxonomy.defaults.autoReplyMaxUrgency,
    flags: [...state.flags],
    ...(state.conversation ? { conversation: state.conversation } : {}),
  };
}

/** Small talk skips the models; the policy still decides whether it is answered or kept with a ticket. */
function smallTalkInput(
  state: TriageState,
  maxUrgency: DecisionInput['maxUrgency'],
): DecisionInput {
  return {
    category: null,
    outOfScope: false,
    autoReplyMode: null,
    acknowledges: true,
    classifierConfidence: 1,
    intent: { label: 'question', confidence: 1 },
    bestMatch: null,
    thresholds: { classifier: 0, retrieval: 0 },
    urgency: 'low',
    maxUrgency,
    flags: [],
    smallTalk: state.smallTalk,
    ...(state.conversation ? { conversation: state.conversation } : {}),
  };
}
