/**
 * Openers and closers: a message made only of greetings ("在吗", "hi there"), thanks
 * ("thx", "谢谢啦") or acknowledgements ("ok", "收到") plus punctuation, emoji and filler
 * particles is not a contact about an issue. It is recognised by segmenting the whole
 * message into a small lexicon of such forms (longest match first); a single word outside
 * the lexicon ("你好，我的快递还没到") means it is a real message and goes through triage.
 */
import { z } from 'zod';

export const smallTalkKindSchema = z.enum(['greeting', 'thanks', 'acknowledgement']);
export type SmallTalkKind = z.infer<typeof smallTalkKindSchema>;

type TokenKind = SmallTalkKind | 'filler';

const lexicon: Record<TokenKind, string[]> = {
  greeting: [
    // zh
    '你好',
    '您好',
    '你们好',
    '大家好',
    '在吗',
    '在么',
    '在嘛',
    '在不在',
    '在不',
    '在没',
    '有人吗',
    '有人在吗',
    '有没有人',
    '哈喽',
    '哈罗',
    '嗨',
    '嘿',
    '早',
    '早安',
    '早上好',
    '上午好',
    '中午好',
    '下午好',
    '晚上好',
    '午安',
    '请问',
    '请问一下',
    '问一下',
    '问下',
    '咨询一下',
    '咨询下',
    '我想问一下',
    '我想问下',
    '我想咨询一下',
    '想问一下',
    '想问下',
    '想咨询一下',
    '打扰一下',
    '打扰了',
    // en
    'hi',
    'hii',
    'hiya',
    'hello',
    'helo',
    'hallo',
    'hey',
    'heya',
    'howdy',
    'yo',
    'greetings',
    'good morning',
    'good afternoon',
    'good evening',
    'morning',
    'anyone there',
    'anybody there',
    'is anyone there',
    'is anybody there',
    'anyone',
    'anybody',
    'are you there',
    'you there',
    'u there',
    'r u there',
    'someone there',
    'excuse me',
    'i have a question',
    'quick question',
    'a question',
    'can i ask something',
    'can you help me',
    'can you help',
    'i need help',
    'need help',
    'help',
  ],
  thanks: [
    // zh
    '谢谢',
    '谢啦',
    '谢了',
    '多谢',
    '感谢',
    '感恩',
    '非常感谢',
    '太感谢了',
    '万分感谢',
    '谢谢你',
    '谢谢您',
    '谢谢亲',
    '辛苦了',
    '辛苦啦',
    '辛苦',
    '麻烦了',
    '麻烦你了',
    '麻烦您了',
    '3q',
    // en
    'thanks',
    'thank you',
    'thank u',
    'thankyou',
    'thanx',
    'thx',
    'thnx',
    'thks',
    'tks',
    'ty',
    'tysm',
    'cheers',
    'many thanks',
    'much appreciated',
    'appreciate it',
    'appreciated',
    'thanks a lot',
    'thank you so much',
    'for your help',
    'for the help',
    'for helping',
  ],
  acknowledgement: [
    // zh
    '好的',
    '好滴',
    '好嘞',
    '好哒',
    '好吧',
    '好',
    '行',
    '行吧',
    '行的',
    '嗯',
    '嗯嗯',
    '收到',
    '明白',
    '明白了',
    '知道了',
    '了解',
    '了解了',
    '懂了',
    '清楚了',
    '没问题',
    '没事了',
    '没有了',
    '就这样',
    '妥',
    '妥了',
    '再见',
    '拜拜',
    '晚安',
    '88',
    // en
    'ok',
    'okay',
    'okey',
    'okk',
    'k',
    'kk',
    'alright',
    'all right',
    'sure',
    'noted',
    'got it',
    'understood',
    'i see',
    'cool',
    'great',
    'perfect',
    'nice',
    'awesome',
    'fine',
    'good',
    'sounds good',
    'that is all',
    "that's all",
    'thats all',
    'all good',
    'no problem',
    'np',
    'bye',
    'bye bye',
    'goodbye',
    'see you',
    'see ya',
    'have a nice day',
    'have a good day',
    'you too',
  ],
  filler: [
    // zh: forms of address and sentence particles
    '亲',
    '亲亲',
    '亲爱的',
    '客服',
    '店家',
    '老板',
    '掌柜',
    '掌柜的',
    '小二',
    '美女',
    '帅哥',
    '小姐姐',
    '小哥哥',
    '那个',
    '呀',
    '啊',
    '吖',
    '哈',
    '啦',
    '哦',
    '噢',
    '喔',
    '呢',
    '吗',
    '么',
    '嘛',
    '哇',
    '呐',
    '咯',
    '了',
    '的',
    '哈哈',
    '嘻嘻',
    '呵呵',
    '非常',
    '十分',
    '太',
    '真是',
    '您',
    '你',
    '你们',
    '大家',
    '一下',
    // en
    'there',
    'team',
    'support',
    'guys',
    'all',
    'everyone',
    'sir',
    'madam',
    'dear',
    'mate',
    'buddy',
    'oh',
    'ah',
    'ahh',
    'well',
    'then',
    'and',
    'so',
    'very',
    'much',
    'a lot',
    'lol',
    'haha',
    'hmm',
    'again',
    'please',
    'pls',
    'plz',
  ],
};

/** Longest forms first, so "谢谢你" wins over "谢谢" and "good morning" over "good". */
const entries = (Object.entries(lexicon) as [TokenKind, string[]][])
  .flatMap(([kind, forms]) => forms.map((form) => ({ form, kind })))
  .sort((a, b) => b.form.length - a.form.length);

const isLatin = (character: string | undefined) =>
  character !== undefined && /[a-z0-9']/.test(character);

/** Messages longer than this are never small talk, however they are made up. */
const maxLength = 40;

/** The kind of an opener or closer, or null when the message says something more. */
export function detectSmallTalk(text: string): SmallTalkKind | null {
  const normalised = text.normalize('NFKC').toLowerCase().replace(/[’`]/g, "'");
  if (normalised.length > maxLength) return null;
  // Punctuation, symbols and emoji carry no content here; they become word breaks.
  const stripped = normalised.replace(/[^\p{L}\p{N}']+/gu, ' ').trim();
  if (!stripped) return null;
  const found = new Set<TokenKind>();
  let position = 0;
  while (position < stripped.length) {
    if (stripped[position] === ' ') {
      position++;
      continue;
    }
    const match = entries.find(({ form }) => {
      if (!stripped.startsWith(form, position)) return false;
      // A Latin form must be a whole word ("hi" is not the start of "his").
      return !isLatin(form.at(-1)) || !isLatin(stripped[position + form.length]);
    });
    if (!match) return null;
    found.add(match.kind);
    position += match.form.length;
  }
  // "ok?" or "好的吗" asks something; a question mark on a greeting ("在吗？") does not.
  const asks = /[?？]\s*$/.test(normalised);
  if (found.has('thanks')) return 'thanks';
  if (found.has('acknowledgement')) return asks ? null : 'acknowledgement';
  return 'greeting';
}

const replies: Record<SmallTalkKind, { zh: string; en: string }> = {
  greeting: {
    zh: '您好！请问有什么可以帮您？请直接告诉我们您的问题，涉及订单的话请附上订单号。',
    en: 'Hello! How can we help you today? Just tell us your question, with your order number if it is about an order.',
  },
  thanks: {
    zh: '不客气！如还有其他问题，随时告诉我们。',
    en: "You're welcome! If there is anything else, just let us know.",
  },
  acknowledgement: {
    zh: '好的！如还有其他问题，随时告诉我们。',
    en: 'Great! If there is anything else, just let us know.',
  },
};

export function smallTalkReply(kind: SmallTalkKind, language: string): string {
  return replies[kind][language === 'zh' ? 'zh' : 'en'];
}
