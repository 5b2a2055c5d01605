import { describe, expect, it } from 'vitest';
import {
  extractEntities,
  findReferenceNumbers,
  foldForMatching,
  parseChineseNumber,
  toOriginalSpan,
} from './entities.js';

const entities = (text: string) => extractEntities(text).entities;

describe('foldForMatching', () => {
  it('folds full-width characters and keeps a map back to the original offsets', () => {
    const text = '😀单号：ＳＦ１２３';
    const folded = foldForMatching(text);
    expect(folded.text).toBe('😀单号:SF123');
    const start = folded.text.indexOf('SF');
    const span = toOriginalSpan(folded, start, folded.text.length);
    expect(text.slice(span.start, span.end)).toBe('ＳＦ１２３');
  });

  it('folds dashes and drops zero-width characters', () => {
    expect(foldForMatching('138—1234\u200b－5678').text).toBe('138-1234-5678');
  });
});

describe('reference numbers', () => {
  it('recognises carrier formats without any context word', () => {
    expect(
      entities('SF1402938475612 YT7012345678901 JT5012345678901 JD0012345678901').trackingNumbers,
    ).toEqual([
      { number: 'SF1402938475612', carrier: 'sf-express' },
      { number: 'YT7012345678901', carrier: 'yto' },
      { number: 'JT5012345678901', carrier: 'jtexpress' },
      { number: 'JD0012345678901', carrier: 'jd-logistics' },
    ]);
    expect(
      entities('1Z999AA10123456784, TBA123456789012, EA123456785CN, RR123456785GB').trackingNumbers,
    ).toEqual([
      { number: '1Z999AA10123456784', carrier: 'ups' },
      { number: 'TBA123456789012', carrier: 'amazon' },
      { number: 'EA123456785CN', carrier: 'ems' },
      { number: 'RR123456785GB', carrier: 'postal' },
    ]);
  });

  it('upper-cases a lower-case carrier prefix and folds full-width digits', () => {
    expect(entities('单号 sf１４０２９３８４７５６１２').trackingNumbers).toEqual([
      { number: 'SF1402938475612', carrier: 'sf-express' },
    ]);
  });

  it('reads digit-only tracking numbers from the context word and names the carrier before it', () => {
    expect(entities('中通快递 75312345678901 到哪了').trackingNumbers).toEqual([
      { number: '75312345678901', carrier: 'zto' },
    ]);
    expect(entities('Waybill 775123456789 from FedEx').trackingNumbers).toEqual([
      { number: '775123456789' },
    ]);
  });

  it('reads order numbers after order words in Chinese and English', () => {
    expect(entities('订单号：3721591465843792563 没发货').orderNumbers).toEqual([
      '3721591465843792563',
    ]);
    expect(entities('my order number is 4500123456').orderNumbers).toEqual(['4500123456']);
    expect(entities('Order #112-7654321-1234567 arrived damaged').orderNumbers).toEqual([
      '112-7654321-1234567',
    ]);
    expect(entities('拼多多订单号230315-123456789012345').orderNumbers).toEqual([
      '230315-123456789012345',
    ]);
  });

  it('recognises a dated order code without context', () => {
    expect(entities('E20240315001234 这个能改颜色吗').orderNumbers).toEqual(['E20240315001234']);
    expect(entities('RTX4090 和 iPhone15').orderNumbers).toEqual([]);
  });

  it('takes a list of like numbers after one context word, but not a different number after it', () => {
    expect(
      entities('订单号 4501234567890123456 和 4501234567890123457 都没到').orderNumbers,
    ).toEqual(['4501234567890123456', '4501234567890123457']);
    expect(entities('订单号12345678，13812345678').orderNumbers).toEqual(['12345678']);
  });

  it('does not take a phone number after a carrier name for a tracking number', () => {
    expect(findReferenceNumbers('顺丰 13812345678 打不通')).toEqual([]);
  });

  it('ignores short numbers and numbers that are not right after the word', () => {
    expect(findReferenceNumbers('订单后四位1234')).toEqual([]);
    expect(findReferenceNumbers('订单还没到，电话13812345678')).toEqual([]);
  });

  it('reports offsets into the original text', () => {
    const text = '订单号：１２３４５６７８９０';
    const [reference] = findReferenceNumbers(text);
    expect(reference?.kind).toBe('order');
    expect(text.slice(reference!.start, reference!.end)).toBe('１２３４５６７８９０');
  });
});

describe('amounts', () => {
  it('reads currency symbols, codes and words with the right currency', () => {
    expect(entities('退款 ¥299.00，另付 $45.99、€59.90、£799、HK$100').amounts).toEqual([
      { value: 299, currency: 'CNY' },
      { value: 45.99, currency: 'USD' },
      { value: 59.9, currency: 'EUR' },
      { value: 799, currency: 'GBP' },
      { value: 100, currency: 'HKD' },
    ]);
    expect(entities('cost 1,299.00 USD and 300 RMB').amounts).toEqual([
      { value: 1299, currency: 'USD' },
      { value: 300, currency: 'CNY' },
    ]);
  });

  it('reads 元, 块 and 万 and Chinese numerals', () => {
    expect(entities('12999元，1.5万元，两块钱运费，三百五十块').amounts).toEqual([
      { value: 12999, currency: 'CNY' },
      { value: 15000, currency: 'CNY' },
      { value: 2, currency: 'CNY' },
      { value: 350, currency: 'CNY' },
    ]);
  });

  it('does not read 块 as money when it counts things, nor a date before 元旦', () => {
    expect(entities('买了一块手表，3块蛋糕').amounts).toEqual([]);
    expect(entities('1月1日元旦前能到吗').amounts).toEqual([]);
  });

  it('does not read a number inside a model name or an order number as money', () => {
    expect(entities('RTX4090元').amounts).toEqual([]);
    expect(entities('订单号 2024031512345678 付款 89.9 元').amounts).toEqual([
      { value: 89.9, currency: 'CNY' },
    ]);
  });

  it('parses Chinese numerals', () => {
    expect(
      ['三百五十', '一千五', '十五', '一百零五', '三万二', '两'].map(parseChineseNumber),
    ).toEqual([350, 1500, 15, 105, 32000, 2]);
    expect(parseChineseNumber('万')).toBeUndefined();
  });
});

describe('dates', () => {
  it('normalises dates to ISO 8601, without a year as --MM-DD', () => {
    expect(entities('2024年3月15日买的，3月20号到，2024-06-18 截止').dates).toEqual([
      '2024-03-15',
      '--03-20',
      '2024-06-18',
    ]);
    expect(entities('Ordered on March 3rd, 2024 and on 5th March').dates).toEqual([
      '2024-03-03',
      '--03-05',
    ]);
  });

  it('rejects impossible dates and the verb "may"', () => {
    expect(entities('2月30日').dates).toEqual([]);
    expect(entities('you may 5 times').dates).toEqual([]);
  });
});

describe('extractEntities', () => {
  it('explains what it found', () => {
    const { reasons } = extractEntities('订单号 E20240315001234，顺丰 SF1402938475612，¥199');
    expect(reasons).toEqual([
      'order number E20240315001234 (after "订单号")',
      'tracking number SF1402938475612 (sf-express format)',
      'amount 199 CNY',
    ]);
  });

  it('says so when it finds nothing', () => {
    expect(extractEntities('这个充电器支持快充吗').reasons).toEqual([
      'no order or tracking number, amount or date found',
    ]);
  });
});
