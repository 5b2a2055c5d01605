/**
 * Emergencies and escalation, recall first: the signal lexicon, the same message sent again,
 * and the emergency model (hazard.ts), which finds a reported harm the lexicon missed. Then the
 * urgency score from everything known so far.
 */
import { repeatedTurns } from '../conversation-context.js';
import type { HazardKind } from '../hazard.js';
import { reason } from '../reasons.js';
import { detectSignals, statedWaitDays } from '../signals.js';
import { scoreUrgency } from '../urgency.js';
import { note, round, type TriageStep } from './state.js';

/** The flag an emergency of each kind raises (all of them critical in urgency.ts); others are safety hazards. */
const hazardFlag: Partial<Record<HazardKind, string>> = {
  threat: 'threat',
  scam: 'scam',
  repeat_fury: 'escalation',
};
/** Signals that are also flags: each one needs a person whatever the rest of the message says. */
const flaggedSignals = new Set([
  'regulator_threat',
  'legal_threat',
  'media_threat',
  'safety_hazard',
  'chargeback',
  'human_requested',
  'account_security',
]);

export const emergencyStep: TriageStep = {
  name: 'emergency',
  run(state, { models }) {
    const signals = detectSignals(state.safeText);
    // The same message sent again (and again) is repeat contact, however politely it is worded.
    const repeats = repeatedTurns(state.safeText, state.history);
    if (repeats > 0 && !signals.some((signal) => signal.kind === 'repeat_contact')) {
      signals.push({
        kind: 'repeat_contact',
        evidence: `${repeats + 1} messages about the same thing`,
      });
    }
    if (repeats >= 2 && !signals.some((signal) => signal.kind === 'escalating_contact')) {
      signals.push({
        kind: 'escalating_contact',
        evidence: `${repeats + 1} messages about the same thing`,
      });
    }
    // A short follow-up ("那华为的呢", "and my switch?") tells the model little alone: it is
    // read with its topic, like the classifier reads it. The lexicon above still reads it alone.
    const hazard = models.hazard?.assess(state.topicText);
    state.hazard = hazard;
    // Repeat contact is an emergency only in fury; calm, it is escalating contact (high).
    const furious =
      signals.some((signal) => signal.kind === 'anger') || state.sentiment.label === 'negative';
    if (hazard?.reported && hazard.kind === 'repeat_fury' && !furious) {
      if (!signals.some((signal) => signal.kind === 'escalating_contact'))
        signals.push({ kind: 'escalating_contact', evidence: 'emergency model' });
    } else if (hazard?.reported) {
      // The kind decides the flag: a threat, a scam, escalating contact or a danger to someone.
      const flag = hazardFlag[hazard.kind] ?? 'safety_hazard';
      if (!state.flags.includes(flag)) {
        state.flags.push(flag);
        note(
          state,
          reason('hazard_model', { kind: hazard.kind, probability: round(hazard.probability) }),
        );
      }
    }
    for (const signal of signals)
      if (flaggedSignals.has(signal.kind)) state.flags.push(signal.kind);
    state.signals = signals;
  },
};

export const urgencyStep: TriageStep = {
  name: 'urgency',
  run(state, { taxonomy }) {
    state.urgency = scoreUrgency({
      category: state.category,
      autoReplyMode: taxonomy.categories.find((c) => c.key === state.category)?.autoReply ?? null,
      intent: state.intent?.label ?? 'question',
      sentiment: state.sentiment,
      signals: state.signals,
      waitDays: statedWaitDays(state.safeText),
      amounts: state.entities.amounts,
      flags: state.flags,
    });
  },
};
