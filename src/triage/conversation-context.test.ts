import { describe, expect, it } from 'vitest';
import { isShortFollowUp, repeatedTurns, similarity, withTopic } from './conversation-context.js';

describe('conversation context', () => {
  it('takes short messages for follow-ups and long ones for messages that stand alone', () => {
    expect(isShortFollowUp('那邮费谁出')).toBe(true);
    expect(isShortFollowUp('any news?')).toBe(true);
    expect(
      isShortFollowUp('我上周买的电热水壶用了三天底座就不加热了，插别的插座也一样，能保修吗'),
    ).toBe(false);
    expect(
      isShortFollowUp(
        'I bought a desk lamp last week and the switch stopped working after two days, is that covered',
      ),
    ).toBe(false);
  });

  it("gives a follow-up the topic of the last two customer turns, not the bot's", () => {
    const history = [
      { author: 'customer' as const, text: '羽绒服想退货' },
      { author: 'bot' as const, text: '七天内可以无理由退货' },
      { author: 'customer' as const, text: '吊牌已经剪了' },
    ];
    expect(withTopic('那邮费谁出', history)).toBe('羽绒服想退货\n吊牌已经剪了\n那邮费谁出');
  });

  it('counts earlier customer turns that say the same thing again', () => {
    const history = [
      { author: 'customer' as const, text: '我的退款到底什么时候到账' },
      { author: 'agent' as const, text: '已经在处理了' },
      { author: 'customer' as const, text: '退款到底什么时候到账啊' },
      { author: 'customer' as const, text: '发票抬头写错了' },
    ];
    expect(repeatedTurns('我的退款到底什么时候到账？？', history)).toBe(2);
    expect(similarity('发票抬头写错了', '退款什么时候到')).toBeLessThan(0.2);
  });
});
