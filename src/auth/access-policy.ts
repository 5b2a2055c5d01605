/**
 * The one table of which roles may call which route. Deny by default: a route missing
 * here answers 403 to everyone, and a test fails for every app route not listed, so a
 * new route cannot ship without a decision about who may call it.
 */
import type { Role } from './roles.js';

export type Access = 'public' | readonly Role[];

const everyone: readonly Role[] = ['integration', 'agent', 'admin'];
const staff: readonly Role[] = ['agent', 'admin'];

/** `METHOD path` with `:param` segments and a trailing `*` for a prefix. */
export const accessPolicy: Record<string, Access> = {
  'GET /healthz': 'public',
  // Probes of orchestrators and load balancers, which send no credentials.
  'GET /livez': 'public',
  'GET /readyz': 'public',
  // Counts and backlogs are operational internals: a scraper sends an admin key as a bearer token.
  'GET /metrics': ['admin'],
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/assets/:file': 'public',
  'GET /console': 'public',
  'GET /console/*': 'public',
  // Channel callbacks and the widget: each adapter checks the platform's signature or the
  // widget's site key and origin itself (src/channels/<name>/).
  'GET /channels/*': 'public',
  'POST /channels/*': 'public',
  'OPTIONS /channels/*': 'public',
  'GET /widget.js': 'public',
  'POST /v1/auth/login': 'public',
  'POST /v1/auth/logout': 'public',
  'GET /v1/auth/me': everyone,
  'POST /v1/triage': everyone,
  'POST /v1/messages': ['integration', 'admin'],
  'GET /v1/conversations/:id': everyone,
  'GET /v1/kb/search': everyone,
  'GET /v1/kb/documents': staff,
  'POST /v1/kb/documents': ['admin'],
  'DELETE /v1/kb/documents/:id': ['admin'],
  'POST /v1/kb/documents/:id/approve': ['admin'],
  'POST /v1/kb/documents/:id/reject': ['admin'],
  // Knowledge base in the console: staff read and preview, admins change it (audited).
  'GET /v1/kb/documents/:id': staff,
  'PUT /v1/kb/documents/:id': ['admin'],
  'POST /v1/kb/documents/:id/restore': ['admin'],
  'POST /v1/kb/entries': ['admin'],
  'POST /v1/kb/preview': staff,
  'GET /v1/tickets': staff,
  'GET /v1/tickets/:id': staff,
  'POST /v1/tickets/:id/actions': staff,
  'GET /v1/stats/agent-actions': staff,
  'GET /v1/stats/kpis': staff,
  'GET /v1/feedback/export': ['admin'],
  'GET /v1/audit': ['admin'],
  // Surge alerts: agents see them, acknowledge, resolve and answer the grouped tickets.
  'GET /v1/alerts': staff,
  'GET /v1/alerts/:id': staff,
  'POST /v1/alerts/:id/acknowledge': staff,
  'POST /v1/alerts/:id/resolve': staff,
  'POST /v1/alerts/:id/reply': staff,
  // Approved answers: agents see what their replies proposed; admins decide what the bot sends.
  'GET /v1/approved-answers': staff,
  'PUT /v1/approved-answers/:id': ['admin'],
  'POST /v1/approved-answers/:id/approve': ['admin'],
  'POST /v1/approved-answers/:id/reject': ['admin'],
  // Teams and the escalation path; each person's own notifications (escalations).
  'GET /v1/teams': staff,
  'GET /v1/notifications': staff,
  'POST /v1/notifications/:id/read': staff,
  // A customer's data on request (export, erase): personal data in bulk, admins only.
  'GET /v1/customers/:id/export': ['admin'],
  'DELETE /v1/customers/:id': ['admin'],
  // Who may get in: keys and console users.
  'GET /v1/keys': ['admin'],
  'POST /v1/keys': ['admin'],
  'DELETE /v1/keys/:id': ['admin'],
  'GET /v1/users': ['admin'],
  'POST /v1/users/:username/disable': ['admin'],
  'POST /v1/users/:username/enable': ['admin'],
};

interface CompiledRule {
  method: string;
  pattern: RegExp;
  access: Access;
  key: string;
}

function compile(key: string, access: Access): CompiledRule {
  const [method, path] = key.split(' ') as [string, string];
  const source = path
    .split('/')
    .map((segment) =>
      segment === '*'
        ? '.*'
        : segment.startsWith(':')
          ? '[^/]+'
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return { method, pattern: new RegExp(`^${source}/?$`), access, key };
}

const compiled = Object.entries(accessPolicy).map(([key, access]) => compile(key, access));

/** The rule for a request, or undefined (denied). HEAD is answered like GET. */
export function accessFor(method: string, path: string): Access | undefined {
  const verb = method === 'HEAD' ? 'GET' : method;
  return compiled.find((rule) => rule.method === verb && rule.pattern.test(path))?.access;
}
