/**
 * The first steps: which language, whether it is only small talk, personal data out of the
 * text (everything after `redact` sees only the redacted text), and the order and tracking
 * numbers of this message and the conversation so far.
 */
import { normaliseText } from '../../text/normalise.js';
import { isShortFollowUp, MAX_HISTORY_TURNS, withTopic } from '../conversation-context.js';
import { extractEntities } from '../entities.js';
import { detectLanguage } from '../language.js';
import { redactPersonalData } from '../pii.js';
import { reason } from '../reasons.js';
import { detectSmallTalk } from '../small-talk.js';
import { round, type TriageStep } from './state.js';

const languageOfLocale = (locale: string | undefined) => locale?.toLowerCase().split(/[-_]/)[0];

export const languageStep: TriageStep = {
  name: 'language',
  run(state) {
    const detected = detectLanguage(state.text);
    state.hinted = languageOfLocale(state.request.locale);
    state.language = detected.confidence >= 0.6 || !state.hinted ? detected.language : state.hinted;
    state.reasons.push(...detected.reasons);
    state.details.push(
      reason('language', { language: state.language, confidence: round(detected.confidence) }),
    );
  },
};

/** A bare greeting, thanks or "ok" is not a contact about an issue: a short reply, no models. */
export const smallTalkStep: TriageStep = {
  name: 'small_talk',
  run(state, deps) {
    const kind = detectSmallTalk(state.text);
    if (!kind) return;
    deps.stats.triaged++;
    state.smallTalk = kind;
    // Replied to in the script the customer wrote in.
    state.language =
      /\p{Script=Han}/u.test(state.text) || (!/[a-z]/i.test(state.text) && state.hinted === 'zh')
        ? 'zh'
        : state.language === 'zh'
          ? 'zh'
          : 'en';
    state.sentiment = { label: kind === 'greeting' ? 'neutral' : 'positive', confidence: 1 };
    state.confidence = 1;
    return 'stop';
  },
};

export const redactStep: TriageStep = {
  name: 'redact',
  run(state) {
    const redaction = redactPersonalData(state.text);
    state.reasons.push(...redaction.reasons);
    state.safeText = redaction.text;
    const counts = new Map<string, number>();
    for (const finding of redaction.findings)
      counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
    state.redactions = [...counts.entries()].map(([kind, count]) => ({ kind, count }));
    state.details.push(
      state.redactions.length
        ? reason('redacted', {
            kinds: state.redactions.map((found) => `${found.kind}×${found.count}`).join(', '),
          })
        : reason('no_personal_data'),
    );
  },
};

/** Entities of the message and of the earlier customer turns (redacted like the message). */
export const entitiesStep: TriageStep = {
  name: 'entities',
  run(state) {
    const { entities, reasons } = extractEntities(state.safeText);
    state.reasons.push(...reasons);
    state.history = (state.request.history ?? []).slice(-MAX_HISTORY_TURNS).map((turn) => ({
      author: turn.author,
      text: redactPersonalData(normaliseText(turn.text)).text,
    }));
    for (const turn of state.history.filter((item) => item.author === 'customer')) {
      const earlier = extractEntities(turn.text).entities;
      for (const number of earlier.orderNumbers)
        if (!entities.orderNumbers.includes(number)) entities.orderNumbers.push(number);
      for (const tracking of earlier.trackingNumbers) {
        if (!entities.trackingNumbers.some((known) => known.number === tracking.number))
          entities.trackingNumbers.push(tracking);
      }
    }
    state.entities = entities;
    // A short or unsure follow-up is classified and retrieved with the earlier customer turns.
    state.followUp =
      state.history.some((turn) => turn.author === 'customer') && isShortFollowUp(state.safeText);
    state.topicText = state.followUp ? withTopic(state.safeText, state.history) : state.safeText;
    const counts = {
      orders: entities.orderNumbers.length,
      tracking: entities.trackingNumbers.length,
      amounts: entities.amounts.length,
    };
    state.details.push(
      counts.orders + counts.tracking + counts.amounts
        ? reason('entities_found', counts)
        : reason('no_entities'),
    );
  },
};
