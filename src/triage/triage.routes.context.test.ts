/**
 * Triage with the conversation so far (`history`): a follow-up takes its topic and references
 * from the earlier turns, and the same message sent again raises urgency. Texts of our own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestService, type TestService } from '../testing/service.js';
import { triageResultSchema } from './triage.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => service?.close());

async function triage(body: Record<string, unknown>) {
  const response = await postJson(service.app, '/v1/triage', body);
  expect(response.status).toBe(200);
  return triageResultSchema.parse(await response.json());
}

describe('POST /v1/triage with history', () => {
  it('reads a short follow-up with the topic of the earlier turns', async () => {
    const alone = await triage({ text: '都两周了还是没看到钱' });
    const inContext = await triage({
      text: '都两周了还是没看到钱',
      history: [
        { author: 'customer', text: '退货已经寄回去了，退款什么时候能退回我的银行卡' },
        { author: 'bot', text: '仓库签收后 1-3 个工作日审核，通过后原路退回' },
      ],
    });
    expect(inContext.category).toBe('refund');
    expect(
      inContext.details?.some((detail) => detail.code === 'conversation_topic') ||
        alone.category === 'refund',
    ).toBe(true);
  });

  it('keeps the order number given in an earlier turn', async () => {
    const result = await triage({
      text: 'any update on it?',
      history: [{ author: 'customer', text: 'my order 2025120455667788 has not shipped yet' }],
    });
    expect(result.entities.orderNumbers).toContain('2025120455667788');
  });

  it('raises urgency when the same message comes a third time, critical when angry', async () => {
    const history = [
      { author: 'customer' as const, text: '我的保温杯订单怎么还没发货' },
      { author: 'customer' as const, text: '保温杯订单怎么还没发货啊' },
    ];
    const once = await triage({ text: '我的保温杯订单怎么还没发货' });
    const third = await triage({ text: '我的保温杯订单怎么还没发货', history });
    expect(['low', 'normal']).toContain(once.urgency.level);
    expect(['high', 'critical']).toContain(third.urgency.level);
    const angry = await triage({ text: '我的保温杯订单怎么还没发货，太离谱了', history });
    expect(angry.urgency.level).toBe('critical');
  });

  it('refuses more than ten turns of history', async () => {
    const history = Array.from({ length: 11 }, (_, index) => ({
      author: 'customer',
      text: `第 ${index} 条`,
    }));
    const response = await postJson(service.app, '/v1/triage', { text: '还在吗', history });
    expect(response.status).toBe(400);
  });
});
