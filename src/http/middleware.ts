/** Cross-cutting HTTP middleware: JSON-only bodies and the size limit, in our error shape. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorResponse } from './errors.js';

/** Rejects a body whose content type is not JSON with 415 before any parsing. */
export function requireJsonBody(): MiddlewareHandler {
  return async function requireJsonBodyMiddleware(context, next) {
    if (['POST', 'PUT', 'PATCH'].includes(context.req.method)) {
      const mediaType = (context.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
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
