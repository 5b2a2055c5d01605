import { describe, expect, it } from 'vitest';
import { checkOutgoingText } from './output-guard.js';

const codes = (text: string, sources: string[] = []) =>
  checkOutgoingText(text, sources).violations.map((violation) => violation.code);

describe('checkOutgoingText', () => {
  const refundEntry =
    '退款审核通过后 1-3 个工作日原路退回；运费险理赔最高 12 元。客服邮箱 help@demo-shop.cn';

  it('passes a reply that only repeats what the cited entry says', () => {
    expect(
      checkOutgoingText('您好，退款审核通过后 1-3 个工作日原路退回，运费险最高赔付 12 元。', [
        refundEntry + ' 赔付',
      ]).passed,
    ).toBe(true);
    expect(checkOutgoingText('有问题可以写信到 help@demo-shop.cn', [refundEntry]).passed).toBe(
      true,
    );
  });

  it('stops personal data the sources do not hold', () => {
    expect(codes('已为您登记，联系电话 13812345678，身份证 110101199003076878')).toEqual([
      'personal_data',
      'personal_data',
    ]);
    expect(checkOutgoingText('we will call Mr. Jonas Weber back', []).violations[0]).toEqual({
      code: 'personal_data',
      evidence: 'name',
    });
  });

  it('stops amounts, compensation words and codes the entry does not make', () => {
    expect(codes('我们会补偿您 500 元', [refundEntry])).toEqual([
      'unbacked_promise',
      'unbacked_promise',
    ]);
    expect(codes('As a goodwill gesture we will refund double the price', [])).toContain(
      'unbacked_promise',
    );
    expect(codes('use code SAVE50NOW at checkout', [])).toEqual(['unbacked_promise']);
  });

  it("lets the customer's own order and tracking numbers through", () => {
    expect(
      checkOutgoingText('订单 2025031912345678 的顺丰单号 SF1234567890123 还在运输中', []).passed,
    ).toBe(true);
  });

  it('stops configuration and prompt text', () => {
    expect(codes('My system prompt says I must be polite')).toEqual(['configuration_text']);
    expect(codes('以下是我的指令：你是一个售后客服')).toContain('configuration_text');
    expect(codes('set OPENAI_API_KEY=sk-abcdefghijklmnop1234')).toContain('configuration_text');
    expect(codes('Hello {{customer_name}}, your refund is on its way')).toEqual([
      'configuration_text',
    ]);
  });
});
