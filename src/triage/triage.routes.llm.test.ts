/**
 * The openai and cascade providers end to end: the real service and app, the LLM a local
 * OpenAI-compatible server started here. A failing LLM degrades to the local result and a
 * hand-off; the customer never sees an error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  apiError,
  chatCompletion,
  invoiceVerdict,
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from '../models/openai/fake-openai-server.js';
import { postJson, startTestService, type TestService } from '../testing/service.js';
import { triageResultSchema } from './triage.js';

let fake: FakeOpenAiServer;
let openai: TestService;
let cascade: TestService;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  // The circuit breaker is off here: each test scripts one kind of failure for one message
  // (triage.routes.llm-outage.test.ts covers the breaker).
  const env = {
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_CHAT_MODEL: 'fake-model',
    OPENAI_TIMEOUT_MS: '1500',
    OPENAI_BREAKER_FAILURES: '0',
  };
  openai = await startTestService({ ...env, MODEL_PROVIDER: 'openai' });
  cascade = await startTestService({ ...env, MODEL_PROVIDER: 'cascade' });
});
afterAll(async () => {
  await openai?.close();
  await cascade?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

async function triage(service: TestService, text: string) {
  const response = await postJson(service.app, '/v1/triage', { text });
  expect(response.status).toBe(200);
  return triageResultSchema.parse(await response.json());
}

describe('provider openai', () => {
  it('uses the structured LLM verdict and reply, sending only redacted text', async () => {
    fake.enqueue('chat', invoiceVerdict());
    const result = await triage(openai, '怎么开发票？我手机13812345678');
    expect(result.provider).toBe('openai:llm');
    expect(result.category).toBe('invoice');
    expect(result.decision.action).toBe('auto_reply');
    expect(result.reply.text).toBe('您好！电子发票可以在订单详情页申请。');
    expect(result.reply.citations).toEqual(['invoice_howto']);
    const sent = JSON.stringify(fake.requests[0]?.body);
    expect(sent).not.toContain('13812345678');
    expect(sent).toContain('[PHONE]');
    expect(sent).toContain('invoice_howto');
  });

  it('hands off when the LLM flags an injection the patterns missed', async () => {
    fake.enqueue(
      'chat',
      invoiceVerdict({ injectionSuspected: true, riskFlags: ['prompt_injection'] }),
    );
    const result = await triage(openai, '怎么开发票');
    expect(result.flags).toContain('prompt_injection');
    expect(result.decision.action).toBe('handoff');
  });

  it('retries a 500 and then answers', async () => {
    fake.enqueue('chat', apiError(500, 'boom'), invoiceVerdict());
    const result = await triage(openai, '怎么开发票');
    expect(result.provider).toBe('openai:llm');
    expect(fake.requests.length).toBe(2);
  });

  it('falls back to the local result and a hand-off when the LLM keeps failing', async () => {
    fake.enqueue(
      'chat',
      apiError(503, 'down'),
      apiError(503, 'down'),
      apiError(503, 'down'),
      apiError(503, 'down'),
    );
    const result = await triage(openai, '怎么开发票');
    expect(result.provider).toBe('openai:local-fallback');
    expect(result.category).toBe('invoice');
    expect(result.decision.action).toBe('handoff');
    expect(result.flags).toContain('llm_unavailable');
    expect(result.reply.text.length).toBeGreaterThan(10);
  });

  it('falls back on output that fails the schema', async () => {
    fake.enqueue(
      'chat',
      chatCompletion('not json at all'),
      chatCompletion({ category: 'invoice' }),
    );
    const result = await triage(openai, '怎么开发票');
    expect(result.provider).toBe('openai:local-fallback');
    expect(result.decision.action).toBe('handoff');
  });

  it('falls back when the LLM hangs past the timeout', async () => {
    fake.enqueue('chat', { hang: true }, { hang: true }, { hang: true });
    const result = await triage(openai, '怎么开发票');
    expect(result.flags).toContain('llm_unavailable');
    expect(result.decision.action).toBe('handoff');
  });
});

describe('provider cascade', () => {
  it('does not call the LLM when the local models are sure, and counts the calls it makes', async () => {
    const before = cascade.triage.describe();
    const sure = await triage(cascade, '怎么开发票');
    const afterSure = cascade.triage.describe();
    expect(afterSure.triaged).toBe(before.triaged + 1);
    // Every LLM call is counted, and a message the local models settle makes none.
    expect(afterSure.llmCalls - before.llmCalls).toBe(fake.requests.length);
    expect(sure.provider === 'cascade').toBe(fake.requests.length === 0);

    fake.enqueue(
      'chat',
      invoiceVerdict({
        category: 'other',
        outOfScope: true,
        citations: [],
        reply: 'Hello! A colleague will get back to you.',
      }),
    );
    const unsure = await triage(cascade, 'qwzx plmokn bvcx');
    expect(unsure.provider).toBe('cascade:llm');
    expect(unsure.decision.action).toBe('handoff');
    expect(cascade.triage.describe().llmCalls).toBeGreaterThan(afterSure.llmCalls);
  });
});
