/**
 * `triage_http_request_duration_seconds{method, route, status_class}`: every answered request
 * is timed under the route pattern it matched, so ids in paths, unknown paths and made-up
 * methods add no series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../http/app.js';
import { createServiceLifecycle } from '../service-lifecycle.js';
import { parseSamples, type Sample, sampleValue } from '../testing/prometheus-text.js';
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

const histogram = 'triage_http_request_duration_seconds';

async function scrape(): Promise<Sample[]> {
  const response = await service.app.request('/metrics', { headers: bearer('admin') });
  expect(response.status).toBe(200);
  return parseSamples(await response.text());
}

/** How many requests with these labels were timed between two scrapes. */
const counted = (before: Sample[], after: Sample[], labels: Record<string, string>) =>
  sampleValue(after, `${histogram}_count`, labels) -
  sampleValue(before, `${histogram}_count`, labels);

describe('HTTP request duration histogram', () => {
  it('labels requests with the route pattern, not the path, and the status class', async () => {
    const before = await scrape();
    const ids = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
    for (const id of ids) {
      const response = await service.app.request(`/v1/tickets/${id}`, { headers: bearer('agent') });
      expect(response.status).toBe(404);
    }
    // Sign-in answers before the route runs; the request is still the route's.
    expect((await service.app.request(`/v1/tickets/${ids[0]}`)).status).toBe(401);
    const triaged = await postJson(
      service.app,
      '/v1/triage',
      { text: 'How long does a refund take?' },
      bearer('integration'),
    );
    expect(triaged.status).toBe(200);

    const after = await scrape();
    expect(
      counted(before, after, { method: 'GET', route: '/v1/tickets/:id', status_class: '4xx' }),
    ).toBe(3);
    expect(
      counted(before, after, { method: 'POST', route: '/v1/triage', status_class: '2xx' }),
    ).toBe(1);
    // The scrape before this one was timed too.
    expect(
      counted(before, after, { method: 'GET', route: '/metrics', status_class: '2xx' }),
    ).toBeGreaterThanOrEqual(1);
    const triageSeconds =
      sampleValue(after, `${histogram}_sum`, { route: '/v1/triage', method: 'POST' }) -
      sampleValue(before, `${histogram}_sum`, { route: '/v1/triage', method: 'POST' });
    expect(triageSeconds).toBeGreaterThan(0);
    expect(triageSeconds).toBeLessThan(30);
    // Cumulative buckets: the +Inf bucket holds every request of the series.
    expect(
      sampleValue(after, `${histogram}_bucket`, {
        method: 'GET',
        route: '/v1/tickets/:id',
        status_class: '4xx',
        le: '+Inf',
      }),
    ).toBe(sampleValue(after, `${histogram}_count`, { route: '/v1/tickets/:id' }));
    const paths = after.filter((sample) => sample.name.startsWith(histogram));
    expect(paths.some((sample) => ids.some((id) => sample.labels.route?.includes(id)))).toBe(false);
  });

  it('puts unknown paths under one route label and unknown methods under one method label', async () => {
    const before = await scrape();
    for (const path of ['/wp-login.php', '/v1/nothing-here/1', '/v1/nothing-here/2'])
      expect((await service.app.request(path, { headers: bearer('admin') })).status).toBe(404);
    const made = await service.app.request('/v1/triage', {
      method: 'PROPFIND',
      headers: bearer('admin'),
    });
    expect(made.status).toBe(404);
    const after = await scrape();
    expect(counted(before, after, { method: 'GET', route: 'unmatched', status_class: '4xx' })).toBe(
      3,
    );
    expect(counted(before, after, { method: 'OTHER', status_class: '4xx' })).toBe(1);
    const routes = new Set(
      after.filter((sample) => sample.name === `${histogram}_count`).map((s) => s.labels.route),
    );
    expect([...routes].filter((route) => route?.includes('nothing-here'))).toEqual([]);
    expect(routes.has('/wp-login.php')).toBe(false);
  });

  it('counts server errors as 5xx', async () => {
    const before = await scrape();
    // Same services (and metrics registry), but not yet ready: /readyz answers 503.
    const starting = createApp({ ...service, lifecycle: createServiceLifecycle() });
    expect((await starting.request('/readyz')).status).toBe(503);
    const after = await scrape();
    expect(counted(before, after, { method: 'GET', route: '/readyz', status_class: '5xx' })).toBe(
      1,
    );
  });
});
