/**
 * Names in customer text: Chinese names after a cue (我叫, 收货人, a job title...), English names after
 * a cue ("my name is", "recipient", a sign-off), and bare names judged by the personal data beside them.
 */
import type { Candidate, PiiKind } from './pii-kinds.js';

export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
export const COMPOUND_SURNAMES =
  '欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|夏侯|令狐|宇文|司徒|端木|南宫|独孤';
/** Characters that end a Chinese name: the next field or a particle (电话, 手机, 地址, 的...). */
export const NAME_STOP =
  '电手机地址身份证联系收寄的了在说号码是和先女啊吧呢吗已要想你我他她们,，、。:：';
/** Surname + title is not a name here (王小姐, 李老师). */
export const TITLE = /(?:小姐|女士|先生|老师|师傅|经理|总)$/;
/**
 * What comes right before an English name: an introduction, a recipient, a relation ("my colleague"),
 * or a sign-off with a comma or a dash ("thanks - ", "-- ").
 */
const ENGLISH_RELATION =
  '(?:colleague|co-?worker|wife|husband|partner|son|daughter|mother|mom|mum|father|dad|friend|boss|manager|neighbou?r|sister|brother|assistant|girlfriend|boyfriend|grandmother|grandfather|grandma|grandpa|grandson|granddaughter|grandchild|niece|nephew|aunt|uncle|cousin|flatmate|roommate|tenant|landlord|secretary|fianc[eé]e?)';
const ENGLISH_NAME_CONTEXT = new RegExp(
  "(?:my name is|name is|name's|name:?|recipient:?|recipient is|beneficiary:?|holder:?|account holder:?|payee:?|addressed to|deliver to|ship to|attn:?|c/o|signed (?:for )?by|ask for|name on (?:the )?(?:account|card|it)(?: is)?:?" +
    '|(?:收件人|收货人|联系人|寄件人|姓名|名字|我叫|户名|持卡人|开户人)\\s?[:：是为]?' +
    `|(?<![A-Za-z])(?:my|our|his|her|their|your) ${ENGLISH_RELATION}` +
    '|(?:regards|thanks|thank you|thx|cheers|best|sincerely|yours|br)[!.]*\\s?[,\\-\u2013\u2014]+|(?:^|\\n)\\s*(?:--|\u2013|\u2014))\\s?$',
  'i',
);
/** A signature after a dash at the end of the message or a line: "…stays the same. - Alex Chen". */
const SIGNATURE_DASH = /(?:^|[.!?)]\s*|\s)(?:--?|\u2013|\u2014)\s?$/;
const SIGNATURE_END = /^\s*[.!]?\s*(?:$|\n)/;
/** Weaker context: only a full name (two capitalised words) follows it. */
const ENGLISH_FULL_NAME_CONTEXT = /(?:i am|i['\u2019]m|this is|it['\u2019]s)\s$/i;
/** "Daniel Kim here", "Daniel Kim speaking". */
const ENGLISH_FULL_NAME_AFTER = /^\s(?:here|speaking)(?![A-Za-z])/i;
/** A single name after a weak cue needs its full form beside it: "it's Mei (Mei Tanaka)". */
const ENGLISH_ALIAS_AFTER = /^\s?\(\s?\p{Lu}\p{Ll}+\s\p{Lu}/u;
export const NOT_A_NAME = new Set(
  'The My Our This Please Thanks Thank Hi Hello Dear Sir Madam Customer Support Team Service Order I We You It Not Okay Ok Yes No Amazon Apple Best Regards Cheers Sincerely Yours Sorry Monday Tuesday Wednesday Thursday Friday Saturday Sunday'.split(
    ' ',
  ),
);

// Latin letters with accents (Tomás, Zoë) belong to names too.
const ENGLISH_NAME = /(?<![\p{L}])\p{Lu}[\p{L}'-]+(?:\s\p{Lu}[\p{L}'-]+){0,2}/gu;

export function findEnglishNames(text: string): Candidate[] {
  const names: Candidate[] = [];
  for (const found of text.matchAll(ENGLISH_NAME)) {
    // A capitalised cue joins the run ("Recipient Hannah Whitfield"): the name starts after it.
    const lead =
      /^(?:(?:Recipient|Attn|Regards|Cheers|Thanks|Sincerely|Yours|Signed|Colleague|I'm|It's)\s)+/.exec(
        found[0],
      )?.[0] ?? '';
    const match = { 0: found[0].slice(lead.length), index: found.index + lead.length };
    if (!match[0]) continue;
    const firstWord = match[0].split(/\s/)[0]!;
    if (NOT_A_NAME.has(firstWord)) continue;
    const before = text.slice(Math.max(0, match.index - 24), match.index);
    const fullName = /\s/.test(match[0]);
    const after = text.slice(match.index + match[0].length);
    const weakContext =
      ENGLISH_FULL_NAME_CONTEXT.test(before) || ENGLISH_FULL_NAME_AFTER.test(after);
    const signature = SIGNATURE_DASH.test(before) && SIGNATURE_END.test(after);
    const alias = ENGLISH_FULL_NAME_CONTEXT.test(before) && ENGLISH_ALIAS_AFTER.test(after);
    if (!ENGLISH_NAME_CONTEXT.test(before) && !(fullName && weakContext) && !signature && !alias)
      continue;
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
/** Punctuation, or a field word before the number: "Mia Wong, mobile 139…", "王芳 手机 139…". */
const NAME_NEIGHBOUR_GAP =
  /^(?:[\s,:()/、]{1,3}|[\s,]{1,2}(?:mobile|phone|tel|cell|手机|电话)(?:\s?[:：]\s?|\s))$/i;

export function findBareNames(text: string, findings: readonly Candidate[]): Candidate[] {
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

/** A cue that names the person outright: 收货人写的是 / 她叫 / 名叫. */
const PERSON_ROLE =
  '(?:收件人|收货人|联系人|寄件人|取件人|签收人|代收人|收款人|付款人|开户人|(?<![客用])户名|户主|卡主|持卡人|下单人|购买人|申请人|买家|抬头个人|抬头是个人|实名|真名|真实姓名|经办人|负责人|对接人|收票人|领取人|(?<![A-Za-z])(?:[Nn]ame|[Rr]ecipient|[Cc]ontact|[Aa]ttn)(?:\\s?[:：]|\\sis))';
const RELATION =
  '(?:老公|老婆|爱人|妻子|丈夫|女儿|儿子|妈妈|爸爸|我妈|我爸|母亲|父亲|婆婆|公公|岳母|朋友|室友|邻居|姐姐|哥哥|弟弟|妹妹|同事|领导|老板|孩子|闺女|表[姐妹哥弟]|堂[姐妹哥弟]|奶奶|爷爷|外婆|外公|姥姥|姥爷|舅舅|阿姨|叔叔|姑姑|小姨|嫂子|女友|男友|女朋友|男朋友)';
const STRONG_CUE = `(?:${PERSON_ROLE}(?:姓名|名字)?(?:写的|填的|登记的|写成|填成|写|填|还是|就是)?(?:是|为|成|叫|[:：])?(?:我[爸妈]|我)?|${RELATION}?[他她]?(?:叫|名叫|叫做)|[他她]叫)`;
/**
 * An occupation or post written right before a name (店长吴…, 策划师…, 采购老师…): words ending in
 * 师 (teacher, designer, lawyer), 员 (clerk), 长 (head of a shop, a class, a section) and a few others.
 */
const OCCUPATION = '(?:师|员|长|医生|大夫|护士|老板|店主|掌柜|司机|主任|总监|主管|专员)';
/** A cue after which a name is likely but not certain: 我是, a job title, a relation. */
const WEAK_CUE = `(?:我是|本人是|这边是|(?:会计|财务|出纳|采购|主管|经理|总监|助理|秘书|前台|人事|行政|HR|hr)(?:部|组)?|${RELATION}|${OCCUPATION})`;
const CHINESE_NAME = `(?:${COMPOUND_SURNAMES}|[${SURNAMES}])(?:(?![${NAME_STOP}])[\\u4e00-\\u9fff]){1,2}`;
/** After a weakly cued name comes a pause or a word that starts the rest of the sentence. */
const NAME_END = `(?=$|[^\\u4e00-\\u9fff]|[${NAME_STOP}要让帮给跟找买付下上打发问也都还就又才去来用刚昨今前])`;
/** A title written after the name: 赵…经理, 刘…主任, 陈…老师. */
const TITLE_AFTER =
  '(?:经理|主任|老师|医生|大夫|总监|主管|律师|教授|博士|院长|校长|所长|科长|处长|局长|部长|店长|总(?![\\u4e00-\\u9fff]))';
/** What may stand before a name with a title after it: a boundary or a small word (的, 是, 找, 由...). */
const BEFORE_TITLED_NAME = '(?<=^|[^\\u4e00-\\u9fff]|[的是叫找由和跟给请问让把被向])';
const CUED_NAMES = [
  { pattern: new RegExp(`(?<=${STRONG_CUE}\\s?)${CHINESE_NAME}`, 'g'), weak: false },
  { pattern: new RegExp(`(?<=${WEAK_CUE}\\s?)${CHINESE_NAME}${NAME_END}`, 'g'), weak: true },
  // A self-introduction with what the writer does: 我是开花店的…, 我是三楼的….
  {
    pattern: new RegExp(`(?<=我是[^，。,.!?！？\\s]{1,12}的)${CHINESE_NAME}${NAME_END}`, 'g'),
    weak: true,
  },
  {
    pattern: new RegExp(`${BEFORE_TITLED_NAME}${CHINESE_NAME}(?=${TITLE_AFTER})`, 'g'),
    weak: true,
  },
  // A signature line: "——王…" at the end of the message or of a line.
  {
    pattern: new RegExp(
      `(?<=(?:^|\\n)\\s*(?:——|—|--|－－|~)\\s?)${CHINESE_NAME}(?=\\s*(?:$|\\n))`,
      'g',
    ),
    weak: false,
  },
];
/** Everyday words and places a weak cue may precede (我是江苏的, 我是高中生, 女儿房间). */
const NOT_A_CUED_NAME =
  /(?:^(?:和|申[诉请报]|项目|车间|华[东南西北中]|高级|资深|首席|全职|兼职|常务|单位|安全|技术|市场|运营)|生|员|人|者|户|客|家|族|党|迷|粉|方|省|市|县|区|部|组|科|处|室|店|司|院|所|队|班|级|房间|安卓|江苏|江西|安徽|福建|湖南|湖北|河南|河北|广东|广西|海南|云南|甘肃|宁夏|山东|山西|新疆|西藏|香港|台湾)$/;

/** Words made of an occupation's last character and a surname: 师傅 (a tradesman), 员工, 长江. */
const OCCUPATION_WORD = /^(?:师[傅范兄姐弟妹父母]|长[江安沙城寿期久]|员[工])$/;
/** 写成/改为 end a cue: in "户名写成冯…" the name starts after 成, not at it. */
const CUE_VERB_BEFORE = /[写填改换]$/;

export function findCuedChineseNames(text: string): Candidate[] {
  const names: Candidate[] = [];
  for (const { pattern, weak } of CUED_NAMES) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const value = match[0];
      if (/^[成为]/.test(value) && CUE_VERB_BEFORE.test(text.slice(0, match.index))) {
        pattern.lastIndex = match.index + 1;
        continue;
      }
      if (TITLE.test(value) || NOT_A_BARE_NAME.test(value)) continue;
      if (weak && NOT_A_CUED_NAME.test(value)) continue;
      if (weak && OCCUPATION_WORD.test(text.slice(match.index - 1, match.index + 1))) continue;
      names.push({
        kind: 'name',
        priority: 30,
        start: match.index,
        end: match.index + value.length,
      });
    }
  }
  return names;
}

/**
 * A name found once is personal data wherever else it occurs in the message: the full name again,
 * a Chinese given name on its own ("给佳怡" after 何佳怡), an English first or last name ("Dan" is
 * not covered, "Daniel" is).
 */
export function findRepeatedNames(text: string, findings: readonly Candidate[]): Candidate[] {
  const forms = new Set<string>();
  for (const finding of findings) {
    if (finding.kind !== 'name') continue;
    const name = text.slice(finding.start, finding.end);
    forms.add(name);
    if (/^[\u4e00-\u9fff]{3,4}$/.test(name)) {
      const surname = new RegExp(`^(?:${COMPOUND_SURNAMES})`).exec(name)?.[0] ?? name[0]!;
      const given = name.slice(surname.length);
      if (given.length === 2) forms.add(given);
    } else if (/\s/.test(name)) {
      for (const word of name.split(/\s+/)) if (/^\p{Lu}\p{Ll}{2,}$/u.test(word)) forms.add(word);
    }
  }
  const names: Candidate[] = [];
  for (const form of forms) {
    const latin = /[A-Za-z]/.test(form);
    for (let start = text.indexOf(form); start >= 0; start = text.indexOf(form, start + 1)) {
      const end = start + form.length;
      // A Latin name is a whole word; a Han one sits anywhere (Han text has no spaces).
      if (latin && (/\p{L}/u.test(text[start - 1] ?? '') || /\p{L}/u.test(text[end] ?? '')))
        continue;
      if (!latin && NOT_A_BARE_NAME.test(form)) continue;
      names.push({ kind: 'name', priority: 30, start, end });
    }
  }
  return names;
}
