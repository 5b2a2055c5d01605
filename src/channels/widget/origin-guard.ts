/**
 * CORS for the widget's endpoints, with an allow-list: a request must carry an `Origin` the
 * shop configured (browsers always send it on the widget's cross-origin calls), otherwise 403
 * and no CORS headers, so a page elsewhere cannot read the answer. Preflights of allowed
 * origins are answered here. `Origin` proves nothing against a script outside a browser: the
 * rate limits are what bound those.
 */
import type { MiddlewareHandler } from 'hono';
import { errorResponse } from '../../http/errors.js';

/** How long a browser may reuse a preflight's answer (Chrome caps it at 2 hours). */
const preflightMaxAgeSeconds = 600;

function allowOrigin(headers: Headers, origin: string) {
  headers.set('Access-Control-Allow-Origin', origin);
  headers.append('Vary', 'Origin');
  // The widget reads Retry-After on 429s; the responses themselves are meant to be read cross-origin.
  headers.set('Access-Control-Expose-Headers', 'Retry-After');
  headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
}

export function widgetOriginGuard(allowedOrigins: ReadonlySet<string>): MiddlewareHandler {
  return async function widgetOriginGuardMiddleware(context, next) {
    const origin = context.req.header('origin');
    if (!origin || !allowedOrigins.has(origin)) {
      return errorResponse(
        context,
        'forbidden',
        origin
          ? `The origin ${origin} may not use this widget: add it to WIDGET_ALLOWED_ORIGINS.`
          : 'The widget answers browsers on the allowed origins only (no Origin header was sent).',
      );
    }
    if (context.req.method === 'OPTIONS') {
      const headers = new Headers({
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Last-Event-ID',
        'Access-Control-Max-Age': String(preflightMaxAgeSeconds),
      });
      allowOrigin(headers, origin);
      return context.body(null, 204, Object.fromEntries(headers));
    }
    await next();
    allowOrigin(context.res.headers, origin);
  };
}
