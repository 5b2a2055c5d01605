/**
 * `triage_llm_calls_total{outcome}` against the fake OpenAI-compatible server: an answer used,
 * a failed call, then a triage the open circuit breaker kept from calling at all.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type FakeOpenAiServer,
  invoiceVerdict,
  startFakeOpenAiServer,
} from '../models/openai/fake-openai-server.js';
import { postJson, startTestService, type TestService } from '../testing/service.js';

let fake: FakeOpenAiServer;
let service: TestService;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  service = await startTestService({
    MODEL_PROVIDER: 'openai',
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_CHAT_MODEL: 'deepseek-chat',
    OPENAI_TIMEOUT_MS: '300',
    OPENAI_RESPONSE_FORMAT: 'json_object',
    OPENAI_BREAKER_FAILURES: '1',
    OPENAI_BREAKER_COOLDOWN_MS: '600000',
  });
});
afterAll(async () => {
  await service?.close();
  await fake?.close();
});

async function llmCalls(outcome: string): Promise<number> {
  // The API is open (no keys configured): every caller acts as admin.
  const text = await (await service.app.request('/metrics')).text();
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`triage_llm_calls_total{outcome="${outcome}"} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

async function triage(): Promise<string> {
  const response = await postJson(service.app, '/v1/triage', { text: '怎么开发票' });
  expect(response.status).toBe(200);
  return ((await response.json()) as { provider: string }).provider;
}

it('counts the LLM outcomes: used, failed, refused by the open circuit', async () => {
  fake.enqueue('chat', invoiceVerdict());
  expect(await triage()).toBe('openai:llm');
  expect(await llmCalls('ok')).toBe(1);

  fake.outage('error');
  expect(await triage()).toBe('openai:local-fallback');
  expect(await llmCalls('failed')).toBe(1);
  const sent = fake.requests.length;

  expect(await triage()).toBe('openai:local-fallback');
  expect(fake.requests).toHaveLength(sent);
  expect(await llmCalls('circuit_open')).toBe(1);
  expect(await llmCalls('ok')).toBe(1);
  expect(await llmCalls('failed')).toBe(1);
});
