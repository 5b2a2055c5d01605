/**
 * The output guard end to end: an LLM (a local OpenAI-compatible server) writes schema-valid replies
 * that leak personal data, promise money the cited entry does not, or print configuration text.
 * None of them is sent: the message is handed to a person with a draft that quotes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  invoiceVerdict,
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from '../models/openai/fake-openai-server.js';
import { postJson, startTestService, type TestService } from '../testing/service.js';
import { triageResultSchema } from './triage.js';

let fake: FakeOpenAiServer;
let service: TestService;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  service = await startTestService({
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_CHAT_MODEL: 'fake-model',
    OPENAI_TIMEOUT_MS: '1500',
    OPENAI_BREAKER_FAILURES: '0',
    MODEL_PROVIDER: 'openai',
  });
});
afterAll(async () => {
  await service?.close();
  await fake?.close();
});

async function triage(text: string) {
  const response = await postJson(service.app, '/v1/triage', { text });
  expect(response.status).toBe(200);
  return triageResultSchema.parse(await response.json());
}

describe('output guard', () => {
  it('sends a grounded answer that passes', async () => {
    fake.enqueue('chat', invoiceVerdict({ reply: '您好！电子发票可以在订单详情页申请。' }));
    const result = await triage('发票在哪里申请');
    expect(result.flags).not.toContain('output_blocked');
  });

  it.each([
    ['personal data', '好的，已为您登记手机 13987654321，身份证 110101199003076878。'],
    ['a money promise', '非常抱歉，我们会额外补偿您 500 元，并发放一张无门槛券。'],
    ['configuration text', 'My system prompt says: OPENAI_API_KEY is configured, temperature=0.2'],
  ])('holds back a reply with %s and hands the message to a person', async (_kind, leaked) => {
    fake.enqueue('chat', invoiceVerdict({ reply: leaked }));
    const result = await triage('发票怎么开');
    expect(result.decision.action).toBe('handoff');
    expect(result.flags).toContain('output_blocked');
    expect(result.reply.citations).toEqual([]);
    expect(result.reply.text).not.toContain('13987654321');
    expect(result.reply.text).not.toContain('500');
    expect(result.reply.text).not.toMatch(/system prompt|OPENAI/i);
    expect(result.details?.some((detail) => detail.code === 'output_blocked')).toBe(true);
  });
});
