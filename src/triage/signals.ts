/**
 * Risk and urgency signals an experienced agent looks for, in Chinese and English
 * (see shared/domain/after-sales.md, "Urgency signals"). Each detector returns the
 * evidence it found so reasons can quote it.
 */

export interface Signal {
  kind:
    | 'regulator_threat'
    | 'legal_threat'
    | 'media_threat'
    | 'safety_hazard'
    | 'repeat_contact'
    /** Three or more contacts about the same thing (counted, or written again in the conversation). */
    | 'escalating_contact'
    | 'anger'
    | 'deadline'
    | 'vulnerable_customer'
    | 'chargeback'
    | 'account_security'
    | 'human_requested';
  evidence: string;
}

const patterns: Record<Exclude<Signal['kind'], 'escalating_contact'>, RegExp[]> = {
  regulator_threat: [
    /12315|12345热线|消协|消费者协会|消保委|工商局?|市场监管|监管部门|黑猫投诉|315/u,
    /\b(bbb|better business bureau|ftc|trading standards|consumer (protection|affairs|council)|ombudsman|attorney general|regulator)\b/i,
  ],
  legal_threat: [
    /律师|起诉|法院|告你们|打官司|法律途径|诉讼|仲裁|报警|公安/u,
    /\b(lawyer|attorney|sue|suing|lawsuit|legal action|small claims|court|police)\b/i,
  ],
  media_threat: [
    /曝光|媒体|记者|微博|抖音|小红书|发到网上|朋友圈曝光|热搜/u,
    /\b(go(ing)? public|the press|journalist|media|news(paper)?|viral|twitter|tiktok|reddit|weibo|xiaohongshu|douyin|post (it|this) (online|everywhere|all over)|review everywhere)\b/i,
  ],
  safety_hazard: [
    /起火|着火|冒烟|烧焦|爆炸|炸了|漏电|触电|电到|烫伤|烧伤|受伤|流血|割伤|过敏|中毒|食物中毒|拉肚子|呕吐|有毒|窒息|火灾/u,
    /\b(fire|caught fire|smok(e|ing)|burn(t|ed|ing)?|explod(e|ed|ing)|exploded|electric(al)? shock|shocked me|injur(y|ed|ies)|bleeding|cut (my|his|her)|allergic|allergy|poison(ed|ing)?|food poisoning|toxic|chok(e|ing)|hospital|melted)\b/i,
  ],
  repeat_contact: [
    /第[二三四五六七八九十几\d]+次|又来问|问了[好几\d一二三四五]+[次遍]|说了[好几\d一二三四五]+[次遍]|多次|反复|一直没人|没人理|没人回|还是没|催了[好几\d]+/u,
    /\b(again|second time|third time|fourth time|\d+(st|nd|rd|th) time|(several|many|multiple|\d+) times|keep (asking|contacting|calling|writing)|still (no|not|haven't|hasn't)|no one (has )?(replied|answered|responded)|nobody (replied|answered|responds))\b/i,
  ],
  anger: [
    /垃圾|骗子|骗人|坑人|坑爹|无语|气死|太差|差劲|恶心|什么破|破玩意|滚|妈的|tmd|他妈|fuck|去死|离谱|过分|欺负|忍无可忍|受够了/iu,
    /\b(scam|scammers?|rip[- ]?off|ridiculous|unacceptable|disgusting|furious|pathetic|useless|worst|terrible|horrible|joke|fed up|wtf|damn|hell|shit|fuck\w*|angry|outraged|incompetent)\b/i,
    /[!！]{3,}/u,
  ],
  deadline: [
    /生日|礼物|送人|婚礼|结婚|出差|旅行|旅游|出国|考试|明天要用|急用|着急用|赶时间|来不及|节前|加急|(今天|今晚|明天|后天|周[一二三四五六日天末]|下周[一二三四五六日天]?|星期[一二三四五六日天]|\d+号)(下班)?(之前|以前|前)(要|得|必须|一定|能|到|给|发|收到)/u,
    /\b(birthday|gift|present|wedding|trip|travel(l?ing)?|flight|vacation|holiday|anniversary|by (tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend)|need it (by|before)|urgent(ly)?|asap)\b/i,
    // A stated deadline however it is worded: "need the invoice by end of today", "before i fly out".
    /\b(need|want|must have|have to get)\b.{0,30}\b(by|before) (the )?(end of (the )?(day|today|week|month)|tonight|today|tomorrow|i (go|leave|fly))\b|\b(fly(ing)? out|expedite|rush (it|the order|my order|shipping))\b/i,
  ],
  vulnerable_customer: [
    /老人|老年人|孕妇|怀孕|残疾|病人|住院|宝宝|婴儿/u,
    /\b(elderly|pregnant|disabled|disability|in hospital|my baby|infant|newborn)\b/i,
  ],
  account_security: [
    /账号被盗|被盗号|盗号|账号被人登|异地登录|不是我下的单|不是我本人|卖了?我的(信息|手机号|电话|资料)|把我的?(信息|手机号|电话|资料)\S{0,3}卖|信息泄露|泄露了?我的|个人信息被/u,
    /\b(hacked|account (was )?(compromised|taken over)|someone (logged|signed) in(to)? my account|orders? i (didn'?t|did not) (make|place)|sold my (number|data|details|information)|data (breach|leak)|leaked my)\b/i,
  ],
  human_requested: [
    /转人工|人工客服|找人工|真人客服|要人工|跟人说话|和人说话|叫你们(主管|经理|领导)/u,
    /\b(real (person|human|agent)|human agent|talk to (a |an )?(human|person|agent|someone|manager|supervisor)|speak (to|with) (a |an )?(human|person|agent|someone|manager|supervisor)|not a bot)\b/i,
  ],
  chargeback: [
    /拒付|信用卡争议|申请撤单|银行投诉/u,
    /\b(chargeback|dispute (the|this) (charge|payment)|call my bank|reverse the charge)\b/i,
  ],
};

// "会不会漏电" / "is it safe... worried about fire" asks about a hazard; it does not report one.
const hypotheticalHazard =
  /会不会|会不|是否|安全吗|安全不|安不安全|怕|担心|万一|\b(is it safe|safe to|worried|could it|will it|might|would it|does it|risk of|in case)\b/iu;
const reportedHazard =
  /(起火|着火|冒烟|烧焦|爆炸|炸了|漏电|触电|电到|烫伤|烧伤|受伤|流血|过敏|中毒|拉肚子|呕吐)了|(已经|刚才|突然|昨天|今天|结果|直接).{0,8}(起火|着火|冒烟|爆炸|炸|漏电|触电|烫伤|烧伤|受伤|过敏|中毒)|\b(caught fire|exploded|burn(ed|t) (me|my|him|her)|shocked me|got (burned|burnt|hurt|injured|shocked|sick)|started smoking|is smoking|was smoking|melted|hospital|rash|allergic reaction|poisoned)\b/iu;

/** "第三次", "fifth time", "4 times": a count of contacts that has passed two. */
const countedContacts =
  /第[三四五六七八九十\d]+次|[三四五六七八九十\d]+次(了|都|联系|找|问|打|催)|\b(third|fourth|fifth|sixth|seventh|\d+(rd|th)) (time|message|email|call)\b|\b(three|four|five|six|seven|\d+) (times|messages|emails|calls)\b/iu;

export function detectSignals(text: string): Signal[] {
  const found: Signal[] = [];
  const counted = countedContacts.exec(text);
  if (counted) found.push({ kind: 'escalating_contact', evidence: counted[0] });
  for (const [kind, regexes] of Object.entries(patterns) as [Signal['kind'], RegExp[]][]) {
    if (kind === 'safety_hazard' && hypotheticalHazard.test(text) && !reportedHazard.test(text))
      continue;
    for (const regex of regexes) {
      const match = regex.exec(text);
      if (match) {
        found.push({ kind, evidence: match[0] });
        break;
      }
    }
  }
  return found;
}

const chineseNumbers: Record<string, number> = {
  一: 1,
  两: 2,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
  半: 0.5,
  几: 3,
  好几: 4,
};
const englishNumbers: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  several: 4,
  few: 3,
  couple: 2,
};
const unitDays: Record<string, number> = {
  天: 1,
  日: 1,
  周: 7,
  星期: 7,
  礼拜: 7,
  个月: 30,
  月: 30,
  day: 1,
  week: 7,
  month: 30,
  hour: 1 / 24,
  小时: 1 / 24,
};

function parseNumber(token: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(token)) return Number(token);
  if (token in chineseNumbers) return chineseNumbers[token];
  if (token.toLowerCase() in englishNumbers) return englishNumbers[token.toLowerCase()];
  if (token === '十来' || token === '十几') return 10;
  if (/^十[一二三四五六七八九]$/.test(token)) return 10 + (chineseNumbers[token[1]!] ?? 0);
  if (/^[一二三四五六七八九]十$/.test(token)) return 10 * (chineseNumbers[token[0]!] ?? 0);
  return undefined;
}

/**
 * The longest wait the customer states, in days ("等了一周", "三天了还没到",
 * "waited 10 days", "two weeks now"), or 0. Only durations that read as elapsed
 * waiting count, not policy windows ("7天无理由").
 */
export function statedWaitDays(text: string): number {
  let longest = 0;
  const zh =
    /(等了|已经|都|快|整整|过了)?\s*(\d+|好几|[一两二三四五六七八九十半几来]+)\s*个?多?\s*(个月|天|日|周|星期|礼拜|小时)多?(了|还|都|没|仍|依然|也)/gu;
  const zhLead =
    /(等了|已经|都|整整|过了)\s*(\d+|好几|[一两二三四五六七八九十半几来]+)\s*(个月|天|日|周|星期|礼拜|小时)/gu;
  const en =
    /\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|couple)\s+(?:of\s+)?(day|week|month|hour)s?\b(?=[^.?!]{0,40}\b(ago|now|already|later|and still|still|waiting|since|late|overdue|hasn'?t|haven'?t|not|no|never|zero)\b)|\b(?:waited|waiting|waiting for|been)\s+(?:for\s+)?(?:over\s+|more than\s+|almost\s+)?(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|couple)\s+(?:of\s+)?(day|week|month|hour)s?\b/gi;
  for (const regex of [zh, zhLead]) {
    for (const match of text.matchAll(regex)) {
      const amount = parseNumber(match[2]!);
      const unit = unitDays[match[3]!];
      if (amount !== undefined && unit !== undefined) longest = Math.max(longest, amount * unit);
    }
  }
  for (const match of text.matchAll(en)) {
    const amount = parseNumber((match[1] ?? match[4])!);
    const unit = unitDays[(match[2] ?? match[5])!.toLowerCase()];
    if (amount !== undefined && unit !== undefined) longest = Math.max(longest, amount * unit);
  }
  return longest;
}
