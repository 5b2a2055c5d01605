/**
 * The agent console: static files (no build step) served by the app at /console. The
 * page talks to the same JSON API as everyone else, signed in with a session cookie.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorResponse } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';

const publicDir = fileURLToPath(new URL('./public/', import.meta.url));
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

export function registerConsoleRoutes(app: ApiRouter) {
  app.get('/console', (context) => context.redirect('/console/'));
  app.get('/console/*', async (context) => {
    const relative = context.req.path.slice('/console/'.length) || 'index.html';
    const path = normalize(join(publicDir, relative));
    if (!path.startsWith(publicDir)) return errorResponse(context, 'not_found', 'No such file.');
    try {
      const body = await readFile(path);
      return context.body(body, 200, {
        'content-type': types[extname(path)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        // The console loads nothing from elsewhere.
        'content-security-policy':
          "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
      });
    } catch {
      return errorResponse(context, 'not_found', `No console file ${relative}.`);
    }
  });
}
