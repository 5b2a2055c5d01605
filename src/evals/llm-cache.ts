/**
 * The LLM response cache of eval runs: a small HTTP proxy on 127.0.0.1 that the
 * OpenAI-compatible provider is pointed at. A POST whose body (model, prompt messages,
 * the message itself, settings) was answered before gets the stored answer; anything
 * else is forwarded upstream and successful answers are stored. Re-running a suite after
 * changing a threshold costs no tokens; changing the prompt or the model misses the cache.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';

export interface LlmCache {
  /** Give this to the provider as its base URL. */
  baseURL: string;
  stats(): { hits: number; misses: number };
  close(): Promise<void>;
}

const storedSchema = z.object({ status: z.number(), contentType: z.string(), body: z.string() });

/** Headers that describe one hop, not the request. */
const HOP_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'accept-encoding',
]);

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function cacheKey(method: string, path: string, body: Buffer): string {
  return createHash('sha256')
    .update(method)
    .update('\n')
    .update(path)
    .update('\n')
    .update(body)
    .digest('hex');
}

export async function startLlmCache(options: {
  upstream: string;
  directory: string;
}): Promise<LlmCache> {
  await mkdir(options.directory, { recursive: true });
  const upstream = options.upstream.replace(/\/+$/, '');
  const stats = { hits: 0, misses: 0 };

  const server = createServer(function handleCachedLlmRequest(request, response) {
    void (async () => {
      const body = await readBody(request);
      const path = request.url ?? '/';
      const cacheable = request.method === 'POST';
      const file = join(options.directory, `${cacheKey(request.method ?? 'GET', path, body)}.json`);
      if (cacheable && existsSync(file)) {
        const stored = storedSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
        if (stored.success) {
          stats.hits++;
          response
            .writeHead(stored.data.status, {
              'content-type': stored.data.contentType,
              'x-eval-cache': 'hit',
            })
            .end(stored.data.body);
          return;
        }
      }
      stats.misses++;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (!HOP_HEADERS.has(name) && typeof value === 'string') headers[name] = value;
      }
      const answer = await fetch(`${upstream}${path}`, {
        method: request.method,
        headers,
        ...(body.length ? { body: new Uint8Array(body) } : {}),
      });
      const text = await answer.text();
      const contentType = answer.headers.get('content-type') ?? 'application/json';
      if (cacheable && answer.status === 200) {
        // Write then rename: a concurrent reader never sees half a file.
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(
          temporary,
          JSON.stringify({ status: answer.status, contentType, body: text }),
        );
        await rename(temporary, file);
      }
      const retryAfter = answer.headers.get('retry-after');
      response
        .writeHead(answer.status, {
          'content-type': contentType,
          ...(retryAfter ? { 'retry-after': retryAfter } : {}),
        })
        .end(text);
    })().catch((error: unknown) => {
      // The provider sees a 502 and treats it as retryable, like any upstream failure.
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: { message: `eval LLM cache: upstream failed: ${(error as Error).message}` },
        }),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    stats: () => ({ ...stats }),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
