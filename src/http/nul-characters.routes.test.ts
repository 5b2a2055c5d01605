import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService(testApiKeysEnv);
}, 120_000);
afterAll(async () => service?.close());

let sequence = 0;
const nul = '\u0000';

async function expectRefused(response: Response, where: RegExp) {
  expect(response.status).toBe(400);
  const body = await response.json();
  expect(body.error).toMatchObject({ code: 'validation_failed', requestId: expect.any(String) });
  expect(body.error.message).toMatch(where);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
}

async function handoffTicket() {
  const response = await postJson(
    service.app,
    '/v1/messages?wait=30',
    {
      channel: 'web-chat',
      externalMessageId: `nul-t-${sequence++}`,
      conversationId: `nul-tc-${sequence++}`,
      customer: { id: 'c-1' },
      text: '我要投诉你们的售后，东西坏了没人管',
    },
    bearer('integration'),
  );
  expect(response.status).toBe(200);
  const body = await response.json();
  const ticket = await (
    await service.app.request(`/v1/tickets/${body.ticket.id}`, { headers: bearer('agent') })
  ).json();
  return ticket as { id: string; version: number };
}

describe('NUL characters are refused with 400 before any handler runs', () => {
  it('POST /v1/messages: text, ids and names; no conversation row is left behind', async () => {
    const conversationId = `nul-conv-${sequence++}`;
    const base = {
      channel: 'web-chat',
      externalMessageId: `nul-m-${sequence++}`,
      conversationId,
      customer: { id: 'c-1', name: 'Li' },
      text: 'hello',
    };
    await expectRefused(
      await postJson(
        service.app,
        '/v1/messages?wait=30',
        { ...base, text: `我的快递${nul}还没到` },
        bearer('integration'),
      ),
      /text/,
    );
    await expectRefused(
      await postJson(
        service.app,
        '/v1/messages?wait=30',
        { ...base, customer: { id: 'c-1', name: `L${nul}i` } },
        bearer('integration'),
      ),
      /customer\.name/,
    );
    await expectRefused(
      await postJson(
        service.app,
        '/v1/messages?wait=30',
        { ...base, externalMessageId: `x${nul}` },
        bearer('integration'),
      ),
      /externalMessageId/,
    );
    const stored = await service.database.db
      .selectFrom('conversations')
      .select('id')
      .where('external_id', '=', conversationId)
      .execute();
    expect(stored).toEqual([]);
  });

  it('intake itself stores nothing, not even the conversation, when the message cannot be stored', async () => {
    const conversationId = `nul-direct-${sequence++}`;
    const input = {
      channel: 'web-chat',
      externalMessageId: `nul-d-${sequence++}`,
      conversationId,
      customer: { id: 'c-2' },
      text: `a${nul}b`,
    };
    await expect(service.intake.receive(input)).rejects.toThrow();
    const stored = await service.database.db
      .selectFrom('conversations')
      .select('id')
      .where('external_id', '=', conversationId)
      .execute();
    expect(stored).toEqual([]);
  });

  it('POST /v1/triage: text', async () => {
    await expectRefused(
      await postJson(service.app, '/v1/triage', { text: `退款${nul}` }, bearer('integration')),
      /text/,
    );
  });

  it('POST /v1/auth/login: username and password', async () => {
    await expectRefused(
      await postJson(service.app, '/v1/auth/login', {
        username: `admin${nul}`,
        password: 'admin-password-1',
      }),
      /username/,
    );
    await expectRefused(
      await postJson(service.app, '/v1/auth/login', { username: 'admin', password: `x${nul}y` }),
      /password/,
    );
  });

  it('GET /v1/tickets and /v1/audit: filters in the query string', async () => {
    await expectRefused(
      await service.app.request('/v1/tickets?assignee=al%00ice', { headers: bearer('agent') }),
      /assignee/,
    );
    await expectRefused(
      await service.app.request('/v1/audit?subjectId=%00', { headers: bearer('admin') }),
      /subjectId/,
    );
    await expectRefused(
      await service.app.request('/v1/kb/search?q=%E9%80%80%00%E6%AC%BE', {
        headers: bearer('agent'),
      }),
      /q/,
    );
  });

  it('POST /v1/tickets/{id}/actions: reply text, edit text, reject reason; the ticket is untouched', async () => {
    const ticket = await handoffTicket();
    const act = (body: Record<string, unknown>) =>
      postJson(service.app, `/v1/tickets/${ticket.id}/actions`, body, bearer('agent'));
    await expectRefused(
      await act({ action: 'reply', text: `您好${nul}`, version: ticket.version }),
      /text/,
    );
    await expectRefused(
      await act({ action: 'edit', text: `${nul}`, version: ticket.version }),
      /text/,
    );
    await expectRefused(
      await act({ action: 'reject', reason: `wrong${nul}`, version: ticket.version }),
      /reason/,
    );
    const after = await (
      await service.app.request(`/v1/tickets/${ticket.id}`, { headers: bearer('agent') })
    ).json();
    expect(after.version).toBe(ticket.version);
    expect(after.status).toBe('open');
  });

  it('a NUL in the path or in a JSON key is refused too; an escaped backslash-u text is not a NUL', async () => {
    await expectRefused(
      await service.app.request('/v1/tickets/%00', { headers: bearer('agent') }),
      /path/,
    );
    await expectRefused(
      await postJson(
        service.app,
        '/v1/triage',
        `{"text":"hi","x${'\\u0000'}":1}`,
        bearer('integration'),
      ),
      /key/,
    );
    const literal = await postJson(
      service.app,
      '/v1/triage',
      '{"text":"a literal \\\\u0000 is six characters"}',
      bearer('integration'),
    );
    expect(literal.status).toBe(200);
  });

  it('multipart form fields and file names are checked; file contents may hold NUL bytes', async () => {
    const named = new FormData();
    named.append('file', new File(['# hi'], `faq${nul}.md`, { type: 'text/markdown' }));
    await expectRefused(
      await service.app.request('/v1/kb/documents', {
        method: 'POST',
        body: named,
        headers: bearer('admin'),
      }),
      /file/,
    );
    const binary = new FormData();
    binary.append(
      'file',
      new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x00])], 'binary-nul.pdf', {
        type: 'application/pdf',
      }),
    );
    const response = await service.app.request('/v1/kb/documents', {
      method: 'POST',
      body: binary,
      headers: bearer('admin'),
    });
    expect(response.status).not.toBe(400);
  });
});
