/** A whole service for route tests: snapshot database, local models, the Hono app. */
import { parseConfig } from '../config/env.js';
import { createApp } from '../http/app.js';
import { type Service, type StartOptions, startService } from '../service.js';
import { openTestDatabase } from './database.js';
import { silentLogger } from './logger.js';

export interface TestService extends Service {
  app: ReturnType<typeof createApp>;
}

/** Keys for route tests that check access (pass `testApiKeysEnv` in env). */
export const testKeys = {
  integration: 'test-integration-key-0001',
  agent: 'test-agent-key-000000000001',
  admin: 'test-admin-key-000000000001',
} as const;
export const testApiKeysEnv = {
  API_KEYS: `${testKeys.integration}:integration:bot,${testKeys.agent}:agent:alice,${testKeys.admin}:admin:root`,
};
export const bearer = (role: keyof typeof testKeys) => ({
  authorization: `Bearer ${testKeys[role]}`,
});

export async function startTestService(
  env: Record<string, string> = {},
  options: Pick<StartOptions, 'clock' | 'channels'> = {},
): Promise<TestService> {
  const config = parseConfig({
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD: 'admin-password-1',
    ...env,
  });
  const database = await openTestDatabase();
  const service = await startService(config, {
    database,
    logger: silentLogger(),
    ingest: false,
    ...options,
  });
  return { ...service, app: createApp(service) };
}

/** POSTs a JSON body (or raw string) to the app. */
export function postJson(
  app: TestService['app'],
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
