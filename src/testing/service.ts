/** A whole service for route tests: snapshot database, local models, the Hono app. */
import { parseConfig } from '../config/env.js';
import { createApp } from '../http/app.js';
import { type Service, startService } from '../service.js';
import { openTestDatabase } from './database.js';
import { silentLogger } from './logger.js';

export interface TestService extends Service {
  app: ReturnType<typeof createApp>;
}

export async function startTestService(env: Record<string, string> = {}): Promise<TestService> {
  const config = parseConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...env });
  const database = await openTestDatabase();
  const service = await startService(config, { database, logger: silentLogger(), ingest: false });
  return { ...service, app: createApp(service) };
}

/** POSTs a JSON body (or raw string) to the app. */
export function postJson(app: TestService['app'], path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
