import { describe, expect, it } from 'vitest';
import {
  findPersonalData,
  isLuhnValid,
  isValidChineseId,
  isValidIban,
  redactPersonalData,
} from './pii.js';

const redact = (text: string) => redactPersonalData(text).text;
const found = (text: string) =>
  findPersonalData(text).map((finding) => [finding.kind, text.slice(finding.start, finding.end)]);

describe('check digits', () => {
  it('accepts Luhn-valid card numbers and rejects one changed digit', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('6222020230385864114')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(isLuhnValid('6222020230385864115')).toBe(false);
  });

  it('does not take a run of zeros or a too-short number for a card', () => {
    expect(isLuhnValid('0000000000000000')).toBe(false);
    expect(isLuhnValid('42424242424')).toBe(false);
  });

  it('checks the ISO 7064 MOD 11-2 character of an 18-digit ID, X included', () => {
    expect(isValidChineseId('110101199003076878')).toBe(true);
    expect(isValidChineseId('33010619780915009X')).toBe(true);
    expect(isValidChineseId('33010619780915009x')).toBe(true);
    expect(isValidChineseId('110101199003076879')).toBe(false);
    expect(isValidChineseId('330106197809150090')).toBe(false);
  });

  it('rejects an ID with an impossible birth date or an unknown province', () => {
    // Same body with a recomputed check digit would still fail on the date or the region.
    expect(isValidChineseId('110101199002300000')).toBe(false);
    expect(isValidChineseId('990101199003076878')).toBe(false);
  });

  it('accepts an old 15-digit ID by province and 19yy birth date', () => {
    expect(isValidChineseId('110102720315123')).toBe(true);
    expect(isValidChineseId('110102721315123')).toBe(false);
  });

  it('validates IBANs with mod 97, spaces allowed', () => {
    expect(isValidIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('GB82 WEST 1234 5698 7654 33')).toBe(false);
  });
});

describe('redactPersonalData', () => {
  it('replaces each kind with its typed placeholder', () => {
    expect(redact('手机13812345678，邮箱a.b@qq.com')).toBe('手机[PHONE]，邮箱[EMAIL]');
    expect(redact('身份证号110101199003076878')).toBe('身份证号[ID_NUMBER]');
    expect(redact('卡 6222 0202 3038 5864 114 退款')).toBe('卡 [BANK_CARD] 退款');
    expect(redact('IBAN GB82 WEST 1234 5698 7654 32 thanks')).toBe('IBAN [BANK_ACCOUNT] thanks');
  });

  it('catches Chinese mobiles with +86, 0086, spaces and dashes', () => {
    for (const phone of [
      '13812345678',
      '138 1234 5678',
      '138-1234-5678',
      '+86 138 1234 5678',
      '0086-13812345678',
      '(+86)13812345678',
    ]) {
      expect(redact(`电话${phone}谢谢`), phone).toBe('电话[PHONE]谢谢');
    }
  });

  it('catches landlines with an extension, and US, UK and international numbers', () => {
    expect(redact('座机010-62751234转8023找我')).toBe('座机[PHONE]找我');
    expect(redact('call (415) 555-0132 today')).toBe('call [PHONE] today');
    expect(redact('mobile 07911 123456')).toBe('mobile [PHONE]');
    expect(redact('office +44 20 7946 0018 ok')).toBe('office [PHONE] ok');
  });

  it('leaves business hotlines alone', () => {
    expect(redact('客服电话400-820-8820打不通')).toBe('客服电话400-820-8820打不通');
    expect(redact('your hotline 1-800-555-0199')).toBe('your hotline 1-800-555-0199');
  });

  it('handles full-width digits and reports offsets into the original text', () => {
    const text = '😀手机号１３８１２３４５６７８！';
    const [finding] = findPersonalData(text);
    expect(finding?.kind).toBe('phone');
    expect(text.slice(finding!.start, finding!.end)).toBe('１３８１２３４５６７８');
    expect(redact(text)).toBe('😀手机号[PHONE]！');
  });

  it('redacts an ID or card number with a typo when the context says what it is', () => {
    expect(redact('身份证110101199003076879')).toBe('身份证[ID_NUMBER]');
    expect(redact('卡号 6222 0202 3038 5864 115')).toBe('卡号 [BANK_CARD]');
  });

  it('leaves a digit run alone that fails every check and has no context', () => {
    expect(redact('编号110101199003076870')).toBe('编号110101199003076870');
    expect(redact('批次 6222020230385864115')).toBe('批次 6222020230385864115');
  });

  it('never redacts an order number, even one that passes Luhn', () => {
    // 6222020230385864114 is Luhn-valid: as a bare number it is a card, after 订单号 an order.
    expect(redact('订单号 6222020230385864114 还没发货')).toBe(
      '订单号 6222020230385864114 还没发货',
    );
    expect(redact('付款卡 6222020230385864114')).toBe('付款卡 [BANK_CARD]');
    expect(redact('订单号：110101199003076878')).toBe('订单号：110101199003076878');
  });

  it('never redacts tracking numbers in carrier formats', () => {
    const text = '顺丰SF1402938475612，UPS 1Z999AA10123456784，EMS EA123456785CN';
    expect(redact(text)).toBe(text);
  });

  it('separates an order number from a phone number in the same message', () => {
    expect(redact('订单号12345678，电话13812345678')).toBe('订单号12345678，电话[PHONE]');
  });

  it('redacts a Chinese street address but keeps a bare region', () => {
    expect(redact('寄到广东省深圳市南山区科技园路1号腾讯大厦，谢谢')).toBe('寄到[ADDRESS]，谢谢');
    expect(redact('我住在幸福里小区7栋2单元1101')).toBe('我住在[ADDRESS]');
    expect(redact('发到广东省深圳市要几天？')).toBe('发到广东省深圳市要几天？');
    expect(redact('我不知道3号能不能到')).toBe('我不知道3号能不能到');
  });

  it('redacts English street addresses with unit, town and postcode', () => {
    expect(redact('Ship to 221B Baker Street, London NW1 6XE.')).toBe('Ship to [ADDRESS].');
    expect(redact('it is 123 Main St, Apt 4 now')).toBe('it is [ADDRESS] now');
    expect(redact('Can I return a 2 TB hard drive?')).toBe('Can I return a 2 TB hard drive?');
  });

  it('redacts names only with context, and not a surname with a title', () => {
    expect(redact('收件人：王小明，电话13812345678')).toBe('收件人：[NAME]，电话[PHONE]');
    expect(redact('收件人王小姐')).toBe('收件人王小姐');
    expect(redact('My name is Emily Clarke.')).toBe('My name is [NAME].');
    expect(redact('王芳说快递没到')).toBe('王芳说快递没到');
  });

  it('reads a change of recipient, and not 客户名单 as a name', () => {
    expect(redact('收件人帮我改成李明 电话15800001111')).toBe('收件人帮我改成[NAME] 电话[PHONE]');
    expect(redact('把客户名单导出给我')).toBe('把客户名单导出给我');
  });

  it('takes the room or floor before an English street address', () => {
    expect(redact('to Room 1203, 88 Huaihai Road, Shanghai')).toBe('to [ADDRESS], Shanghai');
    expect(redact('my office: 5F, 100 Century Ave, Pudong')).toBe('my office: [ADDRESS], Pudong');
  });

  it('takes a romanised name beside a phone, but not a town after an address', () => {
    expect(redact('to my colleague Li Wei, 13988887777')).toBe('to my colleague [NAME], [PHONE]');
    expect(redact("88 Queen's Road Central, Hong Kong")).toBe('[ADDRESS], Hong Kong');
  });

  it('takes a bare name standing next to other personal data', () => {
    expect(redact('张三丰 13611112222')).toBe('[NAME] [PHONE]');
  });

  it('redacts chat accounts, one-time codes and passwords', () => {
    expect(redact('QQ 2739184650，微信 wxid_k8s2m1p9q')).toBe('QQ [IM_ACCOUNT]，微信 [IM_ACCOUNT]');
    expect(redact('验证码是 482913')).toBe('验证码是 [CREDENTIAL]');
    expect(redact('Password: hunter2! help')).toBe('Password: [CREDENTIAL] help');
    expect(redact('my password is wrong')).toBe('my password is wrong');
  });

  it('redacts US SSNs and UK National Insurance numbers', () => {
    expect(redact('SSN 536-22-8147')).toBe('SSN [ID_NUMBER]');
    expect(redact('NI JG 10 37 59 A')).toBe('NI [ID_NUMBER]');
  });

  it('returns findings in order and reasons that count without repeating values', () => {
    const result = redactPersonalData(
      '电话13812345678，订单号E20240315001234，邮箱a@b.cn，电话13912345678',
    );
    expect(result.findings.map((finding) => finding.kind)).toEqual(['phone', 'email', 'phone']);
    expect(result.reasons).toEqual([
      'redacted 2 phones',
      'redacted 1 email',
      'kept 1 order/tracking number unredacted',
    ]);
    expect(result.reasons.join(' ')).not.toMatch(/138|139|a@b/);
  });

  it('says so when there is nothing to redact', () => {
    expect(redactPersonalData('iPhone 15 多少钱？').reasons).toEqual(['no personal data found']);
    expect(found('RTX4090 显卡 12999 元，3月15日下单')).toEqual([]);
  });
});
