/**
 * `/docs`: Swagger UI served from the swagger-ui-dist package, so the page works with
 * no network (the hosted-CDN variants would not).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ApiRouter } from './router.js';

const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Triage service API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-init.js"></script>
</body></html>`;

// A file rather than an inline script, so the page's Content-Security-Policy needs no 'unsafe-inline' for scripts.
const initScript = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });\n`;

export function registerDocsRoutes(app: ApiRouter) {
  const distDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  app.get('/docs', (context) => context.html(page));
  app.get('/docs/assets/:file', async (context) => {
    const file = context.req.param('file');
    if (file === 'swagger-init.js')
      return context.body(initScript, 200, { 'content-type': 'text/javascript; charset=utf-8' });
    const type = assets[file];
    if (!type) return context.notFound();
    const body = await readFile(join(distDir, file));
    return context.body(body, 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
    });
  });
}
