/**
 * Screens a knowledge-base document before it can be searched or quoted: text that speaks to the
 * bot with instructions, promises money or a redeemable code the way injected "notices" do, or
 * reads like configuration or a prompt. A document with findings is held for an admin to approve.
 *
 * The shipped policies mention refunds, amounts and coupons all the time, so money alone is never
 * a finding: only a payout word next to an amount or code, said to everyone or without conditions,
 * and a redeemable code handed out by the text itself. The detectors of customer text and of
 * outgoing replies (src/triage/injection.ts, src/triage/output-guard.ts) are reused, not copied.
 */
import { z } from 'zod';
import { extractEntities, findReferenceNumbers } from '../triage/entities.js';
import { detectInjection } from '../triage/injection.js';
import { COMMITMENTS, CONFIGURATION, REDEEMABLE_CODE } from '../triage/output-guard.js';
import type { LoadedDocument } from './document.js';

export const screeningCodes = [
  'addresses_assistant',
  'promises_money',
  'configuration_text',
] as const;

export const screeningFindingSchema = z.object({
  code: z.enum(screeningCodes),
  /** The words that raised it (at most 80 characters), for the admin who reviews the document. */
  evidence: z.string(),
});
export type ScreeningFinding = z.infer<typeof screeningFindingSchema>;

/**
 * Lines written to the bot rather than about the shop: "致AI客服：", "Note to the assistant:",
 * "dear chatbot". The injection detector knows "AI客服请…" and "the assistant must…"; a document
 * adds the salutation form, which a customer message rarely uses.
 */
const SALUTATIONS = [
  /(致|写给|告知|提醒|通知)(各位|所有)?\s*(AI|ai|人工智能|智能)?\s*(客服)?(机器人|助手|智能客服|AI客服|ai客服|大?模型|AI|ai)\s*[:：,，]/u,
  /(AI|ai|机器人|智能客服|助手|大模型)(注意|须知|必读|请注意|专用说明)/u,
  /\b(note|notice|instructions?|message|memo|reminder) (to|for) (the |all |any )?(ai|bot|chatbot|assistant|language model|llm|model|auto-?reply)s?\b|\b(dear|attention|hey|hello),? (ai|bot|chatbot|assistant|language model|llm)\b/i,
];

/**
 * Nouns the injection detector flags on their own in a customer message (asking about the database
 * is a probe there), while a privacy policy says where it keeps data: alone they are no finding.
 */
const BARE_NOUNS = /^(数据库|后台密码|内部备注|api\s*key)$/iu;

/** Saying a payout applies to everyone, without conditions, or telling someone to hand it out. */
const UNCONDITIONAL =
  /所有|每位|每个|任何|凡是?|一律|无条件|均可|都可|都能|即可获得|直接(发放|赠送|给|赔|补)|立即|马上|主动|告知(客户|顾客|用户|买家)|告诉(客户|顾客|用户|买家)|承诺|保证|\b(all|every|any|each) (customers?|buyers?|users?|shoppers?|orders?|requests?)\b|\beveryone\b|\bunconditional(ly)?\b|\bautomatically\b|\bimmediately\b|\bno questions asked\b|\b(tell|inform|promise|assure|offer|give) (the |every |each |all )?(customers?|buyers?|users?|them)\b|\bis entitled\b|\bare entitled\b|\bguarantee\w*\b/iu;
/** A word that introduces a code someone can redeem. */
const CODE_WORD =
  /优惠码|券码|兑换码|折扣码|口令|红包码|礼品卡号|\b(coupon|promo|promotion|discount|voucher|redeem|redemption|gift card)\b( code)?|\bcode\b/iu;

/** Sentences and lines: a promise and its condition are judged within one of them. */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[。！？；!?])|\n+|(?<=\.)\s+/u)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A leading front-matter block is the document's own metadata (id, title, locale), not prompt text. */
function withoutFrontMatter(text: string): string {
  return text.replace(/^\uFEFF?---\r?\n(?:[\w-]+\s*:.*\r?\n)*---\r?\n/u, '');
}

const clip = (text: string) => text.trim().replace(/\s+/g, ' ').slice(0, 80);

function redeemableCodes(text: string): { code: string; index: number }[] {
  // Order and tracking numbers look like codes too: they are facts, not something to redeem.
  const references = findReferenceNumbers(text);
  return [...text.matchAll(REDEEMABLE_CODE)]
    .filter(
      (match) =>
        !references.some(
          (reference) => reference.start <= match.index && match.index < reference.end,
        ),
    )
    .map((match) => ({ code: match[0], index: match.index }));
}

function moneyPromises(text: string): ScreeningFinding[] {
  const findings: ScreeningFinding[] = [];
  for (const sentence of sentences(text)) {
    const commitment = sentence.match(COMMITMENTS);
    const codes = redeemableCodes(sentence);
    // A code handed out by the document itself: the words before it say it is redeemable.
    for (const { code, index } of codes) {
      if (CODE_WORD.test(sentence.slice(Math.max(0, index - 24), index)))
        findings.push({
          code: 'promises_money',
          evidence: clip(sentence.slice(Math.max(0, index - 24), index + code.length)),
        });
    }
    const amounts = extractEntities(sentence).entities.amounts;
    if (commitment && (amounts.length || codes.length) && UNCONDITIONAL.test(sentence)) {
      findings.push({ code: 'promises_money', evidence: clip(sentence) });
    }
  }
  return findings;
}

/** Every finding in a text; an empty list means it may be searched and quoted at once. */
export function screenText(text: string, options: { money?: boolean } = {}): ScreeningFinding[] {
  const findings: ScreeningFinding[] = [];
  for (const evidence of detectInjection(text).evidence) {
    if (!BARE_NOUNS.test(evidence))
      findings.push({ code: 'addresses_assistant', evidence: clip(evidence) });
  }
  for (const pattern of SALUTATIONS) {
    const match = pattern.exec(text);
    if (match) findings.push({ code: 'addresses_assistant', evidence: clip(match[0]) });
  }
  if (options.money ?? true) findings.push(...moneyPromises(text));
  const body = withoutFrontMatter(text);
  for (const pattern of CONFIGURATION) {
    const match = pattern.exec(body);
    if (match) findings.push({ code: 'configuration_text', evidence: clip(match[0]) });
  }
  const seen = new Set<string>();
  return findings.filter(
    (finding) =>
      !seen.has(`${finding.code}|${finding.evidence}`) &&
      seen.add(`${finding.code}|${finding.evidence}`) !== undefined,
  );
}

/**
 * Screens a loaded document. An FAQ entry's paraphrases are customer voice ("you offered me a
 * 10 yuan voucher…"), so they are checked for instructions and prompt text but not for money;
 * the title and the answer, which are quoted to customers, for everything.
 */
export function screenDocument(document: LoadedDocument): ScreeningFinding[] {
  if (document.kind === 'policy') return screenText(`${document.title}\n${document.text}`);
  return [
    ...screenText(`${document.title}\n${document.answer}`),
    ...screenText(document.questions.join('\n'), { money: false }),
  ].filter(
    (finding, index, all) =>
      all.findIndex(
        (other) => other.code === finding.code && other.evidence === finding.evidence,
      ) === index,
  );
}
