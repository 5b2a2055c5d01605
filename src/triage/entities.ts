/**
 * Pulls the references a customer gives (order and tracking numbers, amounts, dates) out of
 * a message. The PII step calls `findReferencesInFolded` first, so that an order or tracking
 * number is never mistaken for a phone, ID or card number and redacted.
 *
 * Matching runs on NFKC-folded text (full-width `１３８`, `ＳＦ`, `：`, `－` become ASCII) and
 * every span is mapped back to offsets in the text as given.
 */
import type { Entities } from './triage.js';

export interface TextSpan {
  start: number;
  end: number;
}

/** Text folded for matching, with the original offsets of each of its UTF-16 units. */
export interface FoldedText {
  text: string;
  starts: number[];
  ends: number[];
}

const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63]/g;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/** NFKC per code point, dashes folded to `-`, zero-width characters dropped; offsets kept. */
export function foldForMatching(text: string): FoldedText {
  const starts: number[] = [];
  const ends: number[] = [];
  let folded = '';
  let offset = 0;
  for (const codePoint of text) {
    const next = offset + codePoint.length;
    const out = codePoint.normalize('NFKC').replace(DASHES, '-').replace(INVISIBLE, '');
    for (let i = 0; i < out.length; i++) {
      starts.push(offset);
      ends.push(next);
    }
    folded += out;
    offset = next;
  }
  return { text: folded, starts, ends };
}

/** Maps a span of folded text back to the text as given. */
export function toOriginalSpan(folded: FoldedText, start: number, end: number): TextSpan {
  return { start: folded.starts[start] ?? 0, end: folded.ends[end - 1] ?? 0 };
}

export interface ReferenceNumber extends TextSpan {
  kind: 'order' | 'tracking';
  number: string;
  carrier?: string;
  /** Why it was recognised: a carrier format, or the word before it. */
  evidence: string;
}

/** Carrier formats distinctive enough to be recognised without any context word. */
const CARRIER_FORMATS: { carrier: string; pattern: string }[] = [
  { carrier: 'sf-express', pattern: 'SF\\d{10,13}' }, // 顺丰 (12-13 digits now, 10 on older waybills)
  { carrier: 'yto', pattern: 'YT\\d{13}' }, // 圆通
  { carrier: 'jtexpress', pattern: 'JT\\d{13}' }, // 极兔
  { carrier: 'jd-logistics', pattern: 'JD[A-Z]{0,2}\\d{11,15}' }, // 京东
  { carrier: 'deppon', pattern: 'DPK\\d{9,13}' }, // 德邦
  { carrier: 'cainiao', pattern: 'LP\\d{14}' },
  { carrier: 'ups', pattern: '1Z[0-9A-Z]{16}' },
  { carrier: 'amazon', pattern: 'TBA\\d{12}' },
  { carrier: 'usps', pattern: '9[1-5]\\d{2}(?: ?\\d{4}){4} ?\\d{2}' },
  { carrier: 'postal', pattern: '[A-Z]{2}\\d{9}[A-Z]{2}' }, // UPU S10: EMS, China Post, Royal Mail...
];

/** Shop order codes without a context word: letters then a date, e.g. E20240315001. */
const DATED_ORDER_CODE =
  /(?<![A-Za-z0-9])[A-Z]{1,4}-?20\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3,12}(?![A-Za-z0-9])/g;

const ORDER_WORDS = '订单编号|订单号码|订单号|订单|(?<![A-Za-z])orders?(?![A-Za-z])';
const TRACKING_WORDS =
  '运单号码|运单号|运单|快递单号|快递单|快递号|物流单号|物流单|物流号|单号|(?<![A-Za-z])(?:tracking|waybill|shipment|consignment)(?![A-Za-z])';
const CARRIER_NAMES =
  '顺丰|中通|圆通|申通|韵达|京东物流|京东快递|极兔|邮政|德邦|(?<![A-Za-z])(?:EMS|UPS|FedEx|DHL|USPS|Royal Mail)(?![A-Za-z])';
/** Between a context word and its number: separators and filler words only. */
const GAP =
  '(?:\\s|[:：#=()（）]|是|为|分别是|分别为|(?:number|numbers|no|nos|num|id|code|is|are)(?![A-Za-z])\\.?)*';
/** 4-digit groups joined by spaces, or one alphanumeric run (dash-joined parts allowed). */
const NUMBER = '\\d{4}(?: \\d{4}){2,5}(?!\\d)|[A-Za-z]{0,5}-?\\d[\\dA-Za-z]*(?:-[\\dA-Za-z]+)*';
const NUMBER_END = '(?![A-Za-z0-9@]|\\.[A-Za-z0-9])';
const CONTEXT_REFERENCE = new RegExp(
  `(?<word>${ORDER_WORDS}|${TRACKING_WORDS}|${CARRIER_NAMES})(?:快递|速运|物流)?${GAP}(?<number>${NUMBER})${NUMBER_END}`,
  'gi',
);
const LIST_CONTINUATION = new RegExp(
  `^\\s?(?:[,，、/&]|和|及|以及|and)\\s?(${NUMBER})${NUMBER_END}`,
  'i',
);
const CARRIER_IN_CONTEXT: [RegExp, string][] = [
  [/顺丰/, 'sf-express'],
  [/中通/, 'zto'],
  [/圆通/, 'yto'],
  [/申通/, 'sto'],
  [/韵达/, 'yunda'],
  [/京东/, 'jd-logistics'],
  [/极兔/, 'jtexpress'],
  [/德邦/, 'deppon'],
  [/EMS/i, 'ems'],
  [/邮政/, 'china-post'],
  [/UPS/i, 'ups'],
  [/FedEx/i, 'fedex'],
  [/DHL/i, 'dhl'],
  [/USPS/i, 'usps'],
  [/Royal Mail/i, 'royal-mail'],
];

function compact(number: string): string {
  return number.replace(/\s/g, '').toUpperCase();
}

function carrierFormat(number: string): string | undefined {
  for (const format of CARRIER_FORMATS) {
    if (new RegExp(`^(?:${format.pattern})$`, 'i').test(number))
      return postalCarrier(format.carrier, number);
  }
  return undefined;
}

function postalCarrier(carrier: string, number: string): string {
  if (carrier !== 'postal') return carrier;
  if (number.endsWith('CN')) return number.startsWith('E') ? 'ems' : 'china-post';
  return carrier;
}

function carrierNamedBefore(text: string, position: number): string | undefined {
  const before = text.slice(Math.max(0, position - 12), position);
  return CARRIER_IN_CONTEXT.find(([pattern]) => pattern.test(before))?.[1];
}

function overlaps(span: TextSpan, spans: readonly TextSpan[]): boolean {
  return spans.some((other) => span.start < other.end && other.start < span.end);
}

/** Order and tracking numbers in already folded text, with offsets into it. */
export function findReferencesInFolded(folded: string): ReferenceNumber[] {
  const found: ReferenceNumber[] = [];
  const add = (reference: ReferenceNumber) => {
    if (!overlaps(reference, found)) found.push(reference);
  };

  for (const format of CARRIER_FORMATS) {
    const pattern = new RegExp(`(?<![A-Za-z0-9])(?:${format.pattern})(?![A-Za-z0-9])`, 'gi');
    for (const match of folded.matchAll(pattern)) {
      const number = compact(match[0]);
      add({
        kind: 'tracking',
        number,
        carrier: postalCarrier(format.carrier, number),
        start: match.index,
        end: match.index + match[0].length,
        evidence: `${postalCarrier(format.carrier, number)} format`,
      });
    }
  }

  for (const match of folded.matchAll(CONTEXT_REFERENCE)) {
    const word = match.groups!.word!;
    const first = match.groups!.number!;
    if ((first.match(/\d/g)?.length ?? 0) < 5 || first.length > 32) continue;
    const isCarrierName = new RegExp(`^(?:${CARRIER_NAMES})$`, 'i').test(word);
    // A carrier name is weaker context than 单号/order: "顺丰 13812345678" may be the courier's phone.
    if (isCarrierName && /^1[3-9]\d{9}$/.test(first)) continue;
    const isTracking = isCarrierName || new RegExp(`^(?:${TRACKING_WORDS})$`, 'i').test(word);
    let end = match.index + match[0].length;
    const numbers = [{ text: first, start: end - first.length, end }];
    for (;;) {
      const next = LIST_CONTINUATION.exec(folded.slice(end));
      const value = next?.[1];
      // A listed number continues the list only if it looks like the first (same length and prefix).
      if (!next || !value || compact(value).length !== compact(first).length) break;
      if (compact(value).slice(0, 2) !== compact(first).slice(0, 2)) break;
      numbers.push({
        text: value,
        start: end + next[0].length - value.length,
        end: end + next[0].length,
      });
      end += next[0].length;
    }
    for (const number of numbers) {
      const value = compact(number.text);
      const carrier =
        carrierFormat(value) ??
        (isTracking ? carrierNamedBefore(folded, match.index + word.length) : undefined);
      const kind = carrierFormat(value) || isTracking ? 'tracking' : 'order';
      add({
        kind,
        number: value,
        carrier,
        start: number.start,
        end: number.end,
        evidence: `after "${word}"`,
      });
    }
  }

  for (const match of folded.matchAll(DATED_ORDER_CODE)) {
    const number = compact(match[0]);
    add({
      kind: 'order',
      number,
      start: match.index,
      end: match.index + match[0].length,
      evidence: 'dated order code',
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Order and tracking numbers, with offsets in `text` as given. */
export function findReferenceNumbers(text: string): ReferenceNumber[] {
  const folded = foldForMatching(text);
  return findReferencesInFolded(folded.text).map((reference) => ({
    ...reference,
    ...toOriginalSpan(folded, reference.start, reference.end),
  }));
}

const CURRENCY_PREFIX = 'US\\$|HK\\$|RMB|CNY|USD|HKD|EUR|GBP|JPY|[¥$€£]';
const CURRENCY_SUFFIX =
  '元|块钱|块|人民币|美元|美金|欧元|英镑|港币|港元|日元|(?:dollars?|bucks|euros?|yuan|rmb|usd|eur|gbp|hkd|cny)(?![A-Za-z])';
const AMOUNT = new RegExp(
  `(?:(?<prefix>${CURRENCY_PREFIX})\\s?)?(?<number>\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)(?<scale>万|千|k(?![A-Za-z]))?(?:\\s?(?<suffix>${CURRENCY_SUFFIX}))?`,
  'gi',
);
const CHINESE_AMOUNT = /(?<number>[零〇一二两三四五六七八九十百千万]+)(?<suffix>块钱|块|元)/g;
const CURRENCIES: [RegExp, string][] = [
  [/^(?:US\$|\$|USD|美元|美金|dollars?|bucks)$/i, 'USD'],
  [/^(?:HK\$|HKD|港币|港元)$/i, 'HKD'],
  [/^(?:RMB|CNY|¥|元|块钱|块|人民币|yuan)$/i, 'CNY'],
  [/^(?:EUR|€|欧元|euros?)$/i, 'EUR'],
  [/^(?:GBP|£|英镑)$/i, 'GBP'],
  [/^(?:JPY|日元)$/i, 'JPY'],
];
/** 块 is also a measure word (一块手表): as a currency it ends the phrase or is followed by a particle. */
const AFTER_KUAI = /^(?:$|[^\u4e00-\u9fff]|[的了吗呢吧啊多左右都也就还运邮])/;

function currencyOf(symbol: string): string | undefined {
  return CURRENCIES.find(([pattern]) => pattern.test(symbol))?.[1];
}

const CHINESE_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CHINESE_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10_000 };

/** 三百五十 → 350, 一千五 → 1500 (a trailing digit after a unit counts one unit lower). */
export function parseChineseNumber(text: string): number | undefined {
  if (!/^[零〇一二两三四五六七八九十]/.test(text)) return undefined;
  let total = 0;
  let section = 0;
  let digit = 0;
  let lastUnit = 1;
  let previousWasUnit = false;
  for (const char of text) {
    const value = CHINESE_DIGITS[char];
    const unit = CHINESE_UNITS[char];
    if (value !== undefined) {
      digit = value;
      previousWasUnit = false;
    } else if (unit === 10_000) {
      total += (section + digit) * unit;
      section = 0;
      digit = 0;
      lastUnit = unit;
      previousWasUnit = true;
    } else if (unit !== undefined) {
      section += (digit || 1) * unit;
      digit = 0;
      lastUnit = unit;
      previousWasUnit = true;
    } else {
      return undefined;
    }
  }
  const lastChar = Array.from(text).at(-1) ?? '';
  const scaledDigit =
    CHINESE_DIGITS[lastChar] !== undefined &&
    !previousWasUnit &&
    lastUnit > 10 &&
    /[十百千万]$/.test(Array.from(text).at(-2) ?? '')
      ? (digit * lastUnit) / 10
      : digit;
  return total + section + scaledDigit;
}

type Amount = Entities['amounts'][number];

function findAmounts(folded: string, references: readonly TextSpan[]): (Amount & TextSpan)[] {
  const amounts: (Amount & TextSpan)[] = [];
  for (const match of folded.matchAll(AMOUNT)) {
    const { prefix, number, scale, suffix } = match.groups as Record<string, string | undefined>;
    if (!number || (!prefix && !suffix)) continue;
    const span = { start: match.index, end: match.index + match[0].length };
    const before = folded.slice(0, match.index);
    const after = folded.slice(span.end);
    if (!prefix && /[A-Za-z0-9.]$/.test(before)) continue;
    if (suffix === '块' && !AFTER_KUAI.test(after)) continue;
    if (suffix === '元' && after.startsWith('旦')) continue;
    if (suffix === '日元' && /月\s?$/.test(before)) continue; // 1月1日元旦 is a date
    if (overlaps(span, references) || overlaps(span, amounts)) continue;
    const multiplier = scale === '万' ? 10_000 : scale ? 1000 : 1;
    const currency = currencyOf(prefix ?? suffix ?? '');
    if (!currency) continue;
    amounts.push({ value: Number(number.replace(/,/g, '')) * multiplier, currency, ...span });
  }
  for (const match of folded.matchAll(CHINESE_AMOUNT)) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (match.groups!.suffix === '块' && !AFTER_KUAI.test(folded.slice(span.end))) continue;
    const value = parseChineseNumber(match.groups!.number!);
    if (value === undefined || overlaps(span, amounts)) continue;
    amounts.push({ value, currency: 'CNY', ...span });
  }
  return amounts.sort((a, b) => a.start - b.start);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_WORD =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE_PATTERNS: RegExp[] = [
  /(?<!\d)(?<year>(?:19|20)\d{2})\s?(?:[-/.]|年)\s?(?<month>\d{1,2})\s?(?:[-/.]|月)\s?(?<day>\d{1,2})(?:日|号)?(?!\d)/g,
  /(?<!\d)(?<month>\d{1,2})\s?月\s?(?<day>\d{1,2})\s?(?:日|号)/g,
  new RegExp(
    `(?<![A-Za-z])(?<monthWord>${MONTH_WORD})\\.?\\s+(?<day>\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(?<year>(?:19|20)\\d{2}))?(?![\\dA-Za-z])`,
    'gi',
  ),
  new RegExp(
    `(?<![\\dA-Za-z])(?<day>\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?<monthWord>${MONTH_WORD})\\.?(?:,?\\s+(?<year>(?:19|20)\\d{2}))?(?![A-Za-z])`,
    'gi',
  ),
];
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function findDates(folded: string, taken: readonly TextSpan[]): (TextSpan & { date: string })[] {
  const dates: (TextSpan & { date: string })[] = [];
  for (const pattern of DATE_PATTERNS) {
    for (const match of folded.matchAll(pattern)) {
      const groups = match.groups as Record<string, string | undefined>;
      if (groups.monthWord === 'may') continue; // the verb, not the month
      const month = groups.monthWord
        ? MONTHS.indexOf(groups.monthWord.slice(0, 3).toLowerCase()) + 1
        : Number(groups.month);
      const day = Number(groups.day);
      if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) continue;
      const span = { start: match.index, end: match.index + match[0].length };
      if (overlaps(span, taken) || overlaps(span, dates)) continue;
      const monthDay = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      dates.push({ ...span, date: groups.year ? `${groups.year}-${monthDay}` : `--${monthDay}` });
    }
  }
  return dates.sort((a, b) => a.start - b.start);
}

/** Extracted references; `dates` are ISO 8601 (`2024-03-15`, or `--03-15` without a year). */
export type ExtractedEntities = Entities & { dates: string[] };

export function extractEntities(text: string): { entities: ExtractedEntities; reasons: string[] } {
  const folded = foldForMatching(text).text;
  const references = findReferencesInFolded(folded);
  const dates = findDates(folded, references);
  const amounts = findAmounts(folded, [...references, ...dates]);
  const orders = references.filter((reference) => reference.kind === 'order');
  const trackings = references.filter((reference) => reference.kind === 'tracking');
  const entities: ExtractedEntities = {
    orderNumbers: [...new Set(orders.map((reference) => reference.number))],
    trackingNumbers: trackings
      .filter(
        (reference, index) =>
          trackings.findIndex((other) => other.number === reference.number) === index,
      )
      .map(({ number, carrier }) => (carrier ? { number, carrier } : { number })),
    amounts: amounts.map(({ value, currency }) => ({ value, currency })),
    dates: [...new Set(dates.map((date) => date.date))],
  };
  const reasons = [
    ...orders.map((reference) => `order number ${reference.number} (${reference.evidence})`),
    ...trackings.map((reference) => `tracking number ${reference.number} (${reference.evidence})`),
    ...amounts.map((amount) => `amount ${amount.value} ${amount.currency}`),
    ...entities.dates.map((date) => `date ${date}`),
  ];
  return {
    entities,
    reasons: reasons.length > 0 ? reasons : ['no order or tracking number, amount or date found'],
  };
}
