/**
 * Triage reasons, flags and signal names in the console's language: the stored result
 * carries each reason as a code with parameters (src/triage/reasons.ts); here is one zh
 * and one en template per code. A code this table lacks (a newer server) shows the English
 * sentence the result also carries.
 */
import { categoryName, language } from './i18n.js';

const templates = {
  en: {
    signal: '{kind}: “{evidence}”',
    model_flag: '{flag} (model)',
    output_blocked: 'reply held back by the output check: {violations}',
    conversation_topic: 'classified with the {turns} earlier customer turn(s) of the conversation',
    repeat_fury: 'repeated contact in anger: escalate',
    hazard_model: 'reported {kind} (emergency model, p={probability})',
    complaint_sla: 'complaint: acknowledged within the hour',
    stated_wait: 'stated wait of {days} days',
    money_at_stake: 'money at stake: {amount}',
    person_must_act: '{category}: a person must act',
    injection_attempt: 'prompt injection attempt',
    routine_question: 'routine question',
    negative_tone: 'negative tone',
    risk_flags: 'risk flag: {flags}',
    out_of_scope: 'out of scope for the taxonomy',
    not_answerable:
      '{entry} is the nearest entry but does not answer this (no-entry probability {none})',
    classifier_person_only: 'the classifier alone says {category}, which a person handles',
    person_only_category: '{category} is always handled by a person',
    request_needs_person: 'a request, not a policy question: {category} requests need a person',
    classifier_unsure: 'classifier unsure ({confidence} < {threshold})',
    urgency_above: 'urgency {level} is above {max}',
    no_match: 'no knowledge-base entry matches',
    match_unsure: 'best knowledge-base match {entry} is not confident ({score} < {threshold})',
    entry_person_only: 'entry {entry} is sent by a person only',
    classifier_rules_out:
      'entry {entry} is about {category}, which the classifier rules out ({support})',
    answered_from: 'answered from {entry}',
    acknowledged: 'acknowledged ({category})',
    agent_handling:
      'an agent is handling this conversation: the bot stays silent until the ticket is solved',
    small_talk: 'only a {kind}: answered briefly, no ticket',
    small_talk_on_ticket: 'only a {kind} on an open ticket: added to it, nothing re-triaged',
    triage_failed: 'triage failed ({error}): handed to a person',
    language: 'language {language} ({confidence})',
    redacted: 'personal data removed: {kinds}',
    no_personal_data: 'no personal data found',
    entities_found: '{orders} order numbers, {tracking} tracking numbers, {amounts} amounts found',
    no_entities: 'no order or tracking number, amount or date found',
    prompt_injection: 'possible prompt injection: “{evidence}”',
    third_party_data: 'asks about another person’s data or order: “{evidence}”',
    commitment_request: 'asks for a commitment only a person can make: “{evidence}”',
    category: 'category {category} ({confidence})',
    out_of_scope_guess: 'out of scope (best guess {category}, {confidence})',
    multiple_issues: 'several issues in one message: {categories}',
    intent: '{label} ({confidence})',
    best_match: 'best knowledge-base match {entry} ({score})',
    category_fused:
      'category {category} from the match {entry} ({score}) over the classifier’s {classifier} ({probability})',
    llm: 'LLM {model}: {category} ({confidence}), {tokens} tokens',
    llm_failed: 'LLM failed ({code}): local result kept, handed off',
  },
  zh: {
    signal: '{kind}：“{evidence}”',
    model_flag: '{flag}（模型判断）',
    output_blocked: '回复未通过出站检查，已拦截：{violations}',
    conversation_topic: '结合本会话前 {turns} 条客户消息判断分类',
    repeat_fury: '多次联系且情绪激烈：需升级处理',
    hazard_model: '客户报告紧急情况：{kind}（紧急情况模型，p={probability}）',
    complaint_sla: '投诉：需在一小时内响应',
    stated_wait: '客户称已等待 {days} 天',
    money_at_stake: '涉及金额：{amount}',
    person_must_act: '{category}：需要人工处理',
    injection_attempt: '疑似提示词注入',
    routine_question: '常规咨询',
    negative_tone: '语气负面',
    risk_flags: '风险标记：{flags}',
    out_of_scope: '不属于任何分类',
    not_answerable: '最接近的条目 {entry} 并不能回答这个问题（无条目概率 {none}）',
    classifier_person_only: '分类模型判断为“{category}”，需人工处理',
    person_only_category: '“{category}”类问题一律由人工处理',
    request_needs_person: '是办理请求而非政策咨询：“{category}”类请求需人工处理',
    classifier_unsure: '分类置信度不足（{confidence} < {threshold}）',
    urgency_above: '紧急程度“{level}”高于自动回复上限“{max}”',
    no_match: '没有匹配的知识库条目',
    match_unsure: '最佳知识库匹配 {entry} 置信度不足（{score} < {threshold}）',
    entry_person_only: '条目 {entry} 只能由人工发送',
    classifier_rules_out: '条目 {entry} 属于“{category}”，分类模型认为不相符（{support}）',
    answered_from: '依据条目 {entry} 自动回复',
    acknowledged: '已致谢（{category}）',
    agent_handling: '该会话已由人工接手：工单解决前机器人不再回复',
    small_talk: '仅为{kind}：简短回复，不建工单',
    small_talk_on_ticket: '仅为{kind}：已附在进行中的工单上，未重新分诊',
    triage_failed: '分诊失败（{error}）：已转人工',
    language: '语言：{language}（{confidence}）',
    redacted: '已去除个人信息：{kinds}',
    no_personal_data: '未发现个人信息',
    entities_found: '识别到订单号 {orders} 个、快递单号 {tracking} 个、金额 {amounts} 个',
    no_entities: '未识别到订单号、快递单号、金额或日期',
    prompt_injection: '疑似提示词注入：“{evidence}”',
    third_party_data: '询问他人的信息或订单：“{evidence}”',
    commitment_request: '要求只有人工才能做出的承诺：“{evidence}”',
    category: '分类：{category}（{confidence}）',
    out_of_scope_guess: '不属于任何分类（最接近：{category}，{confidence}）',
    multiple_issues: '一条消息包含多个问题：{categories}',
    intent: '{label}（{confidence}）',
    best_match: '最佳知识库匹配：{entry}（{score}）',
    category_fused:
      '依据匹配条目 {entry}（{score}）归为“{category}”，而非分类模型的“{classifier}”（{probability}）',
    llm: '大模型 {model}：{category}（{confidence}），{tokens} 个 token',
    llm_failed: '大模型调用失败（{code}）：保留本地结果并转人工',
  },
};

/** Flags, signal kinds and other codes that appear as parameters. */
const names = {
  en: {
    prompt_injection: 'prompt injection',
    regulator_threat: 'regulator threat',
    legal_threat: 'legal threat',
    media_threat: 'media threat',
    safety_hazard: 'safety hazard',
    chargeback: 'chargeback',
    human_requested: 'asks for a person',
    account_security: 'account security',
    multiple_issues: 'several issues',
    threat: 'threat',
    llm_unavailable: 'LLM unavailable',
    commitment_request: 'asks for a commitment',
    third_party_data: 'another person’s data',
    output_blocked: 'reply held back',
    triage_failed: 'triage failed',
    repeat_contact: 'repeated contact',
    escalating_contact: 'third contact or more',
    escalation: 'escalating repeat contact',
    scam: 'scam',
    fire: 'fire or smoke',
    electrical: 'electrical fault',
    battery: 'battery danger',
    injury: 'injury',
    illness: 'illness',
    food: 'unsafe food',
    cosmetic: 'skin reaction',
    child: 'child at risk',
    medical: 'medical care needed',
    repeat_fury: 'furious repeat contact',
    anger: 'anger',
    deadline: 'deadline',
    vulnerable_customer: 'vulnerable customer',
    greeting: 'greeting',
    thanks: 'thanks',
    acknowledgement: 'acknowledgement',
    question: 'a question',
    request: 'a request',
  },
  zh: {
    prompt_injection: '提示词注入',
    regulator_threat: '扬言向监管部门投诉',
    legal_threat: '扬言采取法律行动',
    media_threat: '扬言曝光',
    safety_hazard: '安全隐患',
    chargeback: '拒付/撤销付款',
    human_requested: '要求人工',
    account_security: '账户安全',
    multiple_issues: '多个问题',
    threat: '威胁',
    llm_unavailable: '大模型不可用',
    commitment_request: '要求承诺',
    third_party_data: '涉及他人信息',
    output_blocked: '回复已拦截',
    triage_failed: '分诊失败',
    repeat_contact: '多次联系',
    escalating_contact: '第三次及以上联系',
    escalation: '反复联系且升级',
    scam: '诈骗',
    fire: '起火冒烟',
    electrical: '漏电触电',
    battery: '电池危险',
    injury: '受伤',
    illness: '身体不适',
    food: '食品安全',
    cosmetic: '皮肤过敏',
    child: '儿童安全',
    medical: '需要就医',
    repeat_fury: '反复联系且愤怒',
    anger: '愤怒',
    deadline: '有截止时间',
    vulnerable_customer: '需特别关照的客户',
    greeting: '问候',
    thanks: '道谢',
    acknowledgement: '确认',
    question: '咨询',
    request: '办理请求',
  },
};

const languageNames = { zh: { zh: '中文', en: '英文' }, en: { zh: 'Chinese', en: 'English' } };
const urgencyNames = {
  zh: { low: '低', normal: '普通', high: '高', critical: '紧急' },
  en: { low: 'low', normal: 'normal', high: 'high', critical: 'critical' },
};

/** A flag, signal kind or similar code in the console's language. */
export const codeName = (code) => names[language()][code] ?? String(code).replace(/_/g, ' ');

const list = (value, one) =>
  String(value)
    .split(/,\s*/)
    .filter(Boolean)
    .map(one)
    .join(language() === 'zh' ? '、' : ', ');
const twoDecimals = (value) => (typeof value === 'number' ? value.toFixed(2) : value);

function param(name, value) {
  const current = language();
  switch (name) {
    case 'category':
    case 'classifier':
      return categoryName(value || null);
    case 'categories':
      return list(value, categoryName);
    case 'flags':
      return list(value, codeName);
    case 'flag':
    case 'kind':
    case 'label':
      return codeName(value);
    case 'level':
    case 'max':
      return urgencyNames[current][value] ?? value;
    case 'language':
      return languageNames[current][value] ?? value;
    case 'days':
      return typeof value === 'number' ? Math.round(value * 10) / 10 : value;
    case 'confidence':
    case 'score':
    case 'probability':
    case 'support':
      return twoDecimals(value);
    default:
      return value;
  }
}

/** One typed reason `{code, params}` as a sentence; `fallback` when the code is unknown. */
export function describeReason(reason, fallback = reason.code) {
  const template = templates[language()][reason.code];
  if (!template) return fallback;
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    name in (reason.params ?? {}) ? String(param(name, reason.params[name])) : whole,
  );
}

/** Typed reasons when the result has them (same order as the strings), else the strings. */
export function reasonTexts(details, strings = []) {
  if (!Array.isArray(details) || details.length === 0) return strings;
  return details.map((reason, index) => describeReason(reason, strings[index]));
}
