/**
 * The shared access check: every route the app serves is called without credentials and
 * with each role the access policy does not allow, and must answer 401 and 403; and every
 * route must have a rule, so a new route cannot ship without a decision.
 */
import { expect } from 'vitest';
import { type Access, accessFor } from '../auth/access-policy.js';
import { type Role, roles } from '../auth/roles.js';

interface RoutedApp {
  routes: { method: string; path: string }[];
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

const verbs = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const sampleId = '00000000-0000-4000-8000-000000000000';

export function servedRoutes(app: RoutedApp): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const route of app.routes) {
    if (!verbs.has(route.method) || route.path === '/*' || route.path === '*') continue;
    seen.set(`${route.method} ${route.path}`, { method: route.method, path: route.path });
  }
  return [...seen.values()];
}

const concrete = (path: string) =>
  path.replace(/:[A-Za-z]+/g, sampleId).replace(/\*$/, 'index.html');

export async function sweepAccess(
  app: RoutedApp,
  headersFor: (role: Role) => Record<string, string>,
) {
  const routes = servedRoutes(app);
  expect(routes.length).toBeGreaterThan(10);
  const checked: string[] = [];
  for (const { method, path } of routes) {
    const url = concrete(path);
    const access: Access | undefined = accessFor(method, url);
    expect(access, `${method} ${path} has no rule in the access policy`).toBeDefined();
    if (access === 'public') continue;
    const init = (headers: Record<string, string>): RequestInit => ({
      method,
      headers: {
        ...headers,
        ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
      },
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
    });
    const anonymous = await app.request(url, init({}));
    expect(anonymous.status, `${method} ${path} without credentials`).toBe(401);
    const wrongKey = await app.request(
      url,
      init({ authorization: 'Bearer not-a-key-at-all-000000' }),
    );
    expect(wrongKey.status, `${method} ${path} with an unknown key`).toBe(401);
    for (const role of roles.filter(
      (candidate) => !(access as readonly Role[]).includes(candidate),
    )) {
      const response = await app.request(url, init(headersFor(role)));
      expect(response.status, `${method} ${path} as ${role}`).toBe(403);
    }
    checked.push(`${method} ${path}`);
  }
  return checked;
}
