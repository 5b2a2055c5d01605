/**
 * Template drafting for the local provider: the reply a person would send, in the
 * customer's language. An answer (the bot's, or an agent's hand-off draft) is the matched
 * entry's text as plain chat text, framed by a greeting that names the order or parcel found
 * and a closing; it never states amounts, compensation or dates beyond what the entry says.
 * A hand-off draft carries no holding message and no promise of when someone will reply:
 * the agent who accepts it is that someone (the customer's acknowledgement is a separate
 * bot message, see handoff-acknowledgement.ts). Off-topic and attack messages get a short
 * neutral draft that quotes nothing.
 */
import { markdownToPlainText } from './markdown-to-text.js';
import type { Entities } from './triage.js';

/** Why a hand-off gets a neutral draft instead of an entry's answer. */
export type NeutralReason = 'out_of_scope' | 'prompt_injection' | 'no_match';

export interface DraftInput {
  language: string;
  action: 'auto_reply' | 'handoff';
  entities: Entities;
  /** Knowledge-base answer (Markdown) to ground the reply in, already in the reply language. */
  grounding: { id: string; title: string; answer: string } | null;
  /** Fixed acknowledgement for categories that thank rather than answer (e.g. feedback). */
  acknowledgement?: string;
  /** Set for hand-offs that must not quote an entry: off-topic, an attack, nothing relevant. */
  neutral?: NeutralReason;
  apologise: boolean;
}

export interface Draft {
  text: string;
  language: 'zh' | 'en';
  citations: string[];
  kind: 'answer' | 'handoff_draft';
}

function referenceLine(entities: Entities, language: 'zh' | 'en'): string {
  const order = entities.orderNumbers[0];
  const tracking = entities.trackingNumbers[0]?.number;
  if (language === 'zh') {
    if (order && tracking) return `关于您的订单 ${order}（运单号 ${tracking}）：`;
    if (order) return `关于您的订单 ${order}：`;
    if (tracking) return `关于运单 ${tracking}：`;
    return '';
  }
  if (order && tracking) return `About your order ${order} (tracking number ${tracking}): `;
  if (order) return `About your order ${order}: `;
  if (tracking) return `About the parcel with tracking number ${tracking}: `;
  return '';
}

const phrases = {
  zh: {
    hello: '您好！',
    sorry: '您好，非常抱歉给您带来不便。',
    closing: '如还有其他问题，随时告诉我们。',
    askWhat:
      '请问有什么可以帮您？如果是订单、物流、退换货或售后方面的问题，请告诉我们订单号和具体情况。',
    refuse:
      '抱歉，这个请求我们无法处理。如果您有订单、物流、退换货或售后方面的问题，请告诉我们，我们很乐意帮您。',
    checking: '关于您说的情况，我们来为您核实处理。',
    askOrder: '方便的话，请提供一下订单号。',
  },
  en: {
    hello: 'Hello!',
    sorry: 'Hello, and we are very sorry for the trouble.',
    closing: 'If there is anything else, just let us know.',
    askWhat:
      'How can we help? If it is about an order, a delivery, a return or after-sales service, please tell us your order number and what happened.',
    refuse:
      'Sorry, we cannot help with that request. If you have a question about an order, a delivery, a return or after-sales service, just let us know.',
    checking: 'We are looking into what you described for you.',
    askOrder: 'Could you tell us your order number?',
  },
} as const;

export function draftReply(input: DraftInput): Draft {
  const language: 'zh' | 'en' = input.language === 'zh' ? 'zh' : 'en';
  const say = phrases[language];
  const reference = referenceLine(input.entities, language);
  const join = (...parts: string[]) => parts.filter(Boolean).join(language === 'zh' ? '' : ' ');

  if (input.action === 'auto_reply') {
    const body = input.grounding
      ? markdownToPlainText(input.grounding.answer)
      : (input.acknowledgement ?? '');
    const text = `${say.hello}${language === 'zh' ? '' : ' '}${reference}${reference ? '\n\n' : ''}${body}\n\n${say.closing}`;
    return {
      text: text.trim(),
      language,
      citations: input.grounding ? [input.grounding.id] : [],
      kind: 'answer',
    };
  }

  const opening = input.apologise ? say.sorry : say.hello;
  if (input.neutral === 'prompt_injection' || input.neutral === 'out_of_scope') {
    const text = join(say.hello, input.neutral === 'prompt_injection' ? say.refuse : say.askWhat);
    return { text, language, citations: [], kind: 'handoff_draft' };
  }
  if (!input.grounding || input.neutral === 'no_match') {
    const hasOrder =
      input.entities.orderNumbers.length > 0 || input.entities.trackingNumbers.length > 0;
    const text = join(opening, reference.trim(), say.checking, hasOrder ? '' : say.askOrder);
    return { text, language, citations: [], kind: 'handoff_draft' };
  }
  const body = markdownToPlainText(input.grounding.answer);
  const text = `${opening}${reference ? (language === 'zh' ? '' : ' ') + reference.trim() : ''}\n\n${body}\n\n${say.closing}`;
  return { text, language, citations: [input.grounding.id], kind: 'handoff_draft' };
}
