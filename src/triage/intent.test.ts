import { describe, expect, it } from 'vitest';
import type { Classification } from '../models/ports.js';
import { resolveIntent } from './intent.js';

const model = (label: string, confidence = 0.6): Classification => ({
  label,
  confidence,
  outOfScope: false,
  ranking: [],
});

describe('resolveIntent', () => {
  it('reads an interrogative without an imperative as a question unless the model is sure it is a request', () => {
    expect(resolveIntent('退款一般几天到账？', model('request')).label).toBe('question');
    expect(
      resolveIntent('is it possible to update the address once it has shipped', model('request'))
        .label,
    ).toBe('question');
    expect(resolveIntent('两天了怎么还没审核', model('request', 0.9)).label).toBe('request');
    expect(resolveIntent('can someone push my refund through?', model('request', 0.8)).label).toBe(
      'request',
    );
  });

  it('reads an imperative as a request', () => {
    expect(resolveIntent('帮我把这单取消了', model('question')).label).toBe('request');
    expect(resolveIntent('can you please cancel my order 1234?', model('question')).label).toBe(
      'request',
    );
  });

  it('lets the form of a short follow-up decide: the model read it with the earlier turns', () => {
    expect(resolveIntent('那包邮吗', model('request', 0.95), { followUp: true }).label).toBe(
      'question',
    );
    expect(resolveIntent('那包邮吗', model('request', 0.95)).label).toBe('request');
    expect(resolveIntent('那就帮我退了吧', model('question', 0.9), { followUp: true }).label).toBe(
      'request',
    );
  });

  it('takes a colloquial A-not-A ending ("…行不", "…来得及不") for a question', () => {
    expect(resolveIntent('周日下单周一能发 行不', model('request', 0.6)).label).toBe('question');
    expect(resolveIntent('现在改地址还来得及不', model('request', 0.6)).label).toBe('question');
  });

  it('defers to the model when the form says nothing', () => {
    expect(resolveIntent('订单 2024112312345678 尺码不合适', model('request', 0.8))).toMatchObject({
      label: 'request',
      confidence: 0.8,
    });
  });
});
