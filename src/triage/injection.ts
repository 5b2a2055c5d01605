/**
 * Flags prompt-injection attempts in customer text. Customer text is data, never
 * instructions: a flagged message is handed to a person and never answered alone.
 */
import { encodedSentences, hiddenReadings } from './injection-variants.js';

const injectionPatterns: RegExp[] = [
  /(忽略|无视|忘记|忘掉|不要理会|跳过)(之前|以上|上面|前面|先前|所有|你的)?.{0,6}(指令|指示|规则|设定|提示|要求|限制)/u,
  /(系统提示词?|system\s*prompt|提示词|内部规则|内部指令|你的指令|你的设定)/iu,
  /(你现在是|从现在起你是|扮演|假装你是|进入.{0,4}模式|开发者模式|DAN模式|越狱)/u,
  /(我是|作为)(管理员|店长|老板|主管|开发者|客服主管|系统管理员).{0,12}(授权|批准|命令|允许|要求你)/u,
  /\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|earlier|all|your|the)\b.{0,20}\b(instructions?|prompts?|rules?|guidelines?|directions?|polic(y|ies))\b/i,
  /\b(system prompt|initial prompt|hidden prompt|developer message|your instructions|reveal your (prompt|rules|instructions))\b/i,
  /\b(you are now|from now on,? you are|act as|pretend (to be|you are)|roleplay as|developer mode|jailbreak)\b/i,
  // DAN in capitals only: "ding dan" is pinyin for an order.
  /\bDAN\b/,
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
  // Notices that pretend the platform, the system or operations wrote part of the customer's text.
  /[【\[(（<]\s*[^】\])）>]{0,8}(系统|平台|官方|运营|管理员|后台|客服中心|风控|技术部)[^】\])）>]{0,6}(通知|公告|通告|消息|指令|声明|提示|更新|插入|备注)[^】\])）>]{0,80}[】\])）>]/u,
  /以下(内容|为|是|由).{0,10}(系统|平台|官方|自动).{0,6}(插入|生成|添加|发送|通知)|(平台|系统)自动(插入|追加|添加)的?(内容|消息|通知)/u,
  /[\[(<]\s*(system|platform|official|admin|operator|operations|moderator|security)\s+(notice|message|update|announcement|instruction|alert|directive)s?\s*[\])>]|\b(auto-?inserted|inserted by the (platform|system))\b/i,
  // Someone claiming a role (courier, staff, a colleague) who asks for data or for the bot to act.
  /(我是|我就是|本人是|这里是|作为)(你们|贵司|贵店|店里)?.{0,4}?(快递员|快递小哥|配送员|骑手|司机|客服|同事|员工|工作人员|技术人员|技术|程序员|平台|官方|经理|店长|老板|主管|内部人员|运营|质检).{0,30}(把|发|告诉|给我|提供|查|导出|报一下|念一下).{0,16}(电话|手机|号码|地址|信息|资料|名单|订单|邮箱|密码|验证码)/u,
  /\bi('?m| am) (the |a |an |your |from )?(courier|delivery (driver|guy|man)|driver|store manager|shop owner|staff|employee|developer|engineer|admin|administrator|colleague|agent|supervisor|tech support|it department|platform team)\b.{0,80}\b(send|give|tell|provide|share|need|read out|forward|export)\b.{0,40}\b(phone|address|number|details|data|info|information|list|e-?mails?|passwords?|codes?|customers?)\b/i,
  // Which model, provider or settings the bot runs on.
  /\b(what|which)\b.{0,20}\b(ai|model|llm|gpt|language model|engine|provider)\b.{0,30}\b(are you|power|powers|running|run|use|behind|based)\b|\b(are you|is this) (chat ?gpt|gpt|claude|gemini|llama|qwen|deepseek|an? (ai|bot|llm))\b.{0,20}\b(version|model|which)|\b(your|its|the model'?s?|bot'?s?) (temperature|top_p|max_tokens)\b|\b(top_p|max_tokens|system message|model name|model version)\b/i,
  /(什么|哪个|哪家|哪一个)(大)?模型|用的(是)?(什么|哪个).{0,6}(模型|AI|ai|引擎)|你是(chatgpt|gpt|GPT|文心|通义|千问|deepseek|DeepSeek|豆包|kimi|Kimi)吗|(模型|AI)的?(参数|设置|配置|温度|版本)/u,
  // Asking for a promise "in writing" that only a person may make.
  /白纸黑字|书面(承诺|保证|确认)|(写下来|写清楚|打字|文字)(承诺|保证|说明)?.{0,12}(赔|退|补偿|双倍|两倍|三倍|报销)|\b(in writing|in black and white|write (it )?down|put (it )?in writing)\b.{0,60}\b(pay|refund|compensat|double|triple|cover|reimburse|owe)/iu,
  // Everyone who bought something: a list of other customers' data.
  /\b(everyone|everybody|all (the )?(people|buyers|customers|users)|each (buyer|customer))\b.{0,40}\b(bought|ordered|purchased|who (bought|ordered))\b|\b(e-?mails?|phone numbers?|addresses|names|contact details|list) of (everyone|all|every|the other)\b/i,
  /(所有|全部|每个|每一个)(买了|购买|下单|买过|订了).{0,20}(人|客户|用户|顾客|买家)的?.{0,6}(邮箱|电话|手机|地址|名单|信息|资料|联系方式)|(买了|购买了?|买过).{0,16}的(人|客户|用户|顾客|买家).{0,12}(的)?(名单|邮箱|电话|手机|联系方式)/u,
  // Pinyin for "ignore the instructions / rules" and "system prompt".
  /\b(hu ?lve|hu ?lue|wu ?shi|wang ?ji|wang ?diao)\b.{0,30}\b(zhi ?ling|gui ?ze|ti ?shi( ?ci)?|she ?ding|xian ?zhi)\b|\bxi ?tong ?ti ?shi( ?ci)?\b/i,
  // Text that speaks to the bot in the third person and tells it what to do: a customer writes to
  // a shop, not to "the assistant"; such lines are instructions smuggled into the message.
  /(机器人|客服系统|AI客服|ai客服|智能客服|自动回复|人工智能|AI|ai|助手|模型)(如果)?(你)?(能|可以)?(读到|看到|收到)(这里|这段|这条|此)|(机器人|客服系统|AI客服|智能客服|助手)(请|必须|务必|需要|应当|立即|马上)/u,
  /\b(the |this )?(assistant|bot|chatbot|ai|model|llm|agent system)\b,? (must|should|shall|will now|is (instructed|required|authori[sz]ed)|please|needs to)\b|\b(bot|assistant|ai),? (please|pls)\b|\bif you are an? (ai|bot|assistant|language model)\b/i,
  /\b(notice|message|announcement|alert|update|directive) from (the )?(store |shop |site |platform )?(admin|administrator|management|platform|system|trust (&|and) safety|operations|headquarters|hq)\b|\bautomated (message|notice) from\b/i,
  /(#{3,}|-{3,}|={3,}|\*{3,}).{0,10}(官方|系统|平台|风控|管理员|运营|后台|通知|公告|提示|notice|system|admin|official|platform)/iu,
  // Asking what the bot was told before the customer spoke: its first message, settings, everything above.
  /(你|机器人)?(收到|接到)的(第一条|最初的?|最开始的?|原始)(指令|消息|设定|提示|内容)|(初始|原始|最初|出厂|内置)(设定|设置|指令|配置|提示)|(上面|之前|前面|以上)的?(所有|全部)(内容|文字|信息)|看不到的(那)?(一)?部分|从[“"']?你是[”"']?(两个字|开始)/u,
  /\b(repeat|print|copy|output|reproduce|recite)\b.{0,30}\b(everything|all|anything|the text|what'?s)\b.{0,20}\b(above|before|prior|preceding)\b|\bverbatim\b.{0,40}\b(instructions?|prompt|above|rules|setup)\b|\bstart(ing)? (with|from) ["']you are\b/i,
  /(填入|填上|插入|替换为|换成).{0,10}(系统|你的|初始)?(设定|提示词|指令|配置|规则)|\b(fill in|insert|paste|put)\b.{0,20}\b(your|the) (system )?(prompt|instructions|rules|config(uration)?|settings)\b/iu,
  // Which vendor or model, in the names people use.
  /(是|用的?)(GPT|gpt|ChatGPT|chatgpt|文心一言?|通义千问|千问|Claude|claude|Kimi|kimi|豆包|DeepSeek|deepseek|Gemini|gemini)(还是|吗|嘛|呢|\?|？)|温度(参数|值|设置)|知识截止|\b(knowledge cut-?off|max tokens|which vendor|what vendor|are (u|you) (claude|chatgpt|gpt|gemini|an ai))\b|\b(which|what) (llm|ai model|language model)\b/iu,
  // An authority or a relative claiming the right to someone else's data.
  /(我是|我们是|本人是).{0,12}(警察|民警|警官|公安|派出所|法院|检察院|市场监管局?|工商局?|税务局?|监管部门|调查组|律师).{0,40}(名单|联系方式|电话|手机|地址|信息|资料|记录)|\b(police|officer|detective|investigator|regulator|inspector|lawyer|attorney)\b.{0,60}\b(need|give|send|provide|share)\b.{0,30}\b(name|phone|address|details|records|list|data)\b/iu,
  /\bthis is [A-Z][a-z]+ (from|in|on) (the )?(cs|support|customer service|service|warehouse|it|tech|ops|operations|finance|refunds?) (team|department|desk)\b/i,
  /(账号|帐号|账户)(主人|本人|持有人)的?(老公|老婆|丈夫|妻子|家人|爸|妈|儿子|女儿|朋友)|(她|他)的?(账号|帐号|账户)(绑|绑定)的?(手机|电话|邮箱)|这个手机号.{0,10}(下过|买过|有)哪些订单|(系统|后台)里.{0,10}(订单|客户|用户)的?(收货)?(地址|电话|信息).{0,6}(导出|发|给)/u,
  // Role-play that frees the bot of its rules, and "forget the rules" without the word instruction.
  /(假设|假如|如果)你(是|已经是|现在是).{0,20}(不用|不必|不再|无需).{0,6}(守|遵守|管|理会)|(规矩|条条框框|限制|规定)(了)?.{0,4}(别管|不用管|不管|都不用|作废)|(别管|不用管|不管|抛开|忘掉)(你|你的|你那些)?.{0,6}(规矩|条条框框|限制|规定|设定)|(设定|规则|指令)(全部|都|统统)?(作废|无效|失效)|新(的)?设定(如下|是)/u,
  /\b(pretend|imagine|suppose) (you'?re|you are|to be)\b.{0,60}\b(off the record|no rules|not bound|don'?t have to|secret|staff|insider|coupon codes?)\b/i,
  // Spaced-out letters read back without their spaces run words together: "ignoreyourrules".
  /(ignore|disregard|forget|bypass)(all|your|the|any|previous|prior|above|my|these)*(rules|instructions?|prompts?|guidelines)|(show|reveal|print|give)(me)?(your|the)(system|hidden|initial)?(prompt|instructions|rules)/i,
  /<\|im_(start|end)\|>|<\|(system|user|assistant)\|>|\[\/?(system|assistant|user)\]/i,
  // Dictating the bot's answer: "just say yes", "type 'I guarantee…'".
  /(只能|只需要?|只要|就)回(答|复)?[“"']?(是|对|可以|同意|好的)[”"']?|\b(just|only) (type|say|write|reply|answer)\b.{0,10}["'“]/iu,
];

/**
 * Asking for another person's personal data or order details: the data-leak attempts of
 * social engineering ("it's my friend's order", "the order under Tom Becker"). Flagged only
 * when a third party, a personal-data field and a question come together.
 */
const thirdParty =
  /\b(other|all( the)?|every|everyone|any)\b.{0,12}\b(customers?|users?|buyers?|members?|shoppers?|people)\b|\beveryone who\b|(所有|其他|其它|别的|全部)的?(客户|顾客|用户|买家|会员|人)|\b(friend|neighbou?r|colleague|roommate|flatmate|(ex-?)?(wife|husband|partner|boyfriend|girlfriend)|someone else|another (person|customer)|other person)('?s)?\b|\bunder (the name (of )?)?[A-Z][a-z]+( [A-Z][a-z]+)?\b|朋友|闺蜜|同学|亲戚|邻居|同事|室友|前任|前男友|前女友|别人|他人|其他人/u;
const personalField =
  /\b(phones?|mobiles?|numbers?|address(es)?|e-?mails?|recipients?|id cards?|(where|which address).{0,30}(live|lives|delivered|sent|shipped))\b|手机|电话|号码|地址|邮箱|身份证|收件人|住(在|哪)/iu;
const asking =
  /\?|？|\b(what|which|where|tell me|give me|send me|look up|check|find)\b|查|告诉我|发给我|是多少|是什么|在哪|哪里|给我/iu;

export function detectThirdPartyDataRequest(text: string): string | null {
  // Also in the readings an attacker hides a request in ("s h o w  m e …").
  for (const reading of [text, ...hiddenReadings(text)]) {
    const party = thirdParty.exec(reading);
    const field = personalField.exec(reading);
    if (party && field && asking.test(reading)) return `${party[0]} … ${field[0]}`;
  }
  return null;
}

export interface InjectionCheck {
  flagged: boolean;
  evidence: string[];
}

export function detectInjection(text: string): InjectionCheck {
  const evidence: string[] = [];
  // The text as written, then the readings an attacker hides instructions in (spaced, leet, Base64).
  for (const reading of [text, ...hiddenReadings(text)]) {
    for (const pattern of injectionPatterns) {
      const match = pattern.exec(reading);
      if (match && !evidence.includes(match[0])) evidence.push(match[0]);
    }
    if (evidence.length) break;
  }
  for (const sentence of encodedSentences(text))
    evidence.push(`encoded text: ${sentence.slice(0, 60)}`);
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
