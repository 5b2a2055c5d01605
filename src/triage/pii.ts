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

export type PiiKind =
  | 'phone'
  | 'id_number'
  | 'bank_card'
  | 'bank_account'
  | 'email'
  | 'address'
  | 'name'
  | 'im_account'
  | 'credential';

export interface PiiFinding {
  kind: PiiKind;
  start: number;
  end: number;
}

export const piiPlaceholders: Record<PiiKind, string> = {
  phone: '[PHONE]',
  id_number: '[ID_NUMBER]',
  bank_card: '[BANK_CARD]',
  bank_account: '[BANK_ACCOUNT]',
  email: '[EMAIL]',
  address: '[ADDRESS]',
  name: '[NAME]',
  im_account: '[IM_ACCOUNT]',
  credential: '[CREDENTIAL]',
};

/** Luhn (mod 10) check of a 12-19 digit card number; a run of one repeated digit is not a card. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits) || /^(\d)\1+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARACTERS = '10X98765432';
const PROVINCE_CODES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83 91'.split(
    ' ',
  ),
);

function isPlausibleBirthDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1900 &&
    year <= new Date().getUTCFullYear() &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/**
 * Mainland resident ID: 18 characters with a province code, a real birth date and the
 * ISO 7064 MOD 11-2 check character, or the old 15-digit form (province code and a 19yy date).
 */
export function isValidChineseId(id: string): boolean {
  const value = id.toUpperCase();
  if (!PROVINCE_CODES.has(value.slice(0, 2))) return false;
  if (/^\d{15}$/.test(value)) return isPlausibleBirthDate(`19${value.slice(6, 12)}`);
  if (!/^\d{17}[\dX]$/.test(value) || !isPlausibleBirthDate(value.slice(6, 14))) return false;
  const sum = ID_WEIGHTS.reduce((total, weight, index) => total + weight * Number(value[index]), 0);
  return ID_CHECK_CHARACTERS[sum % 11] === value[17];
}

/** IBAN: country, check digits, 11-30 alphanumerics, and the ISO 13616 mod-97 check. */
export function isValidIban(iban: string): boolean {
  const value = iban.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(value)) return false;
  let remainder = 0;
  for (const char of value.slice(4) + value.slice(0, 4)) {
    const digits = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

interface Candidate extends TextSpan {
  kind: PiiKind;
  /** Wins over lower priorities where spans overlap. */
  priority: number;
}

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
/** 400/800 hotlines and North American toll-free numbers belong to businesses. */
const TOLL_FREE = /^(?:\+?1[\s.-]?)?\(?(?:400|800|833|844|855|866|877|888)(?!\d)/;
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
const COMPOUND_SURNAMES =
  '欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|夏侯|令狐|宇文|司徒|端木|南宫|独孤';
/** Characters that end a Chinese name: the next field or a particle (电话, 手机, 地址, 的...). */
const NAME_STOP = '电手机地址身份证联系收寄的了在说号码是和先女啊吧呢吗已要想你我他她们,，、。:：';
/** Surname + title is not a name here (王小姐, 李老师). */
const TITLE = /(?:小姐|女士|先生|老师|师傅|经理|总)$/;
const ENGLISH_NAME_CONTEXT =
  /(?:my name is|name is|name:|recipient:|recipient is|addressed to|deliver to|ship to|attn:|name on (?:the )?(?:account|card)|regards,|thanks,|thank you,|cheers,|best,|sincerely,)\s?$/i;
/** Weaker context: only a full name (two capitalised words) follows it. */
const ENGLISH_FULL_NAME_CONTEXT = /(?:i am|i'm|this is|it's)\s$/i;
/** "Daniel Kim here", "Daniel Kim speaking". */
const ENGLISH_FULL_NAME_AFTER = /^\s(?:here|speaking)(?![A-Za-z])/i;
const NOT_A_NAME = new Set(
  'The My Our This Please Thanks Thank Hi Hello Dear Sir Madam Customer Support Team Service Order I We You It Not Okay Ok Yes No Amazon Apple'.split(
    ' ',
  ),
);

const DETECTORS: Detector[] = [
  {
    kind: 'email',
    priority: 90,
    pattern:
      /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
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
      `(?:验证码|校验码|动态码|短信码|动态密码|安全码|(?<![A-Za-z])(?:verification code|security code|otp|one-time code|one-time password|passcode|pin|cvv2?|cvc2?)(?![A-Za-z]))${LEAD}(?<value>\\d{3,8})(?!\\d)`,
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
    pattern: /(?<![\d+])(?:(?:\+|00)\s?86\s?-?\s?|\(\+?86\)\s?|86-)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)/g,
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
      `(?:微信号|微信|(?<![A-Za-z])(?:vx|wx|weixin|wechat(?: id)?|line id|telegram|skype)(?![A-Za-z]))${LEAD}(?<value>[A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])`,
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

// --- Addresses -------------------------------------------------------------------------
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
  '小区|花园|大厦|广场|公寓|家园|新村|社区|工业园|科技园|产业园|园区|苑|园|城|中心|大楼|公馆|宿舍|学院|大学|医院|酒店|商场|写字楼';
const ANY_SUFFIX = `${ADMIN_SUFFIX}|${STREET_SUFFIX}|${ESTATE_SUFFIX}`;
const PART_NUMBER = '(?:[A-Za-z]?\\d+[A-Za-z]?|[A-Za-z]|[一二三四五六七八九十百]+)(?:-\\d+)*';
const ADDRESS_PARTS: { type: AddressPart['type']; pattern: RegExp }[] = [
  {
    type: 'building',
    pattern: new RegExp(`${PART_NUMBER}(?:号楼|号院|栋|幢|座|单元|楼|层|室|房|户|组)`, 'y'),
  },
  {
    type: 'number',
    pattern: /[东南西北中]?(?:\d+[A-Za-z]?(?:-\d+)*|[一二三四五六七八九十百]+)号(?![楼院])/y,
  },
  { type: 'room', pattern: /\d{1,5}(?:-\d{1,5}){0,3}(?![\d号栋幢座单元楼层室房户])/y },
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

function findChineseAddresses(text: string): Candidate[] {
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
  `(?<![A-Za-z0-9])(?:(?:(?:flat|apt|apartment|unit|suite|room|rm|floor)\\.?\\s?#?[A-Za-z0-9-]+|\\d{1,3}F),?\\s)?\\d{1,5}[A-Za-z]?(?:-\\d{1,5})?,?\\s(?<words>(?:(?:\\d{1,3}(?:st|nd|rd|th)|[A-Za-z][A-Za-z'.-]*)\\s){1,3})(?<suffix>${EN_STREET_SUFFIX})\\.?(?![A-Za-z])`,
  'gi',
);
const EN_ADDRESS_TAIL = new RegExp(
  [
    '(?:\\s(?:NW|NE|SW|SE|N|S|E|W|North|South|East|West|Central)(?![A-Za-z]))?',
    '(?:,?\\s?(?:Apt|Apartment|Suite|Ste|Unit|Flat|Room|Rm|Floor|Fl|apt|unit|suite|flat|room|#)\\.?\\s?#?[A-Za-z0-9-]*\\d[A-Za-z0-9-]*)?',
    // Town, county... then a US state + ZIP or a UK postcode; a bare town is not taken.
    '(?:,\\s?(?:[A-Z][A-Za-z]+(?:\\s[A-Z][A-Za-z]+){0,2},?\\s){0,3}(?:[A-Z]{2}\\s\\d{5}(?:-\\d{4})?|[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}))?',
  ].join(''),
  'y',
);
const PO_BOX = /(?<![A-Za-z])P\.?\s?O\.?\s?Box\s#?\d{1,6}/gi;

function findEnglishAddresses(text: string): Candidate[] {
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
    addresses.push({ kind: 'address', priority: 40, start: match.index, end });
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

const ENGLISH_NAME = /(?<![A-Za-z])[A-Z][a-zA-Z'-]+(?:\s[A-Z][a-zA-Z'-]+){0,2}/g;

function findEnglishNames(text: string): Candidate[] {
  const names: Candidate[] = [];
  for (const match of text.matchAll(ENGLISH_NAME)) {
    const firstWord = match[0].split(/\s/)[0]!;
    if (NOT_A_NAME.has(firstWord)) continue;
    const before = text.slice(Math.max(0, match.index - 24), match.index);
    const fullName = /\s/.test(match[0]);
    const after = text.slice(match.index + match[0].length);
    const weakContext =
      ENGLISH_FULL_NAME_CONTEXT.test(before) || ENGLISH_FULL_NAME_AFTER.test(after);
    if (!ENGLISH_NAME_CONTEXT.test(before) && !(fullName && weakContext)) continue;
    names.push({
      kind: 'name',
      priority: 30,
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  return names;
}

/**
 * A name written on its own next to other personal data, as in a shipping block
 * ("河南省…602 王芳 15238765432", "Li Wei, 13988887777") or after a romanised name
 * ("Zhang Wei (张伟)"): a standalone run of 2-3 Han characters (4 with a compound surname)
 * that starts with a common surname, or two or three capitalised words.
 */
const BARE_NAMES = [
  new RegExp(
    `(?<![\\u4e00-\\u9fff])(?:${COMPOUND_SURNAMES}|[${SURNAMES}])(?:(?![${NAME_STOP}])[\\u4e00-\\u9fff]){1,2}(?![\\u4e00-\\u9fff])`,
    'g',
  ),
  /(?<![A-Za-z])[A-Z][a-z]+(?:[ -][A-Z][a-z']+){1,2}(?![A-Za-z])/g,
];
/** Capitalised words that are not part of a person's name. */
const NOT_IN_A_NAME = new Set(
  'Road Street Avenue Room Floor Building Tower Plaza Service Support Team Center Centre Express Logistics Shop Store Customer Order Hotline'.split(
    ' ',
  ),
);
/** Everyday words that start with a surname character. */
const NOT_A_BARE_NAME =
  /^(?:谢谢|多谢|马上|方便|周末|周[一二三四五六日]|明天|明早|时间|白天|全天|全家|单位|包裹|包邮|全部|金额|余额|安全|应该|关于|邮件|高兴|常用|时候|江湖|和平|文件|温馨|康复)$/;
/** A shipping block puts a name beside a phone, an address or another name, not beside a card. */
const NAME_NEIGHBOURS: ReadonlySet<PiiKind> = new Set(['phone', 'address', 'name', 'email']);
/** After an English address come town names ("…Road, Hong Kong"), so not beside an address. */
const ENGLISH_NAME_NEIGHBOURS: ReadonlySet<PiiKind> = new Set(['phone', 'name', 'email']);
const NAME_NEIGHBOUR_GAP = /^[\s,:()/、]{1,3}$/;

function findBareNames(text: string, findings: readonly Candidate[]): Candidate[] {
  const names: Candidate[] = [];
  for (const match of BARE_NAMES.flatMap((pattern) => [...text.matchAll(pattern)])) {
    const span = { start: match.index, end: match.index + match[0].length };
    if (NOT_A_BARE_NAME.test(match[0]) || TITLE.test(match[0])) continue;
    const words = match[0].split(/[ -]/);
    if (NOT_A_NAME.has(words[0]!) || words.some((word) => NOT_IN_A_NAME.has(word))) continue;
    const neighbours = /[A-Za-z]/.test(match[0]) ? ENGLISH_NAME_NEIGHBOURS : NAME_NEIGHBOURS;
    const besideFinding = findings.some(
      (finding) =>
        neighbours.has(finding.kind) &&
        ((finding.end <= span.start &&
          NAME_NEIGHBOUR_GAP.test(text.slice(finding.end, span.start))) ||
          (span.end <= finding.start &&
            NAME_NEIGHBOUR_GAP.test(text.slice(span.end, finding.start)))),
    );
    if (besideFinding) names.push({ kind: 'name', priority: 30, ...span });
  }
  return names;
}

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
  const references = findReferencesInFolded(folded.text);
  const candidates = [
    ...DETECTORS.flatMap((detector) => runDetector(detector, folded.text)),
    ...findEnglishNames(folded.text),
    ...findChineseAddresses(folded.text),
    ...findEnglishAddresses(folded.text),
  ];
  // Bare names are judged by their neighbours, so they come after the first resolution.
  const bareNames = findBareNames(folded.text, resolve(candidates, references));
  const findings = resolve([...candidates, ...bareNames], references).map(
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
