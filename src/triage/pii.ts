/**
 * Finds and redacts personal data (phones, ID and card numbers, e-mail, addresses, names,
 * chat accounts, codes and passwords) in Chinese and English customer messages, leaving
 * order and tracking numbers alone: those are recognised first and their spans excluded.
 *
 * Matching runs on NFKC-folded text (`１３８`, `＋８６`, `－` become ASCII); findings carry
 * UTF-16 offsets into the text as given, so a redaction never shifts the rest of the message.
 */
import {
  type TextSpan,
  findReferencesInFolded,
  foldForMatching,
  toOriginalSpan,
} from './entities.js';
import { findChineseAddresses, findEnglishAddresses } from './pii-addresses.js';
import { isLuhnValid, isValidChineseId, isValidIban } from './pii-checksums.js';
import { type Candidate, type PiiFinding, type PiiKind, piiPlaceholders } from './pii-kinds.js';
import {
  COMPOUND_SURNAMES,
  NAME_STOP,
  SURNAMES,
  TITLE,
  findBareNames,
  findCuedChineseNames,
  findEnglishNames,
  findRepeatedNames,
} from './pii-names.js';
import { spokenDigitsToAscii } from './spoken-digits.js';

export { isLuhnValid, isValidChineseId, isValidIban } from './pii-checksums.js';
export { type PiiFinding, type PiiKind, piiPlaceholders } from './pii-kinds.js';

interface Detector {
  kind: PiiKind;
  priority: number;
  pattern: RegExp;
  /** Named group holding the personal data; the whole match when absent. */
  group?: string;
  accept?: (value: string) => boolean;
  /** Trailing characters that end the sentence rather than the value. */
  trimEnd?: RegExp;
}

const digitCount = (text: string) => text.replace(/\D/g, '').length;
const compactDigits = (text: string) => text.replace(/[\s-]/g, '');
/** Between a context word and its value: `：`, `是`, `is`... */
const LEAD = '\\s?(?:[:：#=是为]|is(?![A-Za-z]))?\\s?';
const NOT_ALNUM_BEFORE = '(?<![\\dA-Za-z])';
const NOT_ALNUM_AFTER = '(?![\\dA-Za-z])';
const SPELLED_DOT = '\\s?(?:\\[dot\\]|\\(dot\\)|\\{dot\\}|\\sdot\\s|点)\\s?';
const DOT = `(?:${SPELLED_DOT}|\\.)`;
/** Top-level domains an e-mail spelled out in words ends with. */
const EMAIL_TLD = '(?:com|cn|net|org|edu|gov|io|co|uk|hk|tw|sg|me|info|biz|de|fr|jp|au|ca|us)';
/** A one-time code: 3-8 digits, or 4-8 digits typed one by one ("5 8 1 0 4 2"). */
const CODE_DIGITS = '\\d(?: \\d){3,7}|\\d{3,8}';
/** 400/800 hotlines and North American toll-free numbers belong to businesses. */
const TOLL_FREE = /^(?:\+?1[\s.-]?)?\(?(?:400|800|833|844|855|866|877|888)(?!\d)/;

const DETECTORS: Detector[] = [
  {
    kind: 'email',
    priority: 90,
    pattern:
      /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  },
  {
    kind: 'email',
    priority: 90,
    // Spelled out against scrapers: "lin.hao at qq dot com", "ann[at]mail.co.uk". A plain " at "
    // needs a spelled-out dot too, so "look at example.com" is no address.
    pattern: new RegExp(
      `(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:\\s?(?:\\[at\\]|\\(at\\)|\\{at\\}|艾特)\\s?[A-Za-z0-9-]+(?:${DOT}[A-Za-z0-9-]+)*${DOT}|\\sat\\s[A-Za-z0-9-]+(?:${DOT}[A-Za-z0-9-]+)*${SPELLED_DOT})${EMAIL_TLD}(?![A-Za-z0-9])`,
      'gi',
    ),
  },
  {
    kind: 'id_number',
    priority: 80,
    group: 'value',
    // The context word may be a few words before the number: "护照号，我的是E12345678".
    pattern: new RegExp(
      `(?<=(?:身份证|证件|护照|(?<![A-Za-z])(?:ID card|ID number|ID no|identity card|passport))[^。!?\\n]{0,12})` +
        `(?<![\\dA-Za-z])(?<value>\\d{6}[\\s-]?\\d{8}[\\s-]?\\d{3}[\\dXx]|\\d{15}|[A-Z]{1,2}\\d{6}\\(?[\\dA]\\)?|[A-Z][12]\\d{8}|[A-Z]{1,2}\\d{7,9})${NOT_ALNUM_AFTER}`,
      'gid',
    ),
  },
  {
    kind: 'bank_card',
    priority: 80,
    group: 'value',
    pattern: new RegExp(
      `(?:银行卡号|银行卡|储蓄卡号?|信用卡号?|借记卡号?|卡号|(?<![A-Za-z])(?:(?:credit |debit |bank |gift )?card(?: number| no\\.?| #)?)(?![A-Za-z]))${LEAD}` +
        `(?<value>\\d{4}(?:[\\s-]?\\d{2,6}){2,5})${NOT_ALNUM_AFTER}`,
      'gid',
    ),
    accept: (value) => digitCount(value) >= 12 && digitCount(value) <= 19,
  },
  {
    kind: 'credential',
    priority: 80,
    group: 'value',
    pattern: new RegExp(
      `(?:验证码|校验码|动态码|短信码|动态密码|安全码|(?<![A-Za-z])(?:verification code|security code|otp|one-time code|one-time password|passcode|pin|cvv2?|cvc2?|(?:sms|text|login|sign-in|confirmation|auth|authentication|access|2fa|one-time) code|(?<!(?:promo|coupon|discount|voucher|zip|postal|post|area|country|error|product|item|gift|referral|invite|status|reason|qr|bar|tracking|order|style|model|colou?r|pickup|redeem) )code)(?![A-Za-z]))${LEAD}(?<value>${CODE_DIGITS})(?!\\d)`,
      'gid',
    ),
  },
  {
    kind: 'credential',
    priority: 80,
    group: 'value',
    // The cue may stand a few words before the code: "验证码发过来了，是 4 8 2 9 1 7",
    // "the verification code they texted me was 5521".
    pattern: new RegExp(
      `(?<=(?:验证码|校验码|动态码|短信码|动态密码)[^。!?\\n\\d]{0,10}|(?<![A-Za-z])(?:verification code|security code|one-time code|one-time password|otp|passcode|(?:sms|text|login|sign-in|auth|authentication|2fa) code)(?:\\s(?:that|which|they|you|i|we|he|she|it|was|is|sent|texted|got|received|me|to|my|the|just|from|your|by|text|sms|phone|said|says)){1,6}\\s?[:：]?\\s?)` +
        `(?<![\\dA-Za-z])(?<value>${CODE_DIGITS})(?![\\dA-Za-z]|\\.\\d)`,
      'gid',
    ),
  },
  {
    kind: 'credential',
    priority: 80,
    group: 'value',
    pattern:
      /(?:密码|(?<![A-Za-z])(?:password|pwd)(?![A-Za-z]))\s?(?:[:：=是为]|is(?![A-Za-z]))\s?(?<value>[!-~]{3,32})/dgi,
    trimEnd: /[.,;:]+$/,
    // "password is wrong" is not a password: one with a digit or a symbol is.
    accept: (value) => /[^A-Za-z]/.test(value),
  },
  {
    kind: 'id_number',
    priority: 70,
    pattern: new RegExp(
      `${NOT_ALNUM_BEFORE}(?:\\d{6}([\\s-]?)\\d{8}\\1\\d{3}[\\dXx]|\\d{15})${NOT_ALNUM_AFTER}`,
      'g',
    ),
    accept: (value) => isValidChineseId(compactDigits(value)),
  },
  {
    kind: 'bank_card',
    priority: 65,
    pattern: new RegExp(
      `${NOT_ALNUM_BEFORE}(?:\\d{4}([\\s-]?)\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{1,3})?|3[47]\\d{2}[\\s-]?\\d{6}[\\s-]?\\d{5})${NOT_ALNUM_AFTER}`,
      'g',
    ),
    accept: (value) => isLuhnValid(compactDigits(value)),
  },
  {
    kind: 'bank_account',
    priority: 65,
    pattern:
      /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g,
    accept: isValidIban,
  },
  {
    kind: 'phone',
    priority: 60,
    // Digits may be spaced one by one ("1 3 7 0 …") when read out or typed carefully.
    pattern:
      /(?<![\d+])(?:(?:\+|00)\s?86\s?-?\s?|\(\+?86\)\s?|86-)?(?:1[3-9]\d(?:[\s-]?\d){8}|1 [3-9](?: \d){9})(?!\d)/g,
  },
  {
    kind: 'phone',
    priority: 58,
    group: 'value',
    pattern: new RegExp(
      `(?:电话号码|电话|手机号码|手机号|手机|联系方式|联系电话|座机|(?<![A-Za-z])(?:tel|phone(?: number| no\\.?)?|mobile(?: number)?|cell(?: phone)?|call me (?:at|on)|text me (?:at|on)|whatsapp|reach me (?:at|on))(?![A-Za-z]))${LEAD}` +
        `(?<value>\\+?\\(?\\d{1,4}\\)?(?:[\\s.-]?\\d{2,5}){1,5})(?!\\d)`,
      'gid',
    ),
    accept: (value) => digitCount(value) >= 7 && digitCount(value) <= 15 && !TOLL_FREE.test(value),
  },
  {
    kind: 'phone',
    priority: 55,
    pattern:
      /(?<![\d+])(?:(?:\+?1[\s.-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-])[2-9]\d{2}[\s.-]\d{4}|\+1\s?[2-9]\d{2}[2-9]\d{6})(?!\d)/g,
    // Toll-free and 400 hotlines belong to businesses, not to a person.
    accept: (value) => !TOLL_FREE.test(value),
  },
  {
    kind: 'phone',
    priority: 52,
    // Area codes start 0[1-9]: 00 is the international prefix, not a trunk code.
    pattern:
      /(?<![\d+])(?:\(0[1-9]\d{1,2}\)\s?\d{3,4}[\s-]?\d{4}|0[1-9]\d{1,3}[\s-]?\d{3,4}[\s-]?\d{3,4})(?:\s?(?:转|分机|ext\.?|x|-)\s?\d{1,5})?(?!\d)/g,
    accept: (value) => digitCount(value.replace(/(?:转|分机|ext\.?|x|-)\s?\d{1,5}$/, '')) >= 10,
  },
  {
    kind: 'phone',
    priority: 50,
    pattern: /(?<![\dA-Za-z+])\+[1-9]\d{0,2}(?:[\s.-]?\(?\d{1,5}\)?){2,6}(?!\d)/g,
    accept: (value) => digitCount(value) >= 8 && digitCount(value) <= 15,
  },
  {
    kind: 'id_number',
    priority: 50,
    pattern: /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g,
  },
  {
    kind: 'id_number',
    priority: 80,
    group: 'value',
    pattern: new RegExp(
      `(?<![A-Za-z])(?:SSN|social security(?: number| no\\.?)?)(?![A-Za-z])${LEAD}(?<value>\\d{3}[\\s-]?\\d{2}[\\s-]?\\d{4})(?!\\d)`,
      'gid',
    ),
  },
  {
    kind: 'id_number',
    priority: 50,
    pattern:
      /(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/g,
  },
  {
    kind: 'im_account',
    priority: 45,
    group: 'value',
    pattern: new RegExp(
      `(?<![A-Za-z])(?:QQ|扣扣)(?:号码|号)?${LEAD}(?<value>[1-9]\\d{4,11})(?!\\d)`,
      'gid',
    ),
  },
  {
    kind: 'im_account',
    priority: 45,
    group: 'value',
    pattern: new RegExp(
      `(?:微信号|微信|(?<![A-Za-z])(?:vx|wx|weixin|wechat(?: id| me(?: at| on)?| account)?|line id|telegram|skype)(?![A-Za-z]))${LEAD}(?<value>[A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])`,
      'gid',
    ),
  },
  {
    kind: 'name',
    priority: 30,
    group: 'value',
    pattern: new RegExp(
      `(?:收件人|收货人|联系人|寄件人|姓名|名字|我叫|本人|(?<![客用])户名|持卡人)(?:\\s?[:：]|是|叫|为)?\\s?(?<value>(?:${COMPOUND_SURNAMES}|[${SURNAMES}])(?:(?![${NAME_STOP}])[\\u4e00-\\u9fff]){1,2})`,
      'gd',
    ),
    accept: (value) => !TITLE.test(value),
  },
  {
    kind: 'name',
    priority: 30,
    group: 'value',
    // A change of recipient: "收件人帮我改成李明".
    pattern: new RegExp(
      `(?<=(?:收件人|收货人|联系人)[^,。!?\\s]{0,6}(?:改成|改为|换成|写成))(?<value>(?:${COMPOUND_SURNAMES}|[${SURNAMES}])(?:(?![${NAME_STOP}])[\\u4e00-\\u9fff]){1,2})`,
      'gd',
    ),
    accept: (value) => !TITLE.test(value),
  },
  {
    kind: 'name',
    priority: 30,
    group: 'value',
    pattern:
      /(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Dr)\.?\s(?<value>[A-Z][a-zA-Z'-]+(?:\s[A-Z][a-zA-Z'-]+)?)/dg,
  },
];

function runDetector(detector: Detector, text: string): Candidate[] {
  const candidates: Candidate[] = [];
  for (const match of text.matchAll(detector.pattern)) {
    const [start, matchEnd] = detector.group
      ? (match.indices?.groups?.[detector.group] ?? [-1, -1])
      : [match.index, match.index + match[0].length];
    if (start < 0) continue;
    const value = detector.trimEnd
      ? text.slice(start, matchEnd).replace(detector.trimEnd, '')
      : text.slice(start, matchEnd);
    const end = start + value.length;
    // The IBAN pattern may run into the following word: try shorter endings before giving up.
    if (detector.kind === 'bank_account') {
      const valid = ibanPrefix(value);
      if (valid)
        candidates.push({
          kind: detector.kind,
          priority: detector.priority,
          start,
          end: start + valid.length,
        });
      continue;
    }
    if (detector.accept && !detector.accept(value)) continue;
    candidates.push({ kind: detector.kind, priority: detector.priority, start, end });
  }
  return candidates;
}

function ibanPrefix(value: string): string | undefined {
  for (let end = value.length; end >= 15; end--) {
    const prefix = value.slice(0, end);
    if (/[A-Z0-9]$/.test(prefix) && isValidIban(prefix)) return prefix;
  }
  return undefined;
}

function overlaps(span: TextSpan, other: TextSpan): boolean {
  return span.start < other.end && other.start < span.end;
}

/** All candidates, highest priority (then longest) first wins; references block all but e-mail. */
function resolve(candidates: Candidate[], references: readonly TextSpan[]): Candidate[] {
  const ordered = [...candidates].sort(
    (a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const chosen: Candidate[] = [];
  const blocked = (span: Candidate) =>
    span.kind !== 'email' && references.some((reference) => overlaps(span, reference));
  for (const candidate of ordered) {
    if (blocked(candidate)) continue;
    const clashing = chosen.filter((other) => overlaps(candidate, other));
    // Two findings of one kind that overlap are one finding (a number and its extension).
    const same =
      clashing.length === 1 && clashing[0]!.kind === candidate.kind ? clashing[0]! : undefined;
    if (same) {
      const merged = {
        ...same,
        start: Math.min(same.start, candidate.start),
        end: Math.max(same.end, candidate.end),
      };
      if (!blocked(merged) && !chosen.some((other) => other !== same && overlaps(merged, other))) {
        Object.assign(same, merged);
      }
      continue;
    }
    if (clashing.length === 0) chosen.push(candidate);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

function scan(text: string): { findings: PiiFinding[]; referenceCount: number } {
  const folded = foldForMatching(text);
  // Same length as folded.text, so spans found in it map back through toOriginalSpan.
  const matchable = spokenDigitsToAscii(folded.text);
  const references = findReferencesInFolded(matchable);
  const candidates = [
    ...DETECTORS.flatMap((detector) => runDetector(detector, matchable)),
    ...findEnglishNames(matchable),
    ...findCuedChineseNames(matchable),
    ...findChineseAddresses(matchable),
    ...findEnglishAddresses(matchable),
  ];
  // Bare names are judged by their neighbours, so they come after the first resolution.
  const bareNames = findBareNames(matchable, resolve(candidates, references));
  const named = resolve([...candidates, ...bareNames], references);
  // A name found once is redacted at each other mention too.
  const repeated = findRepeatedNames(matchable, named);
  const findings = resolve([...candidates, ...bareNames, ...repeated], references).map(
    ({ kind, start, end }) => ({
      kind,
      ...toOriginalSpan(folded, start, end),
    }),
  );
  return { findings, referenceCount: references.length };
}

/** Personal data in `text`, in order, with UTF-16 offsets into `text` as given. */
export function findPersonalData(text: string): PiiFinding[] {
  return scan(text).findings;
}

/**
 * Replaces each finding with its typed placeholder (`[PHONE]`, `[ADDRESS]`...). Reasons
 * give counts by kind and never the redacted values.
 */
export function redactPersonalData(text: string): {
  text: string;
  findings: PiiFinding[];
  reasons: string[];
} {
  const { findings, referenceCount } = scan(text);
  let redacted = '';
  let cursor = 0;
  for (const finding of findings) {
    redacted += text.slice(cursor, finding.start) + piiPlaceholders[finding.kind];
    cursor = finding.end;
  }
  redacted += text.slice(cursor);
  const counts = new Map<PiiKind, number>();
  for (const finding of findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
  const reasons = [...counts].map(
    ([kind, count]) => `redacted ${count} ${kind.replace('_', ' ')}${count > 1 ? 's' : ''}`,
  );
  if (referenceCount > 0) {
    reasons.push(
      `kept ${referenceCount} order/tracking number${referenceCount > 1 ? 's' : ''} unredacted`,
    );
  }
  return {
    text: redacted,
    findings,
    reasons: reasons.length > 0 ? reasons : ['no personal data found'],
  };
}
