/**
 * A small run of the HTTP fuzzer (bench/fuzz/http-fuzz.ts) in process: 300 malformed requests
 * over every route, as admin, other roles and anonymous. None may answer 500 or more, and
 * every error must be in the error shape; the full 10,000-request run is in BENCHMARKS.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractViolation } from '../../bench/fuzz/check.js';
import { fuzzRequest } from '../../bench/fuzz/requests.js';
import {
  startTestService,
  type TestService,
  testApiKeysEnv,
  testKeys,
} from '../testing/service.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService(testApiKeysEnv);
}, 120_000);
afterAll(async () => service?.close());

describe('fuzzed requests', () => {
  it('300 malformed requests: no 5xx, every error in the error shape, the service still healthy', async () => {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let index = 0; index < 300; index++) {
      const request = fuzzRequest(7, index, testKeys);
      let response: Response;
      try {
        response = await service.app.request(request.path, {
          method: request.method,
          headers: request.headers,
          body: request.body as BodyInit | undefined,
        });
      } catch (error) {
        // The in-process Request refuses some inputs (as a client would): nothing reached the app.
        if (error instanceof TypeError) continue;
        throw error;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const violation = contractViolation(request.method, {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        body: await response.text(),
      });
      if (violation)
        failures.push(
          `#${index} ${violation}: ${request.kind} ${request.method} ${request.path.slice(0, 120)}`,
        );
    }
    expect(failures).toEqual([]);
    // The run reached the handlers, not only the router and sign-in.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(20);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(10);
    expect((await service.app.request('/healthz')).status).toBe(200);
  }, 300_000);
});
