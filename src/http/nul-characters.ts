/**
 * Refuses a NUL character (U+0000) anywhere a request carries text: the path, the query
 * string, JSON bodies (values and keys) and form fields (values and file names), with 400
 * before any handler runs. Postgres cannot store U+0000 in text, so without this check
 * such a request failed halfway with a 500; no person types it, so nothing is lost by refusing it.
 * Other control characters are stored and shown escaped, and file contents may hold any byte.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { errorResponse } from './errors.js';

const jsonMediaType = /^application\/([\w.-]+\+)?json$/;

/** Where the first NUL sits in a parsed JSON value (`customer.name`, `tags.2`, `key "x…"`), or undefined. */
export function findNul(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string')
    return value.includes('\u0000') ? path.join('.') || 'body' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000'))
      return `key "${key.replaceAll('\u0000', '\\u0000').slice(0, 40)}"${path.length ? ` in ${path.join('.')}` : ''}`;
    const found = findNul(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function findNulInUrl(url: URL): string | undefined {
  // %00 is the only way a NUL reaches a URL (the HTTP parser refuses a raw one).
  if (url.pathname.includes('%00')) return 'path';
  for (const [name, value] of url.searchParams) {
    if (name.includes('\u0000') || value.includes('\u0000'))
      return `query parameter ${name.replaceAll('\u0000', '\\u0000')}`;
  }
  return undefined;
}

async function findNulInBody(context: Context, mediaType: string): Promise<string | undefined> {
  if (jsonMediaType.test(mediaType)) {
    // Cached by hono: the route's validator parses the same text again without re-reading.
    const text = await context.req.text();
    if (!text.includes('\\u0000') && !text.includes('\u0000')) return undefined;
    try {
      return findNul(JSON.parse(text));
    } catch {
      return undefined; // not JSON: the route answers invalid_json
    }
  }
  if (mediaType === 'multipart/form-data' || mediaType === 'application/x-www-form-urlencoded') {
    let form: FormData;
    try {
      const body = await context.req.arrayBuffer();
      form = await new Response(body, {
        headers: { 'content-type': context.req.header('content-type')! },
      }).formData();
    } catch {
      return undefined; // malformed: the route's own parsing answers it
    }
    // Where hono's form validator looks first, so the body is parsed once.
    context.req.bodyCache.formData = form;
    for (const [name, value] of form) {
      if (name.includes('\u0000')) return `form field ${name.replaceAll('\u0000', '\\u0000')}`;
      if (typeof value === 'string' ? value.includes('\u0000') : value.name.includes('\u0000')) {
        return typeof value === 'string' ? `form field ${name}` : `file name of form field ${name}`;
      }
    }
  }
  return undefined;
}

export interface NulCheckOptions {
  /** Bodies are read only under this prefix: where a size limit has already bounded them. */
  bodiesUnder: string;
}

export function refuseNulCharacters(options: NulCheckOptions): MiddlewareHandler {
  return async function refuseNulCharactersMiddleware(context, next) {
    let where = findNulInUrl(new URL(context.req.url));
    if (
      !where &&
      context.req.path.startsWith(options.bodiesUnder) &&
      context.req.method !== 'GET' &&
      context.req.method !== 'HEAD'
    ) {
      const mediaType = (context.req.header('content-type') ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      where = await findNulInBody(context, mediaType);
    }
    if (where) {
      return errorResponse(
        context,
        'validation_failed',
        `${where}: contains a NUL character (\\u0000), which cannot be stored; remove it and send again.`,
      );
    }
    await next();
  };
}
