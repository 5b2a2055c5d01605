import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../channels/webhook/outbound.js';
import { parseConfig } from '../config/env.js';
import { createApp } from '../http/app.js';
import { startService } from '../service.js';
import { silentLogger } from '../testing/logger.js';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';
import { manualClock } from '../time/clock.js';

const secret = 'webhook-secret-for-tests';
const received: { delivery: string; body: Record<string, unknown>; signed: boolean }[] = [];
const read = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => resolve(body));
  });
const receiver: Server = createServer(async (request, response) => {
  const body = await read(request);
  received.push({
    delivery: String(request.headers['x-triage-delivery']),
    body: JSON.parse(body),
    signed: verifyWebhookSignature(secret, request.headers['x-triage-signature'] as string, body, {
      now: clock.now(),
    }),
  });
  response.writeHead(204).end();
});

const clock = manualClock('2026-11-24T02:00:00Z');
const services: TestService[] = [];
afterAll(async () => {
  for (const service of services.reverse()) await service.close().catch(() => undefined);
  receiver.close();
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('reply delivery through the outbox', () => {
  it('delivers exactly once after the receiver was down and the service restarted', async () => {
    const port = await freePort();
    const env = {
      ...testApiKeysEnv,
      WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
      WEBHOOK_SECRET: secret,
    };
    const first = await startTestService(env, { clock });
    services.push(first);

    const outcome = await (
      await postJson(
        first.app,
        '/v1/messages?wait=30',
        {
          channel: 'web-chat',
          externalMessageId: 'ob-1',
          conversationId: 'ob-conv',
          customer: { id: 'c1' },
          text: 'How long does a refund take to reach my card?',
        },
        bearer('integration'),
      )
    ).json();
    expect(outcome.action).toBe('auto_reply');

    // Receiver down: the attempt fails and is scheduled again
    expect(await first.outbox.deliverDue()).toEqual({ delivered: 0, failed: 0, retried: 1 });
    const row = await first.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('message_id', '=', outcome.reply.messageId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/unreachable/);

    // Restart: a new service (all process state gone) on the same database
    await first.outbox.stop();
    const config = parseConfig({
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
      ADMIN_PASSWORD: 'admin-password-1',
      ...env,
    });
    const restarted = await startService(config, {
      database: first.database,
      logger: silentLogger(),
      ingest: false,
      clock,
    });
    const second = {
      ...restarted,
      app: createApp(restarted),
      close: async () => undefined,
    } as TestService;

    // Receiver back on the same port
    await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', resolve));
    expect((await second.outbox.deliverDue()).delivered).toBe(0); // not due yet: backoff
    clock.advance(60_000);
    expect((await second.outbox.deliverDue()).delivered).toBe(1);
    clock.advance(3_600_000);
    expect((await second.outbox.deliverDue()).delivered).toBe(0);

    expect(received).toHaveLength(1);
    expect(received[0]!.signed).toBe(true);
    expect(received[0]!.body).toMatchObject({
      type: 'message.outbound',
      messageId: outcome.reply.messageId,
      conversationId: 'ob-conv',
      inReplyTo: 'ob-1',
      author: 'bot',
      text: outcome.reply.text,
    });
    const delivered = await second.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('message_id', '=', outcome.reply.messageId)
      .executeTakeFirstOrThrow();
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});
