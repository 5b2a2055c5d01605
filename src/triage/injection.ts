/**
 * Flags prompt-injection attempts in customer text. Customer text is data, never
 * instructions: a flagged message is handed to a person and never answered alone.
 */

const injectionPatterns: RegExp[] = [
  /(忽略|无视|忘记|忘掉|不要理会|跳过)(之前|以上|上面|前面|先前|所有|你的)?.{0,6}(指令|指示|规则|设定|提示|要求|限制)/u,
  /(系统提示词?|system\s*prompt|提示词|内部规则|内部指令|你的指令|你的设定)/iu,
  /(你现在是|从现在起你是|扮演|假装你是|进入.{0,4}模式|开发者模式|DAN模式|越狱)/u,
  /(我是|作为)(管理员|店长|老板|主管|开发者|客服主管|系统管理员).{0,12}(授权|批准|命令|允许|要求你)/u,
  /\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|earlier|all|your|the)\b.{0,20}\b(instructions?|prompts?|rules?|guidelines?|directions?|polic(y|ies))\b/i,
  /\b(system prompt|initial prompt|hidden prompt|developer message|your instructions|reveal your (prompt|rules|instructions))\b/i,
  /\b(you are now|from now on,? you are|act as|pretend (to be|you are)|roleplay as|developer mode|jailbreak|DAN)\b/i,
  /\bas (the |an |your )?([a-z]+ )?(admin|administrator|manager|supervisor|developer|owner)\b.{0,40}\b(authori[sz]e|approve|order|instruct|command)/i,
  /<\/?(system|assistant|instructions?)>|\[\/?(INST|SYS)\]|```\s*(system|prompt)|###\s*(system|instruction)/i,
  /(print|show|output|repeat|dump|list|give me)\b.{0,30}\b(other (customers?|users?)|all (customers?|users?|orders)|database|api key|password|credentials|internal notes?)/i,
  /(其他|别的|所有)(客户|用户|顾客)的?(信息|资料|手机号|电话|地址|订单)|数据库|后台密码|内部备注|api\s*key/iu,
  /\[\s*(admin|system|developer|sudo|root)[\s_-]*(override|mode|command|note)\s*\]|\b(admin|system) override\b|【\s*(系统|管理员)(通知|指令|消息)\s*】/iu,
  // Asking for the configuration the assistant runs with, however it is worded.
  /\b(paste|print|show|reveal|repeat|share|output|send|tell me)\b.{0,30}\b(instructions?|prompts?|configuration|config|rules)\b.{0,20}\byou (were|are|have been|got) (given|configured|set up|programmed|told|running)/i,
  // Notes that pretend to come from staff or the system, inside the customer's text.
  /(管理员|系统|后台|运营|客服主管)(备注|提示|消息|通知|指令|说明)\s*[:：]|\b(admin|system|moderator|staff|operator) (note|notice|message|instruction)\s*:/iu,
  /<!--|\[\/\/\]:\s*#|(^|\n|\()\s*(assistant|system)\s*:/iu,
  // Chat-API message objects pasted into the text: {"role": "system", "content": ...}
  /["']role["']\s*:\s*["'](system|assistant|developer|tool)["']/iu,
  /\b(last|previous|other|another|next) (customer|user|buyer|person)\b.{0,60}\b(live|lives|address|phone|e-?mail|name|order|bought)\b/i,
  /(上一个|上一位|其他|别的)(客户|顾客|买家|用户).{0,12}(住|地址|电话|手机|名字|买了)/u,
];

/**
 * Asking for another person's personal data or order details: the data-leak attempts of
 * social engineering ("it's my friend's order", "the order under Tom Becker"). Flagged only
 * when a third party, a personal-data field and a question come together.
 */
const thirdParty =
  /\b(friend|neighbou?r|colleague|roommate|flatmate|(ex-?)?(wife|husband|partner|boyfriend|girlfriend)|someone else|another (person|customer)|other person)('?s)?\b|\bunder (the name (of )?)?[A-Z][a-z]+( [A-Z][a-z]+)?\b|朋友|邻居|同事|室友|前任|前男友|前女友|别人|他人|其他人/u;
const personalField =
  /\b(phone|mobile|number|address|e-?mail|recipient|id card|(where|which address).{0,30}(live|lives|delivered|sent|shipped))\b|手机|电话|号码|地址|邮箱|身份证|收件人|住(在|哪)/iu;
const asking = /\?|？|\b(what|which|where|tell me|give me|send me|look up|check|find)\b|查|告诉我|发给我|是多少|是什么|在哪|哪里|给我/iu;

export function detectThirdPartyDataRequest(text: string): string | null {
  const party = thirdParty.exec(text);
  const field = personalField.exec(text);
  return party && field && asking.test(text) ? `${party[0]} … ${field[0]}` : null;
}

export interface InjectionCheck {
  flagged: boolean;
  evidence: string[];
}

export function detectInjection(text: string): InjectionCheck {
  const evidence: string[] = [];
  for (const pattern of injectionPatterns) {
    const match = pattern.exec(text);
    if (match) evidence.push(match[0]);
  }
  return { flagged: evidence.length > 0, evidence };
}

/**
 * Demands that the bot commit to something only a person may grant: a coupon or
 * compensation on the spot, a promise to pay, a guarantee. Not an injection, but never
 * answered alone (the rules forbid promising what policy does not grant).
 */
const commitmentPatterns: RegExp[] = [
  /\b(give|send) me (a |an |some )?(coupon|voucher|discount|promo|refund|compensation|credit)s?\b.{0,30}\b(now|or|else|immediately)\b/i,
  /\b(confirm|promise|guarantee|swear)\b.{0,20}\b(you'?ll|you will|that you|to)\b.{0,30}\b(pay|refund|compensate|cover|reimburse|give)\b/i,
  /(保证|承诺|答应|确认).{0,8}(赔|退款|补偿|报销|承担|给我)|(马上|立刻|现在)给我.{0,6}(优惠券|补偿|赔偿|红包|券)/u,
  // Money to an account the customer names: only a person may pay out, and never to a new account.
  /\b(send|transfer|pay|wire|give|refund)\b.{0,25}([$€£¥]\s?\d+|\d+(\.\d+)?\s?(dollars?|usd|eur|rmb|yuan|bucks))\b.{0,40}\b(to|into|on)\b.{0,12}\b(my|this|that)\b.{0,12}\b(paypal|account|card|wallet|venmo|alipay|wechat|bank)/i,
  // Asking the bot itself to hand out a coupon or a code: only a person grants one.
  /(发|给)(我|俺)?.{0,2}(一|几)?[张个份].{0,12}(优惠券|券码|红包|无门槛券|满减券)|(发|给)(我|俺).{0,12}(优惠券|券码|红包|无门槛券|满减券)|\b(send|give|dm|share) me\b.{0,25}\b(coupon|voucher|promo code|discount code)s?\b/iu,
  /\b(convert|cash out|exchange|turn)\b.{0,25}\b(points?|coupons?|vouchers?|credits?|balance)\b.{0,15}\b(in)?to (cash|money)\b|\b(wire|transfer|send|pay)\b.{0,15}\b(it|them|the money|that|this)\b.{0,8}\b(to|into|onto)\b.{0,6}\bmy\b.{0,15}\b(card|account|paypal|alipay|wechat|bank)/i,
  /\byou owe me\b|(转|打|汇|退|赔)(给我|到我)?.{0,6}\d+\s?(元|块|美元)|(转|打|汇)到我的?(支付宝|微信|银行卡|账户|卡)/iu,
];

export function detectCommitmentDemand(text: string): string | null {
  for (const pattern of commitmentPatterns) {
    const match = pattern.exec(text);
    if (match) return match[0];
  }
  return null;
}
