/**
 * Postal addresses in Chinese (a chain of administrative, street, estate and number parts with
 * street-level evidence) and in English (a numbered street with its suffix, or a PO box).
 */
import type { TextSpan } from './entities.js';
import type { Candidate } from './pii-kinds.js';

// A Chinese address is a chain of parts, each a name ending in an administrative, street or
// estate word (省 市 区 路 街 小区 大厦...) or a number ending in 号 栋 单元 室...; a chain is
// kept only with street-level evidence, so "发到广东省深圳市要几天" keeps its region.

/** Characters that never start or sit inside a place name here: verbs and particles around it. */
const ADDRESS_STOP = '在到是住寄送址去往我你他她的了给把要想请帮吗呢吧啊改为填写说问,.!?:;()、。';
const PLACE_CHAR = `(?:(?![${ADDRESS_STOP}])[\\u4e00-\\u9fffA-Za-z])`;
const PLACE_CHAR_OR_DIGIT = `(?:(?![${ADDRESS_STOP}])[\\u4e00-\\u9fffA-Za-z0-9])`;
const ADMIN_SUFFIX = '特别行政区|自治区|自治州|自治县|省|市|区|县|旗|镇|乡|街道|村';
const STREET_SUFFIX = '大道|大街|路|街|巷|弄|胡同|段|道';
const ESTATE_SUFFIX =
  '小区|花园|大厦|广场|公寓|家园|新村|社区|工业园|科技园|产业园|园区|苑|园|城|中心|大楼|公馆|宿舍|学院|大学|医院|酒店|商场|写字楼|中学|小学|学校|幼儿园|校区|本部|分校|楼';
const ANY_SUFFIX = `${ADMIN_SUFFIX}|${STREET_SUFFIX}|${ESTATE_SUFFIX}`;
// 负一楼 / 地下二层 / B2: floors below ground.
const PART_NUMBER =
  '(?:负|地下)?(?:[A-Za-z]?\\d+[A-Za-z]?|[A-Za-z]|[一二三四五六七八九十百]+)(?:-\\d+)*';
const ADDRESS_PARTS: { type: AddressPart['type']; pattern: RegExp }[] = [
  {
    type: 'building',
    // A shop unit (12号铺, 3号档) and a dormitory block (11舍) are numbered parts too.
    pattern: new RegExp(
      `${PART_NUMBER}(?:号楼|号院|号铺|号档|号摊|号舍|栋|幢|座|单元|楼|层|室|房|户|组|铺|档|舍)`,
      'y',
    ),
  },
  {
    type: 'number',
    pattern: /[东南西北中]?(?:\d+[A-Za-z]?(?:-\d+)*|[一二三四五六七八九十百]+)号(?![楼院])/y,
  },
  // Not the area code of a landline written after the address (…88号 021-6123…).
  { type: 'room', pattern: /(?!0)\d{1,5}(?:-\d{1,5}){0,3}(?![-\d号栋幢座单元楼层室房户])/y },
];
const FIRST_PLACE = new RegExp(`${PLACE_CHAR}{1,6}?(?:${ANY_SUFFIX})`, 'y');
const NEXT_PLACE = new RegExp(`${PLACE_CHAR_OR_DIGIT}{1,10}?(?:${ANY_SUFFIX})`, 'y');
/** A named building with a numbered block and no estate word: 太古汇二座, 国贸三期B座. */
const NAMED_BUILDING = new RegExp(`${PLACE_CHAR}{1,8}?${PART_NUMBER}(?:号楼|栋|幢|座)`, 'y');
const MORE_SUFFIX = new RegExp(`(?:${ANY_SUFFIX})`, 'y');
/** Everyday words that end in a place suffix: 知道 + 3号 is "know" and a date, not a street. */
const NOT_A_PLACE =
  /(?:知道|味道|频道|渠道|难道|顺路|走路|逛街|时间段|手段|阶段|超市|商城|专区|景区)$/;
const ADDRESS_CONTEXT = /(?:地址|住址|address)[^。!?]{0,8}$/i;
const LEAD_IN =
  /^(?:麻烦|帮忙|看看|一下|改成|换成|就是|还是|现在|新的|旧的|目前|这边|那边|我家|家里|老家)/;

interface AddressPart extends TextSpan {
  type: 'admin' | 'street' | 'estate' | 'building' | 'number' | 'room';
  text: string;
}

function placeType(text: string): AddressPart['type'] {
  if (new RegExp(`(?:${STREET_SUFFIX})$`).test(text) && !/街道$/.test(text)) return 'street';
  if (new RegExp(`(?:${ESTATE_SUFFIX})$`).test(text)) return 'estate';
  return 'admin';
}

/** What a sticky pattern matches at `position`, if anything. */
function matchAt(pattern: RegExp, text: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[0];
}

function addressPartAt(
  text: string,
  position: number,
  previous: AddressPart | undefined,
): AddressPart | undefined {
  for (const { type, pattern } of ADDRESS_PARTS) {
    // A bare room number only follows a block, a street number, an estate or a numbered part (E1区).
    const roomMayFollow =
      previous &&
      (['building', 'number', 'estate'].includes(previous.type) || /\d/.test(previous.text));
    if (type === 'room' && !roomMayFollow) continue;
    const found = matchAt(pattern, text, position);
    if (found) return { type, text: found, start: position, end: position + found.length };
  }
  const building = previous ? matchAt(NAMED_BUILDING, text, position) : undefined;
  let found = matchAt(previous ? NEXT_PLACE : FIRST_PLACE, text, position);
  if (building && (!found || building.length < found.length)) {
    return { type: 'building', text: building, start: position, end: position + building.length };
  }
  if (!found || NOT_A_PLACE.test(found)) return undefined;
  // Take following suffixes too: 科技园 + 路 is one street, 老城 + 区 one district.
  for (let more = matchAt(MORE_SUFFIX, text, position + found.length); more;) {
    found += more;
    more = matchAt(MORE_SUFFIX, text, position + found.length);
  }
  return { type: placeType(found), text: found, start: position, end: position + found.length };
}

/** Longer than any real address; bounds the work on hostile input ("市区县" × 2000). */
const MAX_ADDRESS_PARTS = 14;

function addressChainAt(text: string, start: number): AddressPart[] {
  const parts: AddressPart[] = [];
  let position = start;
  while (parts.length < MAX_ADDRESS_PARTS) {
    const next = parts.length > 0 && text[position] === ' ' ? position + 1 : position;
    const part = addressPartAt(text, next, parts.at(-1));
    if (!part) return parts;
    parts.push(part);
    position = part.end;
  }
  return parts;
}

function isAddress(parts: AddressPart[], hasContext: boolean): boolean {
  const types = parts.map((part) => part.type);
  const follows = (first: AddressPart['type'][], second: AddressPart['type'][]) =>
    types.some((type, index) => first.includes(type) && second.includes(types[index + 1]!));
  return (
    follows(['street'], ['number', 'building']) ||
    follows(['estate'], ['number', 'building', 'room']) ||
    (types.includes('building') && parts.length >= 2) ||
    (types.includes('admin') && types.includes('street')) ||
    (parts.some((part) => /[镇乡]$/.test(part.text)) &&
      parts.some((part) => /村$/.test(part.text))) ||
    (hasContext && parts.length >= 2)
  );
}

export function findChineseAddresses(text: string): Candidate[] {
  const addresses: Candidate[] = [];
  for (let position = 0; position < text.length; position++) {
    if (!/[\u4e00-\u9fffA-Za-z0-9]/.test(text[position]!)) continue;
    const parts = addressChainAt(text, position);
    if (parts.length === 0) continue;
    const hasContext = ADDRESS_CONTEXT.test(text.slice(Math.max(0, position - 12), position));
    if (!isAddress(parts, hasContext)) {
      // A start inside the first part would find the same rejected chain.
      position = parts[0]!.end - 1;
      continue;
    }
    const end = parts.at(-1)!.end;
    const leadIn = LEAD_IN.exec(text.slice(position, parts[0]!.end - 2))?.[0].length ?? 0;
    addresses.push({ kind: 'address', priority: 40, start: position + leadIn, end });
    position = end - 1;
  }
  return addresses;
}

const EN_STREET_SUFFIX =
  'Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy|Highway|Hwy|Expressway|Close|Crescent|Square|Sq|Circle|Cir|Row|Mews|Gardens|Grove|Loop|Alley|Trail|Trl|Plaza|Pike|Turnpike|Path|Walk|Ridge|Crossing|Heights|Quay|Wharf|Embankment';
/** Suffixes that are also ordinary words ("hard drive", "the way"): only when capitalised. */
const EN_COMMON_WORD_SUFFIX =
  /^(?:drive|dr|way|place|pl|court|ct|close|square|sq|circle|cir|row|mews|gardens|grove|crescent|terrace|loop|alley|trail|plaza|pike|path|walk|ridge|crossing|heights|quay|wharf)$/;
const EN_NOT_STREET_WORD =
  /^(?:tb|gb|mb|usb|ssd|hdd|hard|flash|disk|pcs|pieces|items|days|weeks|hours|times|pack)$/i;
const EN_STREET = new RegExp(
  `(?<![A-Za-z0-9])(?:(?:(?:flat|apt|apartment|unit|suite|room|rm|floor|tower|block|blk|building|bldg)\\.?\\s?#?[A-Za-z0-9-]+|\\d{1,3}F),?\\s){0,3}\\d{1,5}[A-Za-z]?(?:-\\d{1,5})?,?\\s(?<words>(?:(?:\\d{1,3}(?:st|nd|rd|th)|[A-Za-z][A-Za-z'.-]*)\\s){1,3})(?<suffix>${EN_STREET_SUFFIX})\\.?(?![A-Za-z])`,
  'gi',
);
const EN_ADDRESS_TAIL = new RegExp(
  [
    '(?:\\s(?:NW|NE|SW|SE|N|S|E|W|North|South|East|West|Central)(?![A-Za-z]))?',
    '(?:,?\\s?(?:Apt|Apartment|Suite|Ste|Unit|Flat|Room|Rm|Floor|Fl|apt|unit|suite|flat|room|#)\\.?\\s?#?[A-Za-z0-9-]*\\d[A-Za-z0-9-]*)?',
    // Town, county... then a US state + ZIP or a UK postcode; a bare town is not taken.
    '(?:,\\s?(?:[A-Z][A-Za-z]+(?:\\s[A-Z][A-Za-z]+){0,2},?\\s){0,3}(?:[A-Z]{2}\\s\\d{5}(?:-\\d{4})?|[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}))?',
    // Mainland China written in English: districts or a province, then the city and a postcode.
    "(?:(?:,\\s?[A-Z][A-Za-z'-]+(?:\\s[A-Z][A-Za-z'-]+){0,2}\\s(?:District|Province|County|New Area|Subdistrict))+(?:,\\s?[A-Z][A-Za-z'-]+(?:\\s[A-Z][A-Za-z'-]+)?)?(?:,?\\s\\d{6})?)?",
  ].join(''),
  'y',
);
/**
 * An address written after a cue ("address:", "deliver to:", "I'm at"), up to the end of the
 * clause: taken whole when it has a number, a comma and an address word, whatever its street
 * names look like ("18F, Jing An Kerry Centre, 1515 West Nanjing Road, Jing'an District").
 */
const EN_ADDRESS_AFTER_CUE =
  /(?<![A-Za-z])(?:address|addr\.?|deliver(?:ed)? to|ship(?:ped)? to|send (?:it|them|this|that|the [a-z]+) to|mail (?:it )?to|i'?m at|(?:i|we|he|she|they) (?:live|lives|stay|stays) at|located at)\s?:?\s(?<block>[^\n.!?;]{12,160}?)(?=$|\n|[.!?;](?:\s|$)|\s(?:and|but|please|pls|thanks|thank)\b)/gi;
const EN_ADDRESS_WORD = new RegExp(
  `(?<![A-Za-z])(?:${EN_STREET_SUFFIX}|District|Province|County|City|Tower|Block|Building|Bldg|Centre|Center|Estate|Garden|Gardens|Flat|Apt|Apartment|Room|Unit|Floor|Suite)(?![A-Za-z])`,
  'i',
);
const PO_BOX = /(?<![A-Za-z])P\.?\s?O\.?\s?Box\s#?\d{1,6}/gi;
/**
 * What comes before the street in an address written small-to-large: a floor, a flat or tower, a
 * named building ("15F, Tower 2, Harbour Plaza, 8 Queen's Road"), each followed by a comma.
 */
const EN_ADDRESS_LEAD = new RegExp(
  `(?:(?<![A-Za-z0-9])(?:(?:Flat|Apt|Apartment|Unit|Suite|Room|Rm|Floor|Fl|Tower|Block|Blk|Building|Bldg|Level|Lvl)\\.?\\s?#?[A-Za-z0-9-]{1,6}|\\d{1,3}(?:F|/F|(?:st|nd|rd|th)\\s(?:floor|fl\\.?)))|(?<![A-Za-z])[A-Z][A-Za-z'-]+(?:\\s[A-Z][A-Za-z'-]+){0,3}\\s(?:Plaza|Centre|Center|Building|Tower|Towers|Mansion|Court|Estate|Gardens|Garden|Apartments|Residence|Residences|House|Xincun|Xiaoqu))\\s?,\\s?$`,
  'i',
);
/** Towns after the street, up to the end of the sentence ("…Road, Xuhui, Shanghai."). */
const EN_TOWN_TAIL =
  /^(?:,\s?[A-Z][a-z'-]+(?:\s[A-Z][a-z'-]+){0,2}){1,3}(?=\s*(?:$|\n|[.!?;](?:\s|$)))/;
const NOT_A_TOWN =
  /(?:^|\s|,)(?:Thanks|Thank|Please|Cheers|Regards|Best|Hi|Hello|Sorry|Ok|Okay)(?:\s|,|$)/;

/** Widens an English address over the parts written before its street and the towns after it. */
function widenEnglishAddress(text: string, address: Candidate): Candidate {
  let { start, end } = address;
  for (let lead = EN_ADDRESS_LEAD.exec(text.slice(Math.max(0, start - 48), start)); lead;) {
    start -= lead[0].length;
    lead = EN_ADDRESS_LEAD.exec(text.slice(Math.max(0, start - 48), start));
  }
  const tail = EN_TOWN_TAIL.exec(text.slice(end));
  if (tail && !NOT_A_TOWN.test(tail[0])) end += tail[0].length;
  return { ...address, start, end };
}

export function findEnglishAddresses(text: string): Candidate[] {
  const addresses: Candidate[] = [];
  for (const match of text.matchAll(EN_STREET)) {
    const { words, suffix } = match.groups as { words: string; suffix: string };
    if (EN_COMMON_WORD_SUFFIX.test(suffix) && !/^[A-Z]/.test(suffix)) continue;
    if (
      words
        .trim()
        .split(/\s/)
        .some((word) => EN_NOT_STREET_WORD.test(word))
    )
      continue;
    let end = match.index + match[0].length;
    end += matchAt(EN_ADDRESS_TAIL, text, end)?.length ?? 0;
    addresses.push(
      widenEnglishAddress(text, { kind: 'address', priority: 40, start: match.index, end }),
    );
  }
  for (const match of text.matchAll(EN_ADDRESS_AFTER_CUE)) {
    const block = match.groups!.block!.replace(/[\s,]+$/, '');
    if (!/\d/.test(block) || !block.includes(',') || !EN_ADDRESS_WORD.test(block)) continue;
    const start = match.index + match[0].length - match.groups!.block!.length;
    addresses.push({ kind: 'address', priority: 40, start, end: start + block.length });
  }
  for (const match of text.matchAll(PO_BOX)) {
    addresses.push({
      kind: 'address',
      priority: 40,
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  return addresses;
}
