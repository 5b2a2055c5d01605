/**
 * Times every HTTP request into `triage_http_request_duration_seconds{method, route,
 * status_class}`. The route label is the pattern the router matched (`/v1/tickets/:id`), never
 * the raw path, and methods outside the standard set are one label: every series comes from
 * the route table, so ids and scanners' junk paths cannot grow the number of series.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { ServiceMetrics, ServedRequest } from './metrics.js';

/** The route label of a request no route matched (404s for unknown paths). */
export const unmatchedRoute = 'unmatched';

const standardMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The pattern of the endpoint the request was routed to: the first matched route registered
 * for a method (middleware registered with `use` counts as method ALL). It is known even
 * when middleware answered first (a 401 from sign-in is labelled with the route it guarded).
 */
export function routePattern(context: Context): string {
  return matchedRoutes(context).find((route) => route.method !== 'ALL')?.path ?? unmatchedRoute;
}

export function describeServedRequest(context: Context): ServedRequest {
  const method = context.req.method.toUpperCase();
  return {
    method: standardMethods.has(method) ? method : 'OTHER',
    route: routePattern(context),
    statusClass: `${Math.floor(context.res.status / 100)}xx`,
  };
}

export function observeHttpRequests(
  metrics: Pick<ServiceMetrics, 'requestServed'>,
): MiddlewareHandler {
  return async function observeHttpRequestsMiddleware(context, next) {
    const started = performance.now();
    // hono's compose turns an error thrown below into the error response (app.onError) before
    // next() returns, so the status read here is the one sent.
    await next();
    metrics.requestServed(describeServedRequest(context), (performance.now() - started) / 1000);
  };
}
