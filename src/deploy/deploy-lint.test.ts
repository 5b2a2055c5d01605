/**
 * The deployment lint: Docker cannot build or run on the machines that test this repository,
 * so compose.yaml and the Dockerfile are checked here against the app itself (its configuration
 * schema, its routes and access policy, package.json, the files in the repository). Each check
 * is also shown a broken copy, so a check that passes everything would fail here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/env.js';
import { createApp } from '../http/app.js';
import type { AppServices } from '../http/services.js';
import { servedRoutes } from '../testing/access-sweep.js';
import { lintCompose } from './compose-lint.js';
import type { DeployContext } from './deploy-context.js';
import { parseDockerignore } from './dockerfile.js';
import { lintDockerfile } from './dockerfile-lint.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** A service that does nothing: registering routes only needs the services to exist. */
const inert: unknown = new Proxy(function inert() {}, {
  get: (_, key) => (key === 'then' ? undefined : inert),
  apply: () => inert,
});

function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

// The real configuration (route files read limits from it when they register), inert services.
const config = parseConfig({ DATA_DIR: 'memory://' });
const app = createApp(
  new Proxy({} as AppServices, { get: (_, key) => (key === 'config' ? config : inert) }),
);
const context: DeployContext = {
  exists: (path) => existsSync(join(root, path)),
  packageJson: JSON.parse(read('package.json')) as DeployContext['packageJson'],
  routes: new Set(servedRoutes(app).map(({ method, path }) => `${method} ${path}`)),
  envExample: parseEnvFile(read('.env.example')),
  dockerignore: parseDockerignore(read('.dockerignore')),
};
// Compose reads YAML 1.1 merge keys (`<<: *anchor`).
const parseCompose = (text: string): unknown => parse(text, { merge: true });
const compose = () => parseCompose(read('compose.yaml')) as { services: Record<string, any> };
const dockerfile = read('Dockerfile');

describe('compose.yaml', () => {
  it('passes the lint', () => {
    expect(lintCompose(compose(), context)).toEqual([]);
  });

  it('runs two app instances on the pgvector database, after a one-shot migration', () => {
    const { services } = compose();
    expect(services.db.image).toMatch(/^pgvector\/pgvector:pg1[67]$/);
    expect(services.migrate.command).toEqual(['npm', 'run', 'migrate']);
    for (const name of ['app-1', 'app-2']) {
      expect(services[name].depends_on).toMatchObject({
        db: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
      expect(services[name].healthcheck.test).toEqual([
        'CMD',
        'node',
        'bin/healthcheck.js',
        '/readyz',
      ]);
    }
  });

  const broken: [string, (file: { services: Record<string, any> }) => void, RegExp][] = [
    [
      'a misspelt key',
      (file) => (file.services['app-1'].healtcheck = {}),
      /app-1: Unrecognized key: "healtcheck"/,
    ],
    [
      'a dependency on no service',
      (file) => (file.services['app-2'].depends_on.cache = { condition: 'service_started' }),
      /app-2\.depends_on: no service cache/,
    ],
    [
      'waiting for health that is never reported',
      (file) => (file.services.db.healthcheck = { disable: true }),
      /depends_on\.db: service_healthy, but db has no health check/,
    ],
    [
      'a long-running service without a health check',
      (file) => delete file.services['app-2'].healthcheck,
      /app-2: no health check/,
    ],
    [
      'waiting for a server to complete',
      (file) => (file.services.migrate.restart = 'unless-stopped'),
      /migrate is not one-shot/,
    ],
    [
      'a setting the app does not read',
      (file) => (file.services['app-1'].environment.DATABSE_URL = 'x'),
      /app-1\.environment\.DATABSE_URL: not a setting of the app/,
    ],
    [
      'a value the app refuses',
      (file) => (file.services['app-1'].environment.ADMIN_PASSWORD = 'short'),
      /app-1\.environment: Invalid configuration\. Set ADMIN_PASSWORD/,
    ],
    [
      'a database URL to another host',
      (file) =>
        (file.services['app-1'].environment.DATABASE_URL = 'postgres://u:p@elsewhere:5432/db'),
      /host elsewhere is not a service/,
    ],
    [
      'a database without pgvector',
      (file) => (file.services.db.image = 'postgres:17'),
      /db is not a pgvector\/pgvector image/,
    ],
    [
      'one host port twice',
      (file) => (file.services['app-2'].ports = ['3001:3000']),
      /host port 3001 is already published by app-1/,
    ],
    [
      'a port the app does not listen on',
      (file) => (file.services['app-1'].ports = ['3001:8080']),
      /publishes 8080, the app listens on PORT 3000/,
    ],
    [
      'a probe of a route that needs a key',
      (file) =>
        (file.services['app-1'].healthcheck.test = [
          'CMD',
          'node',
          'bin/healthcheck.js',
          '/metrics',
        ]),
      /probes \/metrics, which needs credentials/,
    ],
    [
      'a probe of a route that does not exist',
      (file) =>
        (file.services['app-1'].healthcheck.test = [
          'CMD',
          'node',
          'bin/healthcheck.js',
          '/health',
        ]),
      /probes \/health, which the app does not serve/,
    ],
    [
      'a script package.json lacks',
      (file) => (file.services.migrate.command = ['npm', 'run', 'migrations']),
      /migrate\.command: runs the npm script "migrations"/,
    ],
    [
      'a build folder that does not exist',
      (file) => (file.services['app-1'].build = './service'),
      /app-1\.build: no folder \.\/service/,
    ],
    [
      'an undeclared volume',
      (file) => (file.services.db.volumes = ['pg-data:/var/lib/postgresql/data']),
      /db\.volumes: pg-data is not declared/,
    ],
    ['an unpinned image', (file) => (file.services.db.image = 'pgvector/pgvector'), /names no tag/],
    [
      'a variable .env.example lacks',
      (file) => (file.services['app-1'].environment.WEBHOOK_SECRET = '${WEBHOOK_SECRET:?set it}'),
      /\$\{WEBHOOK_SECRET\} is not set in \.env\.example/,
    ],
  ];
  it.each(broken)('reports %s', (_, breakIt, expected) => {
    const file = compose();
    breakIt(file);
    const problems = lintCompose(file, context);
    expect(problems.join('\n')).toMatch(expected);
  });

  it('reports a value in .env.example that compose.yaml does not use', () => {
    const problems = lintCompose(compose(), {
      ...context,
      envExample: { ...context.envExample, REDIS_URL: 'x' },
    });
    expect(problems).toEqual(['.env.example: REDIS_URL is not used by compose.yaml']);
  });
});

describe('Dockerfile', () => {
  it('passes the lint', () => {
    expect(lintDockerfile(dockerfile, context)).toEqual([]);
  });

  const broken: [string, string, string, RegExp][] = [
    [
      'a Node that package.json refuses',
      'FROM node:20-bookworm-slim',
      'FROM node:18-bookworm-slim',
      /Node 18 is outside package.json engines/,
    ],
    [
      'a COPY of a missing folder',
      'COPY prompts ./prompts',
      'COPY templates ./templates',
      /COPY templates: no such file/,
    ],
    [
      'a COPY of a folder .dockerignore leaves out',
      'COPY prompts ./prompts',
      'COPY evals ./evals',
      /COPY evals: left out of the build context/,
    ],
    ['running as root', 'USER node', 'USER root', /must not run as root/],
    [
      'a data folder that is not a volume',
      'VOLUME ["/app/data"]',
      'VOLUME ["/var/data"]',
      /data folder \/app\/data is not a volume/,
    ],
    [
      'an EXPOSE the app does not listen on',
      'EXPOSE 3000',
      'EXPOSE 8080',
      /listens on 3000, which is not exposed/,
    ],
    [
      'a health check of a route that needs a key',
      '"bin/healthcheck.js", "/livez"',
      '"bin/healthcheck.js", "/metrics"',
      /HEALTHCHECK: probes \/metrics, which needs credentials/,
    ],
    [
      'a health check in shell form',
      'CMD ["node", "bin/healthcheck.js", "/livez"]',
      'CMD node bin/healthcheck.js /livez',
      /HEALTHCHECK: use the exec form/,
    ],
    [
      'a CMD of a missing script',
      'CMD ["npm", "start"]',
      'CMD ["npm", "run", "serve"]',
      /CMD: runs the npm script "serve", which package.json does not have/,
    ],
    [
      'a CMD in shell form',
      'CMD ["npm", "start"]',
      'CMD npm start',
      /CMD: missing, or not the exec form/,
    ],
  ];
  it.each(broken)('reports %s', (_, from, to, expected) => {
    expect(dockerfile).toContain(from);
    const problems = lintDockerfile(dockerfile.replace(from, to), context);
    expect(problems.join('\n')).toMatch(expected);
  });

  it('reports --omit=dev when the runner is only a dev dependency', () => {
    const { tsx, ...dependencies } = context.packageJson.dependencies ?? {};
    expect(tsx).toBeDefined();
    const problems = lintDockerfile(dockerfile, {
      ...context,
      packageJson: { ...context.packageJson, dependencies },
    });
    expect(problems).toEqual([
      'RUN npm ci --omit=dev: tsx, which runs the app, is not a runtime dependency',
    ]);
  });
});
