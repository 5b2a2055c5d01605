import { describe, expect, it } from 'vitest';
import { detectSignals, statedWaitDays } from './signals.js';

const kinds = (text: string) => detectSignals(text).map((signal) => signal.kind);

describe('detectSignals', () => {
  it('finds regulator, legal and media threats in both languages', () => {
    expect(kinds('再不处理我就去12315投诉')).toContain('regulator_threat');
    expect(kinds('我已经找律师了，准备起诉')).toContain('legal_threat');
    expect(kinds('I will report you to the BBB')).toContain('regulator_threat');
    expect(kinds('going to post this on weibo and tell the media')).toContain('media_threat');
  });

  it('tells a hazard report from a question about safety', () => {
    expect(kinds('充电器充着充着冒烟了，差点起火')).toContain('safety_hazard');
    expect(kinds('the heater caught fire last night')).toContain('safety_hazard');
    expect(kinds('这个电热毯会不会漏电啊')).not.toContain('safety_hazard');
    expect(kinds('is this heater safe to leave on overnight? worried about fire')).not.toContain(
      'safety_hazard',
    );
  });

  it('finds repeated contact, anger, deadlines, account security and requests for a human', () => {
    expect(kinds('这是我第三次问了')).toContain('repeat_contact');
    expect(kinds('third time asking about this')).toContain('repeat_contact');
    expect(kinds('什么垃圾服务')).toContain('anger');
    expect(kinds('a birthday gift for saturday')).toContain('deadline');
    expect(kinds('need the invoice by end of the day for my boss')).toContain('deadline');
    expect(kinds('发票周五下班前一定要开给我')).toContain('deadline');
    expect(kinds('how long does shipping usually take?')).not.toContain('deadline');
    expect(kinds('账号被盗了')).toContain('account_security');
    expect(kinds('转人工')).toContain('human_requested');
    expect(kinds('let me talk to a real person')).toContain('human_requested');
  });

  it('stays quiet on a routine question', () => {
    expect(kinds('怎么开发票')).toEqual([]);
    expect(kinds('how long does shipping take?')).toEqual([]);
  });
});

describe('statedWaitDays', () => {
  it('reads elapsed waits in Chinese and English', () => {
    expect(statedWaitDays('快递三天了还没到')).toBe(3);
    expect(statedWaitDays('等了一周了')).toBe(7);
    expect(statedWaitDays('快递一个多星期了还没到')).toBe(7);
    expect(statedWaitDays('下单半个月了还没发货')).toBe(15);
    expect(statedWaitDays('refund still not here after I waited 12 days')).toBe(12);
    expect(statedWaitDays('two weeks since i paid')).toBe(14);
  });

  it('does not read policy windows as waits', () => {
    expect(statedWaitDays('7天无理由退货怎么退')).toBe(0);
    expect(statedWaitDays('退货被拒了 说超过7天')).toBe(0);
    expect(statedWaitDays('can I return within 30 days?')).toBe(0);
  });
});
