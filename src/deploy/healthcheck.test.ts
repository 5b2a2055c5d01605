/** bin/healthcheck.js, the containers' health check: exit 0 only for a 2xx from the probed path. */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../testing/free-port.js';

const script = fileURLToPath(new URL('../../bin/healthcheck.js', import.meta.url));

let server: Server;
let port: number;
const asked: string[] = [];
beforeAll(async () => {
  port = await freePort();
  server = createServer((request, response) => {
    asked.push(request.url ?? '');
    response.statusCode = request.url === '/readyz' ? 503 : request.url === '/livez' ? 200 : 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});
afterAll(() => new Promise((resolve) => server?.close(resolve)));

function check(path: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, path], { env: { ...process.env, ...env } }, (error) =>
      resolve(error ? Number(error.code ?? 1) : 0),
    );
  });
}

it('exits 0 for a 2xx and 1 otherwise, on the port in PORT', async () => {
  expect(await check('/livez', { PORT: String(port) })).toBe(0);
  expect(await check('/readyz', { PORT: String(port) })).toBe(1);
  expect(await check('/nothing', { PORT: String(port) })).toBe(1);
  expect(asked).toEqual(['/livez', '/readyz', '/nothing']);
});

it('exits 1 when nothing listens', async () => {
  expect(await check('/livez', { PORT: String(await freePort()) })).toBe(1);
});
