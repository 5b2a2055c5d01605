import { describe, expect, it } from 'vitest';
import { handoffAcknowledgement, promisedTime } from './handoff-acknowledgement.js';

// Saturday 2026-11-28 06:22 in Shanghai (22:22Z the day before); the team opens at 10:00.
const received = new Date('2026-11-27T22:22:00Z');
const dueSaturday = new Date('2026-11-28T02:05:00Z'); // 10:05 Shanghai

describe('handoffAcknowledgement', () => {
  it('promises the working-time due moment in the team zone, in Chinese', () => {
    const text = handoffAcknowledgement({
      language: 'zh',
      dueAt: dueSaturday,
      receivedAt: received,
      timezone: 'Asia/Shanghai',
      apologise: false,
    });
    expect(text).toBe('您好，您的消息已转交人工客服，我们会在今天 10:05（北京时间）前回复您。');
    expect(text).not.toMatch(/分钟/);
  });

  it('says today, tomorrow or the date, in English, with the weekday', () => {
    expect(promisedTime(dueSaturday, received, 'Asia/Shanghai', 'en')).toBe(
      '10:05 today (Saturday, Beijing time)',
    );
    expect(promisedTime(new Date('2026-11-29T02:05:00Z'), received, 'Asia/Shanghai', 'en')).toBe(
      '10:05 tomorrow (Sunday, Beijing time)',
    );
    expect(promisedTime(new Date('2026-11-30T01:05:00Z'), received, 'Asia/Shanghai', 'zh')).toBe(
      '11月30日（周一）09:05（北京时间）',
    );
    expect(promisedTime(new Date('2026-11-30T09:05:00Z'), received, 'Europe/Berlin', 'en')).toBe(
      '10:05 on Monday 30 November (UTC+1)',
    );
  });

  it('apologises to an upset customer', () => {
    const text = handoffAcknowledgement({
      language: 'en',
      dueAt: dueSaturday,
      receivedAt: received,
      timezone: 'Asia/Shanghai',
      apologise: true,
    });
    expect(text).toMatch(
      /^Hello, and we are very sorry for the trouble\..*by 10:05 today \(Saturday, Beijing time\)\.$/,
    );
  });
});
