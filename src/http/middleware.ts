/**
 * Cross-cutting HTTP middleware: JSON-only bodies, the size limit (in our error shape),
 * hardening headers, and what a request says about its origin behind a proxy.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { errorResponse } from './errors.js';

/** Rejects a body whose content type is not JSON with 415 before any parsing. */
export function requireJsonBody(): MiddlewareHandler {
  return async function requireJsonBodyMiddleware(context, next) {
    if (['POST', 'PUT', 'PATCH'].includes(context.req.method)) {
      const mediaType = (context.req.header('content-type') ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
        return errorResponse(
          context,
          'unsupported_media_type',
          `Send the body as JSON with "content-type: application/json" (got "${mediaType || 'none'}").`,
        );
      }
    }
    await next();
  };
}

/** Caps request bodies (streamed bodies too) and answers 413 in the error shape. */
export function limitBodySize(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (context) =>
      errorResponse(context, 'payload_too_large', `Request body is larger than ${maxBytes} bytes.`),
  });
}

// JSON and errors load nothing and may not be framed.
const apiHeaders = secureHeaders({
  overwrite: false,
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
});
// Swagger UI: its own script and styles (it sets inline styles), data: icons, the OpenAPI document.
const docsHeaders = secureHeaders({
  overwrite: false,
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

/**
 * hono's secureHeaders on every response (nosniff, Referrer-Policy: no-referrer, frame and
 * cross-origin policies, a CSP); a route that sets its own CSP (the console) keeps it.
 */
export function hardeningHeaders(): MiddlewareHandler {
  return function hardeningHeadersMiddleware(context, next) {
    const path = context.req.path;
    return path === '/docs' || path.startsWith('/docs/')
      ? docsHeaders(context, next)
      : apiHeaders(context, next);
  };
}

/** Whether the caller reached us over TLS: the URL, or a trusted proxy's X-Forwarded-Proto. */
export function isHttpsRequest(context: Context, trustProxy: boolean): boolean {
  if (new URL(context.req.url).protocol === 'https:') return true;
  if (!trustProxy) return false;
  // The proxy nearest to us appends last.
  const forwarded = context.req
    .header('x-forwarded-proto')
    ?.split(',')
    .at(-1)
    ?.trim()
    .toLowerCase();
  return forwarded === 'https';
}

/**
 * The caller's address: the socket's peer, or with a trusted proxy the address that proxy
 * saw (the last X-Forwarded-For entry: earlier ones are whatever the client claimed).
 */
export function clientAddress(context: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = context.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(context).remote.address;
  } catch {
    // In-process requests (app.request in tests, tools) have no socket.
    return undefined;
  }
}
