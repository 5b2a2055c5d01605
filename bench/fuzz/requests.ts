/**
 * Malformed HTTP requests for the fuzz run, from a seed: the same seed gives the same
 * requests, so a failure is reproduced by its seed and index. Routes come from the access
 * policy (every served route has a rule), so a new route is fuzzed without editing this file.
 */
import { accessPolicy } from '../../src/auth/access-policy.js';

/** mulberry32: a small, well-known seeded PRNG (deterministic, not for secrets). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface FuzzKeys {
  admin: string;
  agent: string;
  integration: string;
}

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
const encoder = new TextEncoder();

/** Values no route expects: wrong types, edge sizes, NUL and other control characters, odd Unicode, injection text. */
function nastyValue(random: () => number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const strings = [
    '',
    ' ',
    '\u0000',
    `a\u0000b`,
    '\u0001\u0002\u001b[31m\u007f',
    '\ud800',
    '\udfff\ud800',
    '👩‍👩‍👧‍👦🏳️‍🌈',
    'e\u0301\u0301\u0301\u0301',
    '\u202eevil\u202c',
    '\ufeff\u200b\u2028\u2029',
    '快递三天了还没到',
    '../../../../etc/passwd',
    '..%2f..%2f..%2fetc%2fpasswd',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '${7*7}{{7*7}}',
    '%00',
    '-1',
    '1e309',
    'NaN',
    'null',
    'true',
    '00000000-0000-4000-8000-000000000000',
    'x'.repeat(70_000),
    '退'.repeat(9_000),
  ];
  switch (Math.floor(random() * 12)) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick([0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31]);
    case 3:
      return [];
    case 4:
      return { nested: pick(strings) };
    case 5:
      return [pick(strings), 1, null];
    default:
      return pick(strings);
  }
}

/** Field names the routes read, so values reach validators and handlers, not only "unknown key". */
const fieldNames = [
  'text',
  'channel',
  'locale',
  'customer',
  'externalMessageId',
  'conversationId',
  'sentAt',
  'username',
  'password',
  'action',
  'version',
  'reason',
  'category',
  'assignee',
  'id',
  'name',
  'q',
  'limit',
  'status',
  'since',
  'subjectId',
  'file',
];

const validBodies: Record<string, () => Record<string, unknown>> = {
  'POST /v1/triage': () => ({ text: '快递三天了还没到', locale: 'zh-CN' }),
  'POST /v1/messages': () => ({
    channel: 'web-chat',
    externalMessageId: 'fz-1',
    conversationId: 'fz-c',
    customer: { id: 'c-1' },
    text: 'hello',
  }),
  'POST /v1/auth/login': () => ({ username: 'admin', password: 'wrong-password-000' }),
  'POST /v1/tickets/:id/actions': () => ({ action: 'reply', text: 'hi', version: 1 }),
};

function concretePath(template: string, random: () => number): string {
  const segment = () => {
    const choices = [
      '00000000-0000-4000-8000-000000000000',
      'not-a-uuid',
      '%00',
      '..%2F..%2Fetc%2Fpasswd',
      '%2e%2e',
      encodeURIComponent('退款'),
      '%E0%A4%A',
      '%ff%fe',
      'a'.repeat(2_000),
      '-1',
      '',
    ];
    return choices[Math.floor(random() * choices.length)]!;
  };
  return template
    .replace(/:[A-Za-z]+/g, segment)
    .replace(/\*$/, random() < 0.5 ? '../../package.json' : 'index.html');
}

/** encodeURIComponent that turns lone surrogates into U+FFFD instead of throwing. */
const encode = (text: string) =>
  encodeURIComponent(
    text.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    ),
  );

function queryString(random: () => number): string {
  const parts: string[] = [];
  const count = Math.floor(random() * 4);
  for (let index = 0; index < count; index++) {
    const name = fieldNames[Math.floor(random() * fieldNames.length)]!;
    const value = nastyValue(random);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    parts.push(
      `${random() < 0.1 ? '%00' : encode(name)}=${random() < 0.2 ? '%zz%' : encode(text ?? '').slice(0, 3000)}`,
    );
  }
  if (random() < 0.1) parts.push('limit=1&limit=2&limit=abc');
  return parts.length ? `?${parts.join('&')}` : '';
}

function jsonBody(route: string, random: () => number): string {
  const roll = random();
  if (roll < 0.15) {
    const broken = [
      '{',
      '{"text":',
      '{"text":"a"',
      '[1,2',
      'nul',
      '{"text":"\\ud800"}',
      '{"a":1,}',
      "{'text':'single'}",
      '\u0000',
      '{"text":"a"}garbage',
    ];
    return broken[Math.floor(random() * broken.length)]!;
  }
  if (roll < 0.2) return '['.repeat(5_000) + ']'.repeat(5_000); // deep nesting
  if (roll < 0.25) return JSON.stringify(nastyValue(random));
  const body: Record<string, unknown> = validBodies[route]?.() ?? {};
  const changes = 1 + Math.floor(random() * 3);
  for (let index = 0; index < changes; index++) {
    const name = fieldNames[Math.floor(random() * fieldNames.length)]!;
    if (random() < 0.15) delete body[name];
    else body[name] = nastyValue(random);
  }
  if (random() < 0.1) body['\u0000key'] = 1;
  if (
    body.customer &&
    typeof body.customer === 'object' &&
    !Array.isArray(body.customer) &&
    random() < 0.5
  ) {
    body.customer = { id: nastyValue(random), name: nastyValue(random) };
  }
  return JSON.stringify(body);
}

function multipartBody(random: () => number): { body: Uint8Array; contentType: string } {
  const boundary = `fuzz${Math.floor(random() * 1e9)}`;
  const names = [
    'faq.md',
    'policy.pdf',
    'x.exe',
    '../../escape.md',
    'a\u0000b.md',
    '退款.md',
    '',
    '.md',
    'a'.repeat(300) + '.md',
    'data.csv',
    'page.html',
    'doc.docx',
  ];
  const contents = [
    '# FAQ\n\n## 退款多久到账？\n\n3 到 5 个工作日。\n',
    '%PDF-1.4\n%broken',
    'PK\u0003\u0004garbage',
    '---\nfront: [unclosed\n---\n# x',
    'question,answer\n"unterminated,1\n',
    '<html><script>alert(1)</script>',
    '',
  ];
  const roll = random();
  if (roll < 0.1)
    return {
      body: encoder.encode('--nope\r\n\r\nbroken'),
      contentType: `multipart/form-data; boundary=${boundary}`,
    };
  if (roll < 0.15) return { body: encoder.encode('x'), contentType: 'multipart/form-data' };
  const field = random() < 0.8 ? 'file' : random() < 0.5 ? 'document' : '\u0000';
  const name = names[Math.floor(random() * names.length)]!;
  const content =
    random() < 0.2
      ? String.fromCharCode(...Array.from({ length: 64 }, () => Math.floor(random() * 256)))
      : contents[Math.floor(random() * contents.length)]!;
  const part = (fieldName: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${fieldName}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n`;
  const text =
    part(field) +
    (random() < 0.2 ? part(field) : '') +
    (random() < 0.9 ? `--${boundary}--\r\n` : '');
  return { body: encoder.encode(text), contentType: `multipart/form-data; boundary=${boundary}` };
}

function authHeaders(random: () => number, keys: FuzzKeys): Record<string, string> {
  const roll = random();
  if (roll < 0.55) return { authorization: `Bearer ${keys.admin}` };
  if (roll < 0.65) return { authorization: `Bearer ${keys.agent}` };
  if (roll < 0.75) return { 'x-api-key': keys.integration };
  if (roll < 0.85) return {};
  const bad = [
    'Bearer',
    'Bearer ',
    'Basic YWRtaW46YWRtaW4=',
    `Bearer ${'k'.repeat(5_000)}`,
    'Bearer \u00ff\u00fe',
    'bearer x',
    `Bearer ${keys.admin}x`,
  ];
  return random() < 0.7
    ? { authorization: bad[Math.floor(random() * bad.length)]! }
    : { cookie: `triage_session=${'%00'.repeat(10)}; x=${'y'.repeat(3000)}` };
}

/** The routes to fuzz: every rule of the access policy, plus paths nothing serves. */
export function fuzzRoutes(): string[] {
  return [
    ...Object.keys(accessPolicy),
    'GET /v1/nope',
    'POST /',
    'GET /v1',
    'GET /console/../package.json',
    'GET /docs/assets/../../package.json',
  ];
}

/** The request with this index for this seed (independent of the others, so a run can be resumed or replayed). */
export function fuzzRequest(
  seed: number,
  index: number,
  keys: FuzzKeys,
  routes: string[] = fuzzRoutes(),
): FuzzRequest {
  const random = seededRandom((seed * 0x9e3779b1 + index) >>> 0);
  const route = routes[Math.floor(random() * routes.length)]!;
  const [routeMethod, template] = route.split(' ') as [string, string];
  const headers: Record<string, string> = { ...authHeaders(random, keys) };
  let method = routeMethod;
  let path = concretePath(template, random);
  let body: Uint8Array | undefined;
  let kind: string;

  const roll = random();
  if (roll < 0.1) {
    kind = 'wrong-method';
    method = methods[Math.floor(random() * methods.length)]!;
  } else if (roll < 0.2) {
    kind = 'query';
    path += queryString(random);
  } else if (roll < 0.25) {
    kind = 'long-url';
    path += `?q=${'a'.repeat(4_000 + Math.floor(random() * 20_000))}`;
  } else if (roll < 0.32) {
    kind = 'bad-content-type';
    method = routeMethod === 'GET' ? 'POST' : routeMethod;
    headers['content-type'] = [
      'text/plain',
      'application/json; charset=utf-16',
      'application/xml',
      'multipart/form-data',
      'application/x-www-form-urlencoded',
      '',
      'application/json, text/html',
    ][Math.floor(random() * 7)]!;
    body = encoder.encode(random() < 0.5 ? 'text=%00&channel=a' : '{"text":"hi"}');
  } else if (roll < 0.38) {
    kind = 'random-bytes';
    method = routeMethod === 'GET' ? 'POST' : routeMethod;
    headers['content-type'] = random() < 0.5 ? 'application/json' : 'application/octet-stream';
    body = Uint8Array.from({ length: Math.floor(random() * 2_000) }, () =>
      Math.floor(random() * 256),
    );
  } else if (roll < 0.44) {
    kind = 'headers';
    const odd: Record<string, string>[] = [
      { 'x-request-id': 'r'.repeat(1_000) },
      { 'x-request-id': '../../\u00e9' },
      { 'x-forwarded-proto': 'https, http' },
      { 'x-forwarded-for': 'not-an-ip, ::1, 999.1.1.1' },
      { accept: 'text/html;q=0' },
      { 'accept-language': 'zh-CN;q=abc, *;q=' },
      { 'content-length': '0' },
      { 'x-api-key': '' },
      { origin: 'null' },
      { 'if-none-match': '*' },
    ];
    Object.assign(headers, odd[Math.floor(random() * odd.length)]!);
  } else if (route === 'POST /v1/kb/documents' || roll < 0.5) {
    kind = 'multipart';
    method =
      route === 'POST /v1/kb/documents' ? 'POST' : routeMethod === 'GET' ? 'POST' : routeMethod;
    const multipart = multipartBody(random);
    headers['content-type'] = multipart.contentType;
    body = multipart.body;
  } else {
    kind = 'json';
    method =
      routeMethod === 'GET' || routeMethod === 'DELETE'
        ? random() < 0.7
          ? routeMethod
          : 'POST'
        : routeMethod;
    if (method !== 'GET' && method !== 'DELETE' && method !== 'HEAD') {
      headers['content-type'] = 'application/json';
      body = encoder.encode(jsonBody(route, random));
    } else {
      path += queryString(random);
    }
  }
  if (method === 'GET' || method === 'HEAD') body = undefined;
  return { kind, method, path, headers, body };
}

/** Raw bytes for the socket-level part of the run: bad request lines, bad framing, junk. */
export function rawRequest(seed: number, index: number): Uint8Array {
  const random = seededRandom((seed * 0x85ebca6b + index) >>> 0);
  const lines = [
    'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    'GARBAGE\r\n\r\n',
    'GET /healthz HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n',
    `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    'POST /v1/triage HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'POST /v1/triage HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
    'POST /v1/triage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
    'GET /he\u0000althz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  ];
  if (random() < 0.3)
    return Uint8Array.from({ length: 1 + Math.floor(random() * 500) }, () =>
      Math.floor(random() * 256),
    );
  return encoder.encode(lines[Math.floor(random() * lines.length)]!);
}
