/**
 * The triage pipeline: normalise -> language -> redact -> entities -> injection check
 * -> classify -> retrieve -> sentiment -> urgency -> decide -> draft. Each step adds
 * reasons. Pure apart from the ports it is given (models, knowledge base, clock).
 */
import type { Logger } from 'pino';
import type { Classification, Classifier, TriageLlm } from '../models/ports.js';
import { normaliseText } from '../text/normalise.js';
import { fuseCategory } from './category-fusion.js';
import { decide } from './decide.js';
import { draftReply } from './draft.js';
import { extractEntities } from './entities.js';
import type { AnswerabilityModel } from './answerability.js';
import { isShortFollowUp, MAX_HISTORY_TURNS, repeatedTurns, withTopic } from './conversation-context.js';
import type { HazardKind, HazardModel } from './hazard.js';
import { checkOutgoingText } from './output-guard.js';
import { detectCommitmentDemand, detectInjection, detectThirdPartyDataRequest } from './injection.js';
import type { createExamplesIndex } from './examples-index.js';
import { detectLanguage } from './language.js';
import { type LlmOutcome, runLlmStep } from './llm-step.js';
import { detectMultipleIssues } from './multiple-issues.js';
import { resolveIntent } from './intent.js';
import { redactPersonalData } from './pii.js';
import { detectSignals, statedWaitDays } from './signals.js';
import { allDayEveryDay, type ServiceHours } from '../sla/service-hours.js';
import { slaSummary } from '../sla/sla-clock.js';
import { markdownToPlainText } from './markdown-to-text.js';
import { describeReason, type Reason, reason } from './reasons.js';
import { detectSmallTalk, smallTalkReply } from './small-talk.js';
import { type Taxonomy, thresholdsFor } from './taxonomy.js';
import type { Entities, KbMatch, TriageRequest, TriageResult } from './triage.js';
import { scoreUrgency } from './urgency.js';

/** What the pipeline needs from the knowledge base. */
export interface KnowledgeLookup {
  search(query: string, options: { locale?: string; limit?: number }): Promise<(KbMatch & { autoReply: boolean; category: string | null })[]>;
  entry(id: string, locale: string): Promise<{ id: string; title: string; body: string; locale: string } | undefined>;
}

/** The model side of the pipeline: a category classifier, a question/request model, sentiment. */
export interface TriageModels {
  name: string;
  category: Classifier;
  intent: Classifier;
  sentiment: Classifier;
  /** The emergency detector (hazard.ts); without it the signal lexicon alone finds emergencies. */
  hazard?: HazardModel;
}

export interface LlmProvider {
  model: TriageLlm;
  /** `always` (provider openai) or only when the local models are unsure (cascade). */
  mode: 'always' | 'when_unsure';
  examples: ReturnType<typeof createExamplesIndex>;
}

export interface TriageEngineOptions {
  taxonomy: Taxonomy;
  models: TriageModels;
  llm?: LlmProvider;
  knowledge: KnowledgeLookup;
  embedderName: () => string;
  now?: () => Date;
  logger?: Logger;
  /** Working hours for the SLA due times (the same clock as tickets); round the clock when absent. */
  serviceHours?: ServiceHours;
  /** Whether the matched entry answers the message (answerability.ts); without it, retrieval alone decides. */
  answerability?: AnswerabilityModel;
}

export interface TriageEngine {
  triage(request: TriageRequest, context?: { receivedAt?: Date }): Promise<TriageResult>;
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

const languageOfLocale = (locale: string | undefined) => locale?.toLowerCase().split(/[-_]/)[0];

export function createTriageEngine(options: TriageEngineOptions): TriageEngine {
  const { taxonomy, models, knowledge } = options;
  const now = options.now ?? (() => new Date());
  const serviceHours = options.serviceHours ?? allDayEveryDay;
  const providerName = options.llm ? (options.llm.mode === 'always' ? 'openai' : 'cascade') : models.name;
  const stats = { llmCalls: 0, triaged: 0 };

  /** The answerability model's verdict on the matched entry, when there is a model that knows it. */
  function answerabilityOf(text: string, entryId: string | undefined) {
    const model = options.answerability;
    if (!model || !entryId) return {};
    const assessed = model.assess(text, entryId);
    return assessed.known ? { answerability: { entry: entryId, none: round(assessed.none), limit: model.limit } } : {};
  }

  async function triage(request: TriageRequest, context: { receivedAt?: Date } = {}): Promise<TriageResult> {
    const reasons: string[] = [];
    // The same steps as codes with parameters, for the console's languages.
    const details: Reason[] = [];
    const text = normaliseText(request.text);
    const receivedAt = context.receivedAt ?? now();
    const note = (item: Reason) => {
      reasons.push(describeReason(item));
      details.push(item);
    };

    const detected = detectLanguage(text);
    const hinted = languageOfLocale(request.locale);
    const language = detected.confidence >= 0.6 || !hinted ? detected.language : hinted;
    reasons.push(...detected.reasons);
    details.push(reason('language', { language, confidence: round(detected.confidence) }));

    // A bare greeting, thanks or "ok" is not a contact about an issue: a short reply, no models.
    const smallTalk = detectSmallTalk(text);
    if (smallTalk) {
      stats.triaged++;
      const replyLanguage = /\p{Script=Han}/u.test(text) || (!/[a-z]/i.test(text) && hinted === 'zh') ? 'zh' : language === 'zh' ? 'zh' : 'en';
      const said = reason('small_talk', { kind: smallTalk });
      const low = reason('routine_question');
      reasons.push(describeReason(said));
      details.push(said);
      return {
        category: null,
        confidence: 1,
        outOfScope: false,
        language: replyLanguage,
        sentiment: { label: smallTalk === 'greeting' ? 'neutral' : 'positive', confidence: 1 },
        urgency: { score: 0, level: 'low', reasons: [describeReason(low)], details: [low] },
        decision: { action: 'auto_reply', reasons: [describeReason(said)], details: [said] },
        reply: { text: smallTalkReply(smallTalk, replyLanguage), language: replyLanguage, citations: [], kind: 'answer' },
        matches: [],
        entities: { orderNumbers: [], trackingNumbers: [], amounts: [] },
        redactions: [],
        flags: [],
        sla: slaSummary(undefined, receivedAt, serviceHours),
        smallTalk,
        provider: providerName,
        reasons,
        details,
      };
    }

    // Everything after this line sees only the redacted text: models, logs, drafts.
    const redaction = redactPersonalData(text);
    reasons.push(...redaction.reasons);
    const safeText = redaction.text;
    const redactions = summariseRedactions(redaction.findings);
    details.push(
      redactions.length
        ? reason('redacted', { kinds: redactions.map((found) => `${found.kind}×${found.count}`).join(', ') })
        : reason('no_personal_data'),
    );

    const { entities, reasons: entityReasons } = extractEntities(safeText);
    reasons.push(...entityReasons);
    // The conversation so far, redacted like the message: its topic, references and repeats.
    const history = (request.history ?? []).slice(-MAX_HISTORY_TURNS).map((turn) => ({ author: turn.author, text: redactPersonalData(normaliseText(turn.text)).text }));
    for (const turn of history.filter((item) => item.author === 'customer')) {
      const earlier = extractEntities(turn.text).entities;
      for (const number of earlier.orderNumbers) if (!entities.orderNumbers.includes(number)) entities.orderNumbers.push(number);
      for (const tracking of earlier.trackingNumbers) {
        if (!entities.trackingNumbers.some((known) => known.number === tracking.number)) entities.trackingNumbers.push(tracking);
      }
    }
    // A short or unsure follow-up is classified and retrieved with the earlier customer turns.
    const followUp = history.some((turn) => turn.author === 'customer') && isShortFollowUp(safeText);
    const topicText = followUp ? withTopic(safeText, history) : safeText;
    const entityCounts = { orders: entities.orderNumbers.length, tracking: entities.trackingNumbers.length, amounts: entities.amounts.length };
    details.push(entityCounts.orders + entityCounts.tracking + entityCounts.amounts ? reason('entities_found', entityCounts) : reason('no_entities'));

    const flags: string[] = [];
    const injection = detectInjection(safeText);
    if (injection.flagged) {
      flags.push('prompt_injection');
      note(reason('prompt_injection', { evidence: injection.evidence[0] ?? '' }));
    }

    stats.triaged++;
    const thirdParty = detectThirdPartyDataRequest(safeText);
    if (thirdParty) {
      flags.push('third_party_data');
      note(reason('third_party_data', { evidence: thirdParty }));
    }
    const commitment = detectCommitmentDemand(safeText);
    if (commitment) {
      flags.push('commitment_request');
      note(reason('commitment_request', { evidence: commitment }));
    }

    let classification: Classification = await models.category.classify(safeText);
    if (followUp) {
      const inContext = await models.category.classify(topicText);
      if (inContext.confidence > classification.confidence) {
        classification = inContext;
        note(reason('conversation_topic', { turns: history.filter((turn) => turn.author === 'customer').length }));
      }
    }
    let category = classification.outOfScope ? null : classification.label;
    let confidence = classification.confidence;
    note(
      category
        ? reason('category', { category, confidence: classification.confidence })
        : reason('out_of_scope_guess', { category: classification.ranking[0]?.label ?? '', confidence: classification.confidence }),
    );

    const issues = await detectMultipleIssues(safeText, models.category);
    if (issues.flagged) {
      flags.push('multiple_issues');
      note(reason('multiple_issues', { categories: issues.categories.join(', ') }));
    }

    const intent = resolveIntent(safeText, await models.intent.classify(safeText));
    reasons.push(...intent.reasons);
    details.push(reason('intent', { label: intent.label, confidence: intent.confidence }));

    const searchLocale = language === 'zh' || language === 'en' ? language : undefined;
    let matches = await knowledge.search(safeText, { locale: searchLocale, limit: 5 });
    if (followUp) {
      const inContext = await knowledge.search(topicText, { locale: searchLocale, limit: 5 });
      if ((inContext[0]?.score ?? 0) > (matches[0]?.score ?? 0)) matches = inContext;
    }
    if (matches[0]) note(reason('best_match', { entry: matches[0].id, score: matches[0].score }));

    const classifierMode = taxonomy.categories.find((c) => c.key === category)?.autoReply;
    const personOnly = category !== null && classifierMode === 'never' ? category : undefined;
    if (category !== null) {
      const fused = fuseCategory(classification.ranking, matches[0], { minimumScore: thresholdsFor(taxonomy, matches[0]?.category ?? null).retrieval });
      category = fused.label;
      confidence = fused.confidence;
      if (fused.reason) {
        reasons.push(fused.reason);
        const top = classification.ranking[0];
        details.push(
          reason('category_fused', { category: fused.label ?? '', entry: matches[0]?.id ?? '', score: matches[0]?.score ?? 0, classifier: top?.label ?? '', probability: top?.probability ?? 0 }),
        );
      }
    }

    const sentimentResult = await models.sentiment.classify(safeText);
    let sentiment = {
      label: (sentimentResult.label ?? 'neutral') as 'negative' | 'neutral' | 'positive',
      confidence: sentimentResult.confidence,
    };

    // The LLM runs on every message (openai) or only when the local models are unsure
    // (cascade); its verdict replaces theirs, and its failure means a hand-off.
    let llm: LlmOutcome | undefined;
    const localThresholds = thresholdsFor(taxonomy, category);
    const unsure = confidence < Math.max(0.8, localThresholds.classifier) || !matches[0] || matches[0].score < localThresholds.retrieval;
    if (options.llm && (options.llm.mode === 'always' || unsure)) {
      stats.llmCalls++;
      const languageKey = language === 'zh' ? 'zh' : 'en';
      const candidates = [];
      for (const match of matches.slice(0, 5)) {
        const entry = await knowledge.entry(match.id, languageKey);
        if (entry) candidates.push({ id: entry.id, title: entry.title, answer: entry.body });
      }
      llm = await runLlmStep(options.llm.model, {
        text: safeText,
        language,
        taxonomy,
        examples: options.llm.examples.nearest(safeText),
        candidates,
        entities,
      });
      if (llm.ok) {
        category = llm.category;
        confidence = llm.confidence;
        sentiment = { label: llm.sentiment, confidence: 0.9 };
        for (const flag of llm.flags) if (!flags.includes(flag)) flags.push(flag);
        note(reason('llm', { model: llm.model, category: category ?? '', confidence, tokens: llm.tokens }));
      } else {
        flags.push('llm_unavailable');
        note(reason('llm_failed', { code: llm.code }));
      }
    }
    const categoryConfig = taxonomy.categories.find((c) => c.key === category);

    const signals = detectSignals(safeText);
    // The same message sent again (and again) is repeat contact, however politely it is worded.
    const repeats = repeatedTurns(safeText, history);
    if (repeats > 0 && !signals.some((signal) => signal.kind === 'repeat_contact')) {
      signals.push({ kind: 'repeat_contact', evidence: `${repeats + 1} messages about the same thing` });
    }
    if (repeats >= 2 && !signals.some((signal) => signal.kind === 'escalating_contact')) {
      signals.push({ kind: 'escalating_contact', evidence: `${repeats + 1} messages about the same thing` });
    }
    // Recall first: a reported harm the lexicon missed ("冒火星子", "puffed up") is still an emergency.
    const hazard = models.hazard?.assess(safeText);
    // Repeat contact is an emergency only in fury; calm, it is escalating contact (high).
    const furious = signals.some((signal) => signal.kind === 'anger') || sentiment.label === 'negative';
    if (hazard?.reported && hazard.kind === 'repeat_fury' && !furious) {
      if (!signals.some((signal) => signal.kind === 'escalating_contact')) signals.push({ kind: 'escalating_contact', evidence: 'emergency model' });
    } else if (hazard?.reported) {
      // The kind decides the flag: a threat, a scam, escalating contact or a danger to someone.
      const flag = hazardFlag[hazard.kind] ?? 'safety_hazard';
      if (!flags.includes(flag)) {
        flags.push(flag);
        note(reason('hazard_model', { kind: hazard.kind, probability: round(hazard.probability) }));
      }
    }
    for (const signal of signals) {
      if (['regulator_threat', 'legal_threat', 'media_threat', 'safety_hazard', 'chargeback', 'human_requested', 'account_security'].includes(signal.kind)) {
        flags.push(signal.kind);
      }
    }
    const urgency = scoreUrgency({
      category,
      autoReplyMode: categoryConfig?.autoReply ?? null,
      intent: intent.label,
      sentiment,
      signals,
      waitDays: statedWaitDays(safeText),
      amounts: entities.amounts,
      flags,
    });

    // An LLM answer is grounded in the entry it cites, when that entry was retrieved.
    const cited = llm?.ok ? matches.find((match) => llm.citations.includes(match.id)) : undefined;
    const best = cited ?? matches[0];
    // The classifier alone must not rule out the entry's category (the LLM picks its own citation).
    const classifierSupport = llm?.ok || !best ? undefined : (classification.ranking.find((score) => score.label === best.category)?.probability ?? 0);
    // A follow-up is judged with its topic, as it was classified and retrieved.
    const answerable = answerabilityOf(topicText, best?.id);
    const decisionInput = {
      category,
      outOfScope: category === null,
      autoReplyMode: categoryConfig?.autoReply ?? null,
      acknowledges: Boolean(categoryConfig?.acknowledgement),
      // Two independent models agreeing (the classifier and the category of the entry the
      // retrieval matched) is stronger evidence than the classifier's probability alone.
      classifierConfidence:
        best && best.category === category && best.score >= thresholdsFor(taxonomy, category).retrieval
          ? Math.max(confidence, 1 - (1 - confidence) * (1 - best.score))
          : confidence,
      classifierSupport,
      classifierPersonOnly: llm?.ok ? undefined : personOnly,
      intent,
      bestMatch: best ? { id: best.id, score: best.score, autoReply: best.autoReply, category: best.category } : null,
      thresholds: thresholdsFor(taxonomy, category),
      ...(answerable.answerability ? { answerability: { none: answerable.answerability.none, limit: answerable.answerability.limit } } : {}),
      urgency: urgency.level,
      maxUrgency: taxonomy.defaults.autoReplyMaxUrgency,
      flags,
    };
    let decision = decide(decisionInput);

    const replyLanguage = language === 'zh' ? 'zh' : 'en';
    // An attack or an off-topic message gets a neutral draft that quotes nothing; otherwise
    // an answer cites what it is grounded in, an acknowledgement cites nothing, and a hand-off
    // draft answers from the best entry when it is at least a plausible match.
    const neutral = flags.includes('prompt_injection') ? 'prompt_injection' : category === null ? 'out_of_scope' : undefined;
    const groundingId =
      decision.action === 'auto_reply'
        ? decision.groundedIn
        : !neutral && best && best.score >= thresholdsFor(taxonomy, category).retrieval / 2
          ? best.id
          : null;
    const grounding = groundingId ? await knowledge.entry(groundingId, replyLanguage) : undefined;
    const sla = slaSummary(categoryConfig?.sla, receivedAt, serviceHours);
    const draft = draftReply({
      language: replyLanguage,
      action: decision.action,
      entities,
      grounding: grounding ? { id: grounding.id, title: grounding.title, answer: grounding.body } : null,
      acknowledgement: categoryConfig?.acknowledgement?.[replyLanguage],
      ...(decision.action === 'handoff' && neutral ? { neutral } : {}),
      apologise: sentiment.label === 'negative' || urgency.level === 'high' || urgency.level === 'critical',
    });

    // The LLM's reply replaces the template when it is grounded in what it cites (never for
    // an attack or an off-topic message), as plain chat text.
    let reply =
      llm?.ok && !neutral && (decision.action === 'handoff' || llm.citations.includes(decision.groundedIn ?? ''))
        ? {
            text: markdownToPlainText(llm.reply),
            language: draft.language,
            citations: llm.citations.filter((id) => matches.some((m) => m.id === id)),
            kind: draft.kind,
          }
        : { text: draft.text, language: draft.language, citations: draft.citations, kind: draft.kind };

    // The last check on the text that would leave (output-guard.ts): personal data, promises the
    // cited entries do not make, configuration text. A failing answer becomes a hand-off through the
    // same policy function, and a failing draft is replaced by one that quotes nothing.
    const sources: string[] = [];
    for (const id of new Set([...(grounding ? [grounding.id] : []), ...reply.citations])) {
      const entry = id === grounding?.id ? grounding : await knowledge.entry(id, replyLanguage);
      if (entry) sources.push(entry.title, entry.body);
    }
    const guard = checkOutgoingText(reply.text, sources);
    if (!guard.passed) {
      flags.push('output_blocked');
      note(reason('output_blocked', { violations: guard.violations.map((violation) => `${violation.code} (${violation.evidence})`).join(', ') }));
      decision = decide({ ...decisionInput, flags });
      const safe = draftReply({
        language: replyLanguage,
        action: 'handoff',
        entities,
        grounding: null,
        neutral: 'no_match',
        apologise: sentiment.label === 'negative' || urgency.level === 'high' || urgency.level === 'critical',
      });
      reply = { text: safe.text, language: safe.language, citations: [], kind: safe.kind };
    }

    reasons.push(...urgency.reasons.map((reason) => `urgency: ${reason}`), ...decision.reasons.map((reason) => `decision: ${reason}`));
    details.push(...urgency.details, ...decision.details);
    return {
      category,
      confidence: round(confidence),
      outOfScope: category === null,
      language,
      sentiment: { label: sentiment.label, confidence: round(sentiment.confidence) },
      urgency,
      decision: { action: decision.action, reasons: decision.reasons, details: decision.details },
      reply,
      matches: matches.map((match) => ({ id: match.id, title: match.title, locale: match.locale, score: round(match.score) })),
      entities: entities as Entities,
      redactions,
      flags,
      sla,
      ...answerable,
      ...(hazard ? { hazard: { probability: round(hazard.probability), reported: hazard.reported, ...(hazard.reported ? { kind: hazard.kind } : {}) } } : {}),
      provider: llm ? `${providerName}:${llm.ok ? 'llm' : 'local-fallback'}` : providerName,
      reasons,
      details,
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

/** The flag an emergency of each kind raises (all of them critical in urgency.ts); others are safety hazards. */
const hazardFlag: Partial<Record<HazardKind, string>> = { threat: 'threat', scam: 'scam', repeat_fury: 'escalation' };

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function summariseRedactions(findings: { kind: string }[]): { kind: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
  return [...counts.entries()].map(([kind, count]) => ({ kind, count }));
}
