/**
 * The provider against servers that only do JSON mode and against an outage: the json_object
 * setting, the one-time fall-back from json_schema, failure logs, and the circuit breaker on
 * a controllable clock (requests the fake server received are the evidence, not timings).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, type ManualClock } from '../../time/clock.js';
import { ModelProviderError } from './errors.js';
import {
  apiError,
  chatCompletion,
  deepSeekJsonSchemaRejected422,
  startFakeOpenAiServer,
  type FakeOpenAiServer,
} from './fake-openai-server.js';
import type { OpenAiProviderOptions, ProviderLogger } from './options.js';
import { OpenAiTriageModel } from './triage-model.js';
import type { LlmTriageInput, LlmTriageOutput } from './triage-schema.js';

const customerText = '我的订单[ORDER_ID]退款还没到账，已经等了十天';
const input: LlmTriageInput = {
  text: customerText,
  language: 'zh',
  categories: [
    { key: 'refund', description: '退款' },
    { key: 'other', description: '其他' },
  ],
  examples: [],
  candidates: [
    { id: 'refund_timeline', title: '退款多久到账', answer: '审核通过后 1-3 个工作日原路退回。' },
  ],
  entities: {},
};
const goodOutput: LlmTriageOutput = {
  category: 'refund',
  confidence: 0.9,
  outOfScope: false,
  sentiment: 'negative',
  injectionSuspected: false,
  riskFlags: [],
  citations: ['refund_timeline'],
  reply: '抱歉久等了，退款审核通过后 1-3 个工作日原路退回。',
};

interface LogLine {
  level: 'warn' | 'info' | 'debug';
  fields: Record<string, unknown>;
  message: string;
}

let server: FakeOpenAiServer;
let clock: ManualClock;
let logs: LogLine[];
const logger: ProviderLogger = {
  warn: (fields, message) =>
    logs.push({ level: 'warn', fields: fields as Record<string, unknown>, message }),
  info: (fields, message) =>
    logs.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
  debug: (fields, message) =>
    logs.push({ level: 'debug', fields: fields as Record<string, unknown>, message }),
};

function model(options: Partial<OpenAiProviderOptions> = {}): OpenAiTriageModel {
  return new OpenAiTriageModel(
    { apiKey: 'test-key', baseURL: server.baseURL, chatModel: 'deepseek-chat', ...options },
    // Retries do not wait; the breaker's cool-down is measured on the manual clock.
    { sleep: async () => {}, random: () => 0, clock, logger },
  );
}

async function failure(promise: Promise<unknown>): Promise<ModelProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelProviderError);
  return error as ModelProviderError;
}

const formats = () => server.requests.map((request) => request.body?.response_format?.type);

beforeEach(async () => {
  server = await startFakeOpenAiServer();
  clock = manualClock('2026-01-05T09:00:00Z');
  logs = [];
});
afterEach(async () => {
  await server.close();
});

describe('json_object mode (OPENAI_RESPONSE_FORMAT=json_object)', () => {
  it('never sends json_schema, puts the schema and the word json in the system prompt, and validates with zod', async () => {
    server.refuseJsonSchema();
    server.enqueue(
      'chat',
      chatCompletion({ ...goodOutput, sentiment: 'furious' }),
      chatCompletion(goodOutput),
    );

    const result = await model({ structuredOutput: 'json_object' }).analyse(input);

    expect(result.output).toEqual(goodOutput);
    expect(formats()).toEqual(['json_object', 'json_object']);
    const system = server.requests[0]?.body.messages[0].content as string;
    expect(system).toMatch(/\bjson\b/);
    expect(system).toContain('"required": [');
    expect(system).toContain('"enum": [\n        "refund",\n        "other"\n      ]');
  });
});

describe('fall-back from json_schema to json_object', () => {
  it('retries a refused call once with json_object, sticks to it, and warns once', async () => {
    server.refuseJsonSchema();
    server.enqueue('chat', chatCompletion(goodOutput), chatCompletion(goodOutput));
    const provider = model();

    const first = await provider.analyse(input);
    const second = await provider.analyse(input);

    expect(first.output).toEqual(goodOutput);
    expect(second.output).toEqual(goodOutput);
    expect(formats()).toEqual(['json_schema', 'json_object', 'json_object']);
    expect(first.attempts).toBe(2);
    expect(second.attempts).toBe(1);
    // The retry carries the schema in the prompt, which the json_schema request did not.
    expect(server.requests[0]?.body.messages[0].content).not.toContain('"required": [');
    expect(server.requests[1]?.body.messages[0].content).toContain('"required": [');
    const switches = logs.filter((line) => line.fields.event === 'llm_response_format');
    expect(switches).toHaveLength(1);
    expect(switches[0]).toMatchObject({
      level: 'warn',
      message:
        'provider refused json_schema; using json_object from now on; set OPENAI_RESPONSE_FORMAT=json_object to skip the probe',
      fields: { status: 400, requestId: 'req-deepseek-refusal' },
    });
    expect(provider.health().responseFormat).toBe('json_object');
    // A refusal is the server answering: it does not count against the circuit.
    expect(provider.health().circuit).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it("also recognises DeepSeek's 422 from its deserialiser", async () => {
    server.refuseJsonSchema(deepSeekJsonSchemaRejected422);
    server.enqueue('chat', chatCompletion(goodOutput));

    const result = await model().analyse(input);

    expect(result.output).toEqual(goodOutput);
    expect(formats()).toEqual(['json_schema', 'json_object']);
  });

  it('does not switch on a 400 about something else', async () => {
    server.enqueue(
      'chat',
      apiError(400, "Unsupported parameter: 'temperature' is not supported with this model."),
    );
    const provider = model();

    const error = await failure(provider.analyse(input));

    expect(error).toMatchObject({ code: 'bad_request', status: 400 });
    expect(formats()).toEqual(['json_schema']);
    expect(provider.health().responseFormat).toBe('json_schema');
  });
});

describe('failure logs', () => {
  it('logs every failed call with status, retryability, model and request id, never the customer text', async () => {
    server.enqueue(
      'chat',
      apiError(503, 'overloaded', { headers: { 'x-request-id': 'req-1' } }),
      apiError(429, 'quota', { code: 'insufficient_quota', headers: { 'x-request-id': 'req-2' } }),
    );

    await failure(model().analyse(input));

    const failed = logs.filter((line) => line.fields.event === 'llm_call_failed');
    expect(failed.map((line) => [line.level, line.fields])).toEqual([
      [
        'warn',
        expect.objectContaining({
          code: 'server_error',
          status: 503,
          retryable: true,
          model: 'deepseek-chat',
          requestId: 'req-1',
        }),
      ],
      [
        'warn',
        expect.objectContaining({
          code: 'rate_limited',
          status: 429,
          retryable: false,
          requestId: 'req-2',
          providerCode: 'insufficient_quota',
        }),
      ],
    ]);
    expect(JSON.stringify(logs)).not.toContain('退款');
  });

  it('logs unusable answers without quoting them', async () => {
    server.enqueue('chat', chatCompletion('退款 not json'), chatCompletion('退款 still not json'));

    await failure(model().analyse(input));

    expect(logs.filter((line) => line.fields.event === 'llm_answer_unusable')).toHaveLength(2);
    expect(JSON.stringify(logs)).not.toContain('退款');
  });
});

describe('circuit breaker', () => {
  it('after a timeout, stops retrying and hands later messages off without calling the server', async () => {
    server.outage('hang');
    const provider = model({ timeoutMs: 150, maxRetries: 2 });

    const first = await failure(provider.analyse(input));
    expect(first).toMatchObject({ code: 'timeout' });
    // One timeout, not three: the circuit opened and the retries were skipped.
    expect(server.requests).toHaveLength(1);

    for (let message = 0; message < 3; message++) {
      const later = await failure(provider.analyse(input));
      expect(later).toMatchObject({ code: 'unavailable', retryable: false });
    }
    expect(server.requests).toHaveLength(1);
    expect(provider.health().circuit).toMatchObject({
      state: 'open',
      retryAt: '2026-01-05T09:00:30.000Z',
      timesOpened: 1,
    });
    expect(
      logs
        .filter((line) => line.fields.event === 'llm_circuit')
        .map((line) => [line.level, line.fields.state]),
    ).toEqual([['warn', 'open']]);
  });

  it('opens after N consecutive server errors (N = OPENAI_BREAKER_FAILURES)', async () => {
    server.outage('error');
    const provider = model({ maxRetries: 1, breakerFailures: 3 });

    expect(await failure(provider.analyse(input))).toMatchObject({ code: 'server_error' });
    expect(server.requests).toHaveLength(2);
    expect(provider.health().circuit).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    expect(await failure(provider.analyse(input))).toMatchObject({ code: 'server_error' });
    // The third failure opened the circuit, so the retry of the second message was not sent.
    expect(server.requests).toHaveLength(3);
    expect(await failure(provider.analyse(input))).toMatchObject({ code: 'unavailable' });
    expect(server.requests).toHaveLength(3);
  });

  it('four messages in flight during an outage cost one timeout each; the fifth costs nothing', async () => {
    server.outage('hang');
    const provider = model({ timeoutMs: 150, maxRetries: 2 });

    const errors = await Promise.all([0, 1, 2, 3].map(() => failure(provider.analyse(input))));

    expect(errors.map((error) => error.code)).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
    expect(server.requests).toHaveLength(4);
    expect(await failure(provider.analyse(input))).toMatchObject({ code: 'unavailable' });
    expect(server.requests).toHaveLength(4);
  });

  it('after the cool-down, one trial call closes the circuit when the server is back', async () => {
    server.outage('error');
    const provider = model({ maxRetries: 0, breakerFailures: 1, breakerCooldownMs: 30_000 });
    await failure(provider.analyse(input));
    expect(provider.health().circuit.state).toBe('open');

    server.outage(false);
    server.enqueue('chat', chatCompletion(goodOutput), chatCompletion(goodOutput));
    clock.advance(29_000);
    expect(await failure(provider.analyse(input))).toMatchObject({ code: 'unavailable' });
    expect(server.requests).toHaveLength(1);

    clock.advance(1_000);
    const trial = await provider.analyse(input);
    expect(trial.output).toEqual(goodOutput);
    expect(provider.health().circuit).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
      retryAt: null,
    });
    await provider.analyse(input);
    expect(server.requests).toHaveLength(3);
    expect(
      logs.filter((line) => line.fields.event === 'llm_circuit').map((line) => line.fields.state),
    ).toEqual(['open', 'half_open', 'closed']);
  });

  it('a failed trial re-opens the circuit for twice as long', async () => {
    server.outage('error');
    const provider = model({ maxRetries: 0, breakerFailures: 1, breakerCooldownMs: 30_000 });
    await failure(provider.analyse(input));

    clock.advance(30_000);
    expect(await failure(provider.analyse(input))).toMatchObject({ code: 'server_error' });
    expect(server.requests).toHaveLength(2);
    expect(provider.health().circuit).toMatchObject({
      state: 'open',
      cooldownMs: 60_000,
      timesOpened: 2,
    });

    clock.advance(30_000);
    expect(await failure(provider.analyse(input))).toMatchObject({ code: 'unavailable' });
    expect(server.requests).toHaveLength(2);
  });

  it('does not count answers the server gave, even unusable ones', async () => {
    server.enqueue('chat', ...Array.from({ length: 6 }, () => chatCompletion('not json')));
    const provider = model({ breakerFailures: 2 });

    await failure(provider.analyse(input));
    await failure(provider.analyse(input));
    await failure(provider.analyse(input));

    expect(server.requests).toHaveLength(6);
    expect(provider.health().circuit).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });
});
