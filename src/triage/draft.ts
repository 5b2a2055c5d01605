/**
 * Template drafting for the local provider: the reply is the knowledge-base answer in
 * the customer's language, framed by a greeting that names the order or parcel found,
 * and for a hand-off a message an agent can send as is. It never states amounts,
 * compensation or dates beyond what the cited answer says.
 */
import type { Entities } from './triage.js';

export interface DraftInput {
  language: string;
  action: 'auto_reply' | 'handoff';
  entities: Entities;
  /** Knowledge-base answer to ground the reply in, already in the reply language. */
  grounding: { id: string; title: string; answer: string } | null;
  /** Fixed acknowledgement for categories that thank rather than answer (e.g. feedback). */
  acknowledgement?: string;
  firstResponseMinutes: number;
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

function waitPhrase(minutes: number, language: 'zh' | 'en'): string {
  if (language === 'zh') return minutes >= 60 ? `${Math.round(minutes / 60)} 小时` : `${minutes} 分钟`;
  if (minutes >= 60) {
    const hours = Math.round(minutes / 60);
    return `${hours} hour${hours === 1 ? '' : 's'}`;
  }
  return `${minutes} minutes`;
}

export function draftReply(input: DraftInput): Draft {
  const language: 'zh' | 'en' = input.language === 'zh' ? 'zh' : 'en';
  const reference = referenceLine(input.entities, language);
  const citations = input.grounding ? [input.grounding.id] : [];

  if (input.action === 'auto_reply') {
    const body = input.grounding?.answer ?? input.acknowledgement ?? '';
    const text =
      language === 'zh'
        ? `您好！${reference}${reference ? '\n\n' : ''}${body}\n\n如还有其他问题，随时告诉我们。`
        : `Hello! ${reference}${reference ? '\n\n' : ''}${body}\n\nIf there is anything else, just let us know.`;
    return { text: text.trim(), language, citations, kind: 'answer' };
  }

  const wait = waitPhrase(input.firstResponseMinutes, language);
  const lines: string[] = [];
  if (language === 'zh') {
    lines.push(input.apologise ? '您好，非常抱歉给您带来不便。' : '您好，感谢您的耐心。');
    lines.push(`${reference}我们已收到您的消息，已转交专人跟进，会在 ${wait} 内回复您。`);
    if (input.grounding) lines.push(`\n相关说明（${input.grounding.title}）：\n${input.grounding.answer}`);
  } else {
    lines.push(input.apologise ? 'Hello, we are very sorry for the trouble.' : 'Hello, thank you for your patience.');
    lines.push(`${reference}We have your message and a member of our team is looking into it; you will hear from us within ${wait}.`);
    if (input.grounding) lines.push(`\nFor reference (${input.grounding.title}):\n${input.grounding.answer}`);
  }
  return { text: lines.join('\n'), language, citations, kind: 'handoff_draft' };
}
