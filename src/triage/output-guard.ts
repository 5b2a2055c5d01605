/**
 * The last check on every text that leaves for a customer (automatic answers, LLM replies, drafts,
 * acknowledgements): no personal data, no money, compensation or coupon promise that the cited
 * knowledge-base entries do not make themselves, and no configuration or prompt text. A text that
 * fails is not sent; the caller hands the conversation to a person instead.
 *
 * "Backed" means the same amount, code or commitment word appears in a source text the reply is
 * grounded in (the cited entries), so quoting the shop's own policy ("refunds of ¥10 or more…",
 * the published support e-mail) passes while an invented "¥500 compensation" does not.
 */
import { z } from 'zod';
import { extractEntities, findReferenceNumbers } from './entities.js';
import { findPersonalData } from './pii.js';
import { normaliseText } from '../text/normalise.js';

export const outputViolationSchema = z.object({
  code: z.enum(['personal_data', 'unbacked_promise', 'configuration_text']),
  /** What was found, redacted for personal data (its kind only). */
  evidence: z.string(),
});
export type OutputViolation = z.infer<typeof outputViolationSchema>;

export const outputCheckSchema = z.object({
  passed: z.boolean(),
  violations: z.array(outputViolationSchema),
});
export type OutputCheck = z.infer<typeof outputCheckSchema>;

/** Words that commit the shop to pay, give or waive something. */
export const COMMITMENTS =
  /赔偿|补偿|赔付|赔你|赔您|返现|红包|免单|双倍|两倍|三倍|十倍|退一赔|无门槛券|优惠码|券码|礼品卡|代金券|现金券|goodwill|compensat\w*|reimburs\w*|\bdouble\b|\btriple\b|\bfree of charge\b|\bcoupon code\b|\bpromo code\b|\bvoucher\b|\bgift card\b|\bstore credit\b|\bcashback\b|\bwaive\w*/giu;
/** A code a customer could redeem: letters and digits together, six or more, often after 码/code. */
export const REDEEMABLE_CODE =
  /(?<![A-Za-z0-9])(?=[A-Z0-9-]*[A-Z])(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{5,19}(?![A-Za-z0-9])/g;
/** Text that belongs to the bot's setup, never to a customer. */
export const CONFIGURATION = [
  /system\s*prompt|系统提示词?|提示词|developer (message|instructions)|(my|the) (instructions|guidelines) (say|are|tell)|我的(指令|设定|规则|提示)(是|如下|[:：])|你是一(个|名).{0,8}(客服|助手|机器人|AI)/iu,
  /\byou are an? (helpful|customer[- ]service|after-sales|ai)\b|^\s*(system|assistant|user)\s*:/im,
  /\b(OPENAI|WEBHOOK|DATABASE|ADMIN|API|SLACK|TELEGRAM|WECOM)_[A-Z_]+\b|\bsk-[A-Za-z0-9_-]{12,}|\b(temperature|top_p|max_tokens)\s*[:=]/,
  /<\|im_(start|end)\|>|["']role["']\s*:\s*["'](system|assistant|developer)["']|\{\{\s*[\w.]+\s*\}\}|^---\s*$\s*^(id|version|name|locale):/im,
];

const comparable = (text: string) => normaliseText(text).toLowerCase();

function amountsOf(text: string): number[] {
  return extractEntities(text).entities.amounts.map((amount) => amount.value);
}

export function checkOutgoingText(text: string, sources: readonly string[] = []): OutputCheck {
  const violations: OutputViolation[] = [];
  const grounded = comparable(sources.join('\n'));

  for (const finding of findPersonalData(text)) {
    const value = text.slice(finding.start, finding.end);
    // The shop's own published contact in the cited entry is not a customer's personal data.
    if (!grounded.includes(comparable(value)))
      violations.push({ code: 'personal_data', evidence: finding.kind });
  }

  const backedAmounts = new Set(amountsOf(sources.join('\n')));
  for (const amount of amountsOf(text)) {
    if (!backedAmounts.has(amount))
      violations.push({ code: 'unbacked_promise', evidence: `amount ${amount}` });
  }
  for (const [word] of text.matchAll(COMMITMENTS)) {
    if (!grounded.includes(comparable(word)))
      violations.push({ code: 'unbacked_promise', evidence: word });
  }
  // The customer's own order and tracking numbers may be repeated back; a made-up code may not.
  const references = findReferenceNumbers(text);
  for (const match of text.matchAll(REDEEMABLE_CODE)) {
    const isReference = references.some(
      (reference) => reference.start <= match.index && match.index < reference.end,
    );
    if (!isReference && !grounded.includes(comparable(match[0])))
      violations.push({ code: 'unbacked_promise', evidence: match[0] });
  }

  for (const pattern of CONFIGURATION) {
    const match = pattern.exec(text);
    if (match && !grounded.includes(comparable(match[0])))
      violations.push({ code: 'configuration_text', evidence: match[0].trim().slice(0, 60) });
  }
  return { passed: violations.length === 0, violations };
}
