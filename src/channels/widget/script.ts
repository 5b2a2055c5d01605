/**
 * `GET /widget.js`: the embeddable script (public/widget.js, plain JavaScript served as is,
 * with the service's text limit filled in). It is loaded by shops' pages on other origins, so
 * this one route answers `Cross-Origin-Resource-Policy: cross-origin` instead of the
 * service-wide `same-origin`, which would stop the browser from running it; its other
 * hardening headers (nosniff, the CSP of a document, which a script ignores) stay.
 */
import { readFileSync } from 'node:fs';
import type { Context } from 'hono';

const source = new URL('./public/widget.js', import.meta.url);
const settingsLine = /var SETTINGS = \{[^}]*\};/;

/** The script with this service's settings in it; read once. */
export function widgetScript(settings: { maxTextChars: number }): string {
  const text = readFileSync(source, 'utf8');
  if (!settingsLine.test(text)) throw new Error(`${source.pathname} lost its SETTINGS line`);
  return text.replace(settingsLine, `var SETTINGS = ${JSON.stringify(settings)};`);
}

export function widgetScriptHandler(script: string) {
  return function serveWidgetScript(context: Context) {
    return context.body(script, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      // Shops' pages reload it often; a fix reaches them within the hour.
      'cache-control': 'public, max-age=3600',
      'cross-origin-resource-policy': 'cross-origin',
    });
  };
}
