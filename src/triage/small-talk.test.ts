import { describe, expect, it } from 'vitest';
import { detectSmallTalk, smallTalkReply } from './small-talk.js';

describe('detectSmallTalk', () => {
  // Forms not in the list: the lexicon is general, not the test strings.
  it.each([
    ['您好呀', 'greeting'],
    ['hi there', 'greeting'],
    ['Good evening team 😊', 'greeting'],
    ['亲，在不在？', 'greeting'],
    ['客服小姐姐～', 'greeting'],
    ['thx', 'thanks'],
    ['收到，谢谢啦', 'thanks'],
    ['Thank you so much for your help!! 🙏', 'thanks'],
    ['辛苦了', 'thanks'],
    ['嗯嗯 明白了', 'acknowledgement'],
    ['okay 👍', 'acknowledgement'],
    ['got it, bye', 'acknowledgement'],
  ] as const)('%s is %s', (text, kind) => {
    expect(detectSmallTalk(text)).toBe(kind);
  });

  it.each([
    '你好，我的快递还没到',
    'hi, I want a refund for order 2024112312345678',
    '问题解决了 谢谢亲～',
    '好评',
    'human please',
    'his order is late',
    'ok?',
    '可以吗',
    '👍',
    '谢谢 '.repeat(20),
  ])('%s is a real message', (text) => {
    expect(detectSmallTalk(text)).toBeNull();
  });

  it('answers a greeting with a question and a thanks with a short closing, in the language', () => {
    expect(smallTalkReply('greeting', 'zh')).toMatch(/请问有什么可以帮您/);
    expect(smallTalkReply('thanks', 'zh')).toMatch(/^不客气/);
    expect(smallTalkReply('thanks', 'en')).toMatch(/welcome/);
  });
});
