import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestService, type TestService } from '../testing/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ MAX_TEXT_CHARS: '200', MAX_BODY_BYTES: '2048' });
});
afterAll(async () => service?.close());

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as {
    error: { code: string; message: string; requestId: string };
  };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  return body.error;
}

describe('POST /v1/triage rejects bad input with the error shape', () => {
  it('invalid JSON -> 400 invalid_json', async () => {
    await expectError(
      await postJson(service.app, '/v1/triage', '{"text": "hi"'),
      400,
      'invalid_json',
    );
  });

  it('wrong types -> 400 validation_failed naming the field', async () => {
    const error = await expectError(
      await postJson(service.app, '/v1/triage', { text: 42 }),
      400,
      'validation_failed',
    );
    expect(error.message).toMatch(/^text:/);
  });

  it('a JSON array instead of an object -> 400', async () => {
    await expectError(
      await postJson(service.app, '/v1/triage', '["text"]'),
      400,
      'validation_failed',
    );
  });

  it('unknown fields -> 400 (the contract is strict)', async () => {
    const error = await expectError(
      await postJson(service.app, '/v1/triage', { text: 'hi', txet: 'x' }),
      400,
      'validation_failed',
    );
    expect(error.message).toMatch(/txet/);
  });

  it('empty or whitespace-only text -> 400', async () => {
    const error = await expectError(
      await postJson(service.app, '/v1/triage', { text: '   ' }),
      400,
      'validation_failed',
    );
    expect(error.message).toMatch(/empty/);
  });

  it('text over the documented limit -> 400 naming the limit', async () => {
    const error = await expectError(
      await postJson(service.app, '/v1/triage', { text: '啊'.repeat(201) }),
      400,
      'validation_failed',
    );
    expect(error.message).toMatch(/200/);
  });

  it('wrong content type -> 415', async () => {
    const response = await service.app.request('/v1/triage', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"text":"hi"}',
    });
    await expectError(response, 415, 'unsupported_media_type');
    const none = await service.app.request('/v1/triage', { method: 'POST', body: '{"text":"hi"}' });
    expect(none.status).toBe(415);
  });

  it('a body over the size limit -> 413, before parsing', async () => {
    const response = await postJson(service.app, '/v1/triage', { text: 'x'.repeat(5000) });
    await expectError(response, 413, 'payload_too_large');
  });

  it('unknown route -> 404 in the same shape', async () => {
    await expectError(await service.app.request('/v1/nothing'), 404, 'not_found');
  });

  it('keeps serving after bad input', async () => {
    await postJson(service.app, '/v1/triage', '{{{');
    const response = await postJson(service.app, '/v1/triage', { text: 'where is my parcel?' });
    expect(response.status).toBe(200);
  });
});
