/**
 * The triage pipeline: normalise -> language -> redact -> entities -> injection check
 * -> classify -> retrieve -> sentiment -> urgency -> decide -> draft. Each step adds
 * reasons. Pure apart from the ports it is given (models, knowledge base, clock).
 */
import type { Logger } from 'pino';
import type { Classification, Classifier } from '../models/ports.js';
import { normaliseText } from '../text/normalise.js';
import { decide } from './decide.js';
import { draftReply } from './draft.js';
import { extractEntities } from './entities.js';
import { detectInjection } from './injection.js';
import { detectLanguage } from './language.js';
import { redactPersonalData } from './pii.js';
import { detectSignals, statedWaitDays } from './signals.js';
import { slaFor } from './sla.js';
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
}

export interface TriageEngineOptions {
  taxonomy: Taxonomy;
  models: TriageModels;
  knowledge: KnowledgeLookup;
  embedderName: () => string;
  now?: () => Date;
  logger?: Logger;
}

export interface TriageEngine {
  triage(request: TriageRequest, context?: { receivedAt?: Date }): Promise<TriageResult>;
  describe(): { name: string; classifier: string; embedder: string };
}

const languageOfLocale = (locale: string | undefined) => locale?.toLowerCase().split(/[-_]/)[0];

export function createTriageEngine(options: TriageEngineOptions): TriageEngine {
  const { taxonomy, models, knowledge } = options;
  const now = options.now ?? (() => new Date());

  async function triage(request: TriageRequest, context: { receivedAt?: Date } = {}): Promise<TriageResult> {
    const reasons: string[] = [];
    const text = normaliseText(request.text);

    const detected = detectLanguage(text);
    const hinted = languageOfLocale(request.locale);
    const language = detected.confidence >= 0.6 || !hinted ? detected.language : hinted;
    reasons.push(...detected.reasons);

    // Everything after this line sees only the redacted text: models, logs, drafts.
    const redaction = redactPersonalData(text);
    reasons.push(...redaction.reasons);
    const safeText = redaction.text;

    const { entities, reasons: entityReasons } = extractEntities(safeText);
    reasons.push(...entityReasons);

    const flags: string[] = [];
    const injection = detectInjection(safeText);
    if (injection.flagged) {
      flags.push('prompt_injection');
      reasons.push(`possible prompt injection: "${injection.evidence[0]}"`);
    }

    const classification: Classification = await models.category.classify(safeText);
    const category = classification.outOfScope ? null : classification.label;
    const categoryConfig = taxonomy.categories.find((c) => c.key === category);
    reasons.push(
      category
        ? `category ${category} (${classification.confidence.toFixed(2)})`
        : `out of scope (best guess ${classification.ranking[0]?.label ?? 'none'} ${classification.confidence.toFixed(2)})`,
    );

    const intentResult = await models.intent.classify(safeText);
    const intent = {
      label: (intentResult.label === 'request' ? 'request' : 'question') as 'question' | 'request',
      confidence: intentResult.confidence,
    };

    const matches = await knowledge.search(safeText, { locale: language === 'zh' || language === 'en' ? language : undefined, limit: 5 });
    if (matches[0]) reasons.push(`best knowledge-base match ${matches[0].id} (${matches[0].score.toFixed(2)})`);

    const sentimentResult = await models.sentiment.classify(safeText);
    const sentiment = {
      label: (sentimentResult.label ?? 'neutral') as 'negative' | 'neutral' | 'positive',
      confidence: sentimentResult.confidence,
    };

    const signals = detectSignals(safeText);
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

    const best = matches[0];
    const decision = decide({
      category,
      outOfScope: classification.outOfScope,
      autoReplyMode: categoryConfig?.autoReply ?? null,
      acknowledges: Boolean(categoryConfig?.acknowledgement),
      classifierConfidence: classification.confidence,
      intent,
      bestMatch: best ? { id: best.id, score: best.score, autoReply: best.autoReply } : null,
      thresholds: thresholdsFor(taxonomy, category),
      urgency: urgency.level,
      maxUrgency: taxonomy.defaults.autoReplyMaxUrgency,
      flags,
    });

    const replyLanguage = language === 'zh' ? 'zh' : 'en';
    // An answer cites what it is grounded in; an acknowledgement cites nothing; a hand-off
    // draft quotes the best entry when it is at least a plausible match, for the agent.
    const groundingId =
      decision.action === 'auto_reply'
        ? decision.groundedIn
        : best && best.score >= thresholdsFor(taxonomy, category).retrieval / 2
          ? best.id
          : null;
    const grounding = groundingId ? await knowledge.entry(groundingId, replyLanguage) : undefined;
    const sla = slaFor(categoryConfig, context.receivedAt ?? now());
    const draft = draftReply({
      language: replyLanguage,
      action: decision.action,
      entities,
      grounding: grounding ? { id: grounding.id, title: grounding.title, answer: grounding.body } : null,
      acknowledgement: categoryConfig?.acknowledgement?.[replyLanguage],
      firstResponseMinutes: sla.firstResponseMinutes,
      apologise: sentiment.label === 'negative' || urgency.level === 'high' || urgency.level === 'critical',
    });

    reasons.push(...urgency.reasons.map((reason) => `urgency: ${reason}`), ...decision.reasons.map((reason) => `decision: ${reason}`));
    return {
      category,
      confidence: round(classification.confidence),
      outOfScope: classification.outOfScope,
      language,
      sentiment: { label: sentiment.label, confidence: round(sentiment.confidence) },
      urgency,
      decision: { action: decision.action, reasons: decision.reasons },
      reply: { text: draft.text, language: draft.language, citations: draft.citations, kind: draft.kind },
      matches: matches.map((match) => ({ id: match.id, title: match.title, locale: match.locale, score: round(match.score) })),
      entities: entities as Entities,
      redactions: summariseRedactions(redaction.findings),
      flags,
      sla,
      provider: models.name,
      reasons,
    };
  }

  return {
    triage,
    describe: () => ({ name: models.name, classifier: models.category.name, embedder: options.embedderName() }),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function summariseRedactions(findings: { kind: string }[]): { kind: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
  return [...counts.entries()].map(([kind, count]) => ({ kind, count }));
}
