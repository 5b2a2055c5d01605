import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from '../models/openai/fake-openai-server.js';
import { type LlmCache, startLlmCache } from './llm-cache.js';

describe('LLM response cache', () => {
  let fake: FakeOpenAiServer | undefined;
  let cache: LlmCache | undefined;
  afterEach(async () => {
    await cache?.close();
    await fake?.close();
  });

  const completion = (content: string) => ({
    json: {
      id: 'c',
      object: 'chat.completion',
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    },
  });
  const ask = (body: object) =>
    fetch(`${cache!.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify(body),
    });

  it('answers a repeated request (same model, prompt and input) from disk, and forwards a changed one', async () => {
    fake = await startFakeOpenAiServer();
    const directory = mkdtempSync(join(tmpdir(), 'llm-cache-'));
    cache = await startLlmCache({ upstream: fake.baseURL, directory });
    fake.enqueue('chat', completion('first'), completion('second'));
    const request = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'prompt v1' },
        { role: 'user', content: '快递到哪了' },
      ],
    };

    const first = await (await ask(request)).json();
    const again = await ask(request);
    expect(again.headers.get('x-eval-cache')).toBe('hit');
    expect(await again.json()).toEqual(first);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer k');

    const otherPrompt = await (
      await ask({
        ...request,
        messages: [{ role: 'system', content: 'prompt v2' }, request.messages[1]],
      })
    ).json();
    expect(otherPrompt.choices[0].message.content).toBe('second');
    expect(cache.stats()).toEqual({ hits: 1, misses: 2 });
    expect(readdirSync(directory)).toHaveLength(2);
  });

  it('does not store failures, so a retry reaches the provider again', async () => {
    fake = await startFakeOpenAiServer();
    cache = await startLlmCache({
      upstream: fake.baseURL,
      directory: mkdtempSync(join(tmpdir(), 'llm-cache-')),
    });
    fake.enqueue(
      'chat',
      { status: 429, json: { error: { message: 'slow down' } } },
      completion('ok'),
    );
    const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    expect((await ask(request)).status).toBe(429);
    expect((await ask(request)).status).toBe(200);
    expect(fake.requests).toHaveLength(2);
  });
});
