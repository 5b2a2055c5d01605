/**
 * An LLM outage through the whole service: the first message waits out one timeout, later
 * ones are handed off at once with the local result (the fake server receives nothing while
 * the circuit is open), /healthz shows the circuit, and after the cool-down (on the service's
 * manual clock) one trial brings the LLM back. Runs in JSON mode (OPENAI_RESPONSE_FORMAT).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  invoiceVerdict,
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from '../models/openai/fake-openai-server.js';
import { postJson, startTestService, type TestService } from '../testing/service.js';
import { manualClock } from '../time/clock.js';
import { triageResultSchema } from './triage.js';

let fake: FakeOpenAiServer;
let service: TestService;
const clock = manualClock('2026-01-05T09:00:00+08:00');

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  // A server that only does JSON mode: a json_schema request would be refused.
  fake.refuseJsonSchema();
  service = await startTestService(
    {
      MODEL_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_CHAT_MODEL: 'deepseek-chat',
      OPENAI_TIMEOUT_MS: '300',
      OPENAI_RESPONSE_FORMAT: 'json_object',
      OPENAI_BREAKER_FAILURES: '3',
      OPENAI_BREAKER_COOLDOWN_MS: '30000',
    },
    { clock },
  );
});
afterAll(async () => {
  await service?.close();
  await fake?.close();
});

async function triage(text = '怎么开发票') {
  const response = await postJson(service.app, '/v1/triage', { text });
  expect(response.status).toBe(200);
  return triageResultSchema.parse(await response.json());
}

async function llmHealth() {
  const body = (await (await service.app.request('/healthz')).json()) as {
    modelProvider?: { llm?: unknown };
  };
  return body.modelProvider?.llm as {
    responseFormat: string;
    circuit: { state: string; retryAt: string | null };
  };
}

const llmFailure = (result: Awaited<ReturnType<typeof triage>>) =>
  result.details?.find((item) => item.code === 'llm_failed')?.params;

describe('LLM outage with the circuit breaker', () => {
  it('answers through the LLM in JSON mode while it is up', async () => {
    fake.enqueue('chat', invoiceVerdict());
    const result = await triage();
    expect(result.provider).toBe('openai:llm');
    expect(fake.requests.map((request) => request.body.response_format)).toEqual([
      { type: 'json_object' },
    ]);
    expect(await llmHealth()).toMatchObject({
      responseFormat: 'json_object',
      circuit: { state: 'closed' },
    });
  });

  it('spends one timeout on the first message, then hands off at once without calling the LLM', async () => {
    fake.requests.length = 0;
    fake.outage('hang');

    const first = await triage();
    expect(first.decision.action).toBe('handoff');
    expect(first.flags).toContain('llm_unavailable');
    expect(llmFailure(first)).toEqual({ code: 'timeout' });
    expect(fake.requests).toHaveLength(1);

    for (const text of ['怎么开发票', '发票抬头写错了能改吗', '我要开专票']) {
      const later = await triage(text);
      expect(later.provider).toBe('openai:local-fallback');
      expect(later.decision.action).toBe('handoff');
      expect(later.flags).toContain('llm_unavailable');
      expect(llmFailure(later)).toEqual({ code: 'unavailable' });
    }
    expect(fake.requests).toHaveLength(1);
    expect(await llmHealth()).toMatchObject({
      circuit: { state: 'open', retryAt: '2026-01-05T01:00:30.000Z' },
    });
  });

  it('after the cool-down, one trial call brings the LLM back', async () => {
    fake.outage(false);
    fake.enqueue('chat', invoiceVerdict());
    clock.advance(30_000);

    const result = await triage();

    expect(result.provider).toBe('openai:llm');
    expect(fake.requests).toHaveLength(2);
    expect(await llmHealth()).toMatchObject({ circuit: { state: 'closed', retryAt: null } });
  });
});
