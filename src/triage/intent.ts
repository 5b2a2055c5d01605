/**
 * Question or request? A policy question ("退款多久到账") may be answered by the bot in
 * `questions` categories; a request to act on an order ("帮我把这单取消") needs a person.
 * The trained model reads the whole message; the surface form (an interrogative with no
 * imperative) is strong evidence it cannot always weigh, so the two are combined here.
 */
import type { Classification } from '../models/ports.js';

export const interrogative =
  /[?？]|吗|呢|么|(来得及|行|对|好|能|会|够|用|要|算|成)不[?？。!！]*$|咋|啥|多久|几天|几个|多少|怎么|怎样|如何|能不能|可不可以|可以.{0,8}[吗不]|是不是|有没有|还能|会不会|算不算|哪|^(is|are|can|could|do|does|did|will|would|how|what|when|where|why|which|who|any)\b|\b(is it|is there|can i|could i|do i|do you|does it|how (long|many|much|do)|what('s| is| does| happens)|when (will|do|does|is)|too late to)\b/iu;
export const imperative =
  /帮我|给我(退|换|改|取消|开|补|寄|发|处理)|麻烦(你|帮|给)|请(帮|给|尽快|马上|立即)|赶紧|马上(给|处理|退)|我要(退|换|取消|投诉|改)|我想(退掉|换货|取消)|要换|要退|要改|立刻|尽快处理|\b(please (cancel|refund|change|update|send|fix|process|rebook|check)|cancel my|refund me|change my|update my|i want (a|my) (refund|return)|i need you to|fix (this|it) (now|asap)|asap)\b/iu;

export interface Intent {
  label: 'question' | 'request';
  confidence: number;
  reasons: string[];
}

/**
 * How sure the trained model must be to overrule the surface form of a question. Chosen by
 * cross-validation on the taxonomy's examples (bench/classify/intent-cv.ts): customers
 * word requests as questions ("两天了怎么还没审核", "can someone push my refund through"),
 * which the interrogative pattern alone calls questions.
 */
export const MODEL_OVERRULES_FORM = 0.75;

export function resolveIntent(
  text: string,
  model: Classification,
  options: { followUp?: boolean } = {},
): Intent {
  const modelLabel = model.label === 'request' ? 'request' : 'question';
  const asks = interrogative.test(text);
  const orders = imperative.test(text);
  // An explicit ask for action always goes to a person: wrongly answering it costs more.
  if (orders)
    return {
      label: 'request',
      confidence: Math.max(model.confidence, 0.7),
      reasons: ['asks for an action'],
    };
  // The model learned from whole messages; a short follow-up read with its topic carries the
  // earlier turns' order numbers and complaints, so there the form of the new message decides.
  if (asks && (options.followUp || model.confidence < MODEL_OVERRULES_FORM))
    return {
      label: 'question',
      confidence: Math.max(model.confidence, 0.7),
      reasons: ['phrased as a question'],
    };
  return {
    label: modelLabel,
    confidence: model.confidence,
    reasons: [`${modelLabel} (model ${model.confidence.toFixed(2)})`],
  };
}
