import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService, type TestService } from '../testing/service.js';
import { createApp } from './app.js';
import { answerClientErrors } from './client-errors.js';

let service: TestService;
let server: Server;
let port: number;
const logs: { level: number; msg: string }[] = [];

beforeAll(async () => {
  service = await startTestService();
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line)) },
  );
  const app = createApp({ ...service, logger });
  server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started as unknown as Server),
    );
  });
  answerClientErrors(server, logger);
  port = (server.address() as AddressInfo).port;
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await service?.close();
});

/** Writes raw bytes; resolves with what came back once the server closes (or `hangUp` after writing). */
function raw(request: string, hangUp = false): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(request);
      if (hangUp) setImmediate(() => socket.destroy());
    });
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => resolve(received));
    socket.on('error', () => resolve(received));
  });
}

const errorLogs = () => logs.filter((entry) => entry.level >= 50);
const body = (response: string) =>
  JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { error: { code: string } };

describe('requests that never became requests', () => {
  it('answers a malformed request line with 400 in the error shape, logged at debug only', async () => {
    const response = await raw('GARBAGE\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1.1 400 /);
    expect(body(response).error.code).toBe('validation_failed');
    expect(errorLogs()).toEqual([]);
    expect(logs.some((entry) => entry.msg === 'malformed request or client gone')).toBe(true);
  });

  it('answers a URL over the 16 KB header limit with 431, and one just under it with 404', async () => {
    const over = await raw(
      `GET /v1/kb/search?q=${'a'.repeat(17_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
    );
    expect(over).toMatch(/^HTTP\/1.1 431 /);
    expect(body(over).error.code).toBe('payload_too_large');
    const under = await raw(
      `GET /${'a'.repeat(16_000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    );
    expect(under).toMatch(/^HTTP\/1.1 404 /);
    expect(errorLogs()).toEqual([]);
  });

  it('does not log a client that hangs up mid-body as an unhandled error, and keeps serving', async () => {
    const headers = 'content-type: application/json\r\ncontent-length: 5000\r\n';
    await raw(`POST /v1/triage HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n{"text":"快递`, true);
    await raw(
      `POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n{"channel":"web"`,
      true,
    );
    await vi.waitFor(() =>
      expect(logs.filter((entry) => entry.msg === 'client disconnected')).toHaveLength(2),
    );
    expect(errorLogs()).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
