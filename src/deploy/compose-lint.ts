/**
 * Checks compose.yaml where `docker compose up` would fail late or run something wrong, since
 * Docker cannot run on the machines that test this repository: the schema of the fields used,
 * `${VAR}` read from `.env.example`, images and build contexts, dependencies and their
 * conditions, health checks probing public routes, the app's environment parsed by the app's
 * own configuration schema, the database URL pointing at the pgvector service, unique ports.
 * Returns one line per problem; none means the file passes.
 */
import { channelModules } from '../channels/registry.js';
import { envSchema, parseConfig } from '../config/env.js';
import {
  type ComposeFile,
  type ComposeService,
  composeFileSchema,
  withoutExtensions,
} from './compose-schema.js';
import {
  type DeployContext,
  healthcheckScript,
  npmScriptProblem,
  probePathOf,
  probeRouteProblem,
} from './deploy-context.js';

const variable =
  /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Replaces `${VAR}`, `${VAR:?message}`, `${VAR:-default}` and `$VAR` as compose does (`$$` is `$`). */
function interpolate(
  value: unknown,
  variables: Record<string, string>,
  used: Set<string>,
  problems: string[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(
      variable,
      (whole, braced?: string, operator?: string, argument?: string, bare?: string) => {
        if (whole === '$$') return '$';
        const name = (braced ?? bare)!;
        used.add(name);
        const found = variables[name];
        if (found !== undefined && !(operator?.startsWith(':') && found === '')) return found;
        if (operator?.endsWith('-')) return argument ?? '';
        problems.push(`\${${name}} is not set in .env.example`);
        return '';
      },
    );
  }
  if (Array.isArray(value))
    return value.map((item) => interpolate(item, variables, used, problems));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolate(item, variables, used, problems),
      ]),
    );
  return value;
}

/** A service that runs this repository's image (built from its Dockerfile). */
function isAppService(service: ComposeService, file: ComposeFile): boolean {
  if (service.build !== undefined) return true;
  return Object.values(file.services).some(
    (other) =>
      other.build !== undefined && other.image !== undefined && other.image === service.image,
  );
}

const isOneShot = (service: ComposeService) => service.restart === 'no';
const isDisabled = (service: ComposeService) =>
  service.healthcheck !== undefined && 'disable' in service.healthcheck;

function checkImage(
  name: string,
  service: ComposeService,
  context: DeployContext,
  problems: string[],
) {
  if (service.build === undefined && service.image === undefined)
    problems.push(`services.${name}: neither image nor build`);
  if (service.build !== undefined) {
    const build = typeof service.build === 'string' ? { context: service.build } : service.build;
    const dockerfile = `${build.context.replace(/\/+$/, '')}/${build.dockerfile ?? 'Dockerfile'}`;
    if (!context.exists(build.context))
      problems.push(`services.${name}.build: no folder ${build.context}`);
    else if (!context.exists(dockerfile)) problems.push(`services.${name}.build: no ${dockerfile}`);
  } else if (service.image !== undefined && !/^[\w./-]+:[\w.-]+$/.test(service.image)) {
    problems.push(`services.${name}.image: ${service.image} names no tag (pin one)`);
  } else if (service.image?.endsWith(':latest')) {
    problems.push(`services.${name}.image: ${service.image} is not pinned (latest)`);
  }
}

function checkDependencies(
  name: string,
  service: ComposeService,
  file: ComposeFile,
  problems: string[],
) {
  for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
    const other = file.services[target];
    if (!other) {
      problems.push(`services.${name}.depends_on: no service ${target}`);
      continue;
    }
    if (condition === 'service_healthy' && (other.healthcheck === undefined || isDisabled(other)))
      problems.push(
        `services.${name}.depends_on.${target}: service_healthy, but ${target} has no health check`,
      );
    if (condition === 'service_completed_successfully' && !isOneShot(other))
      problems.push(
        `services.${name}.depends_on.${target}: service_completed_successfully, but ${target} is not one-shot (restart: "no")`,
      );
  }
}

function checkHealthcheck(
  name: string,
  service: ComposeService,
  app: boolean,
  context: DeployContext,
  problems: string[],
) {
  if (isOneShot(service)) return;
  if (service.healthcheck === undefined || isDisabled(service)) {
    problems.push(`services.${name}: no health check (a long-running service needs one)`);
    return;
  }
  if (!app || 'disable' in service.healthcheck) return;
  const test = service.healthcheck.test;
  if (test[0] !== 'CMD') {
    problems.push(
      `services.${name}.healthcheck: use the exec form ["CMD", "node", "${healthcheckScript}", "/readyz"]`,
    );
    return;
  }
  const { path, problem } = probePathOf(test.slice(1));
  const routeProblem = path === undefined ? problem : probeRouteProblem(path, context);
  if (routeProblem) problems.push(`services.${name}.healthcheck: ${routeProblem}`);
  if (!context.exists(healthcheckScript))
    problems.push(`services.${name}.healthcheck: no ${healthcheckScript}`);
}

// The service's own settings and every channel's (each channel reads its own from the environment).
const knownVariables = new Set([
  ...Object.keys(envSchema.shape),
  ...channelModules.flatMap((module) => Object.keys(module.env.shape)),
]);

function checkAppEnvironment(
  name: string,
  service: ComposeService,
  file: ComposeFile,
  problems: string[],
) {
  const environment = Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value)]),
  );
  for (const key of Object.keys(environment))
    if (!knownVariables.has(key))
      problems.push(
        `services.${name}.environment.${key}: not a setting of the app (src/config/env.ts)`,
      );
  try {
    const config = parseConfig(environment);
    if (config.HOST !== '0.0.0.0')
      problems.push(
        `services.${name}.environment.HOST: the health check calls 127.0.0.1; listen on 0.0.0.0`,
      );
    for (const port of service.ports ?? []) {
      const inside = Number(port.split(':')[1]);
      if (inside !== config.PORT)
        problems.push(
          `services.${name}.ports: ${port} publishes ${inside}, the app listens on PORT ${config.PORT}`,
        );
    }
    if (!config.DATABASE_URL) {
      problems.push(
        `services.${name}.environment: no DATABASE_URL (instances would each keep an embedded database)`,
      );
    } else {
      const host = new URL(config.DATABASE_URL).hostname;
      const database = file.services[host];
      if (!database)
        problems.push(`services.${name}.environment.DATABASE_URL: host ${host} is not a service`);
      else if (!database.image?.startsWith('pgvector/pgvector:'))
        problems.push(
          `services.${name}.environment.DATABASE_URL: ${host} is not a pgvector/pgvector image (the migrations need the vector extension)`,
        );
      if (database && service.depends_on?.[host]?.condition !== 'service_healthy')
        problems.push(
          `services.${name}.depends_on: must wait for ${host} (condition: service_healthy)`,
        );
    }
  } catch (error) {
    problems.push(
      `services.${name}.environment: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function lintCompose(parsed: unknown, context: DeployContext): string[] {
  const problems: string[] = [];
  const used = new Set<string>();
  const interpolated = interpolate(withoutExtensions(parsed), context.envExample, used, problems);
  for (const name of Object.keys(context.envExample))
    if (!used.has(name)) problems.push(`.env.example: ${name} is not used by compose.yaml`);
  const result = composeFileSchema.safeParse(interpolated);
  if (!result.success) {
    for (const issue of result.error.issues)
      problems.push(`${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    return problems;
  }
  const file = result.data;
  const published = new Map<string, string>();
  for (const [name, service] of Object.entries(file.services)) {
    const app = isAppService(service, file);
    checkImage(name, service, context, problems);
    checkDependencies(name, service, file, problems);
    checkHealthcheck(name, service, app, context, problems);
    if (app) checkAppEnvironment(name, service, file, problems);
    if (app && service.command) {
      const problem = npmScriptProblem(service.command, context.packageJson.scripts);
      if (problem) problems.push(`services.${name}.command: ${problem}`);
    }
    for (const port of service.ports ?? []) {
      const host = port.split(':')[0]!;
      const owner = published.get(host);
      if (owner)
        problems.push(`services.${name}.ports: host port ${host} is already published by ${owner}`);
      published.set(host, name);
    }
    for (const volume of service.volumes ?? []) {
      const source = volume.split(':')[0]!;
      if (!source.startsWith('.') && !source.startsWith('/') && !(source in (file.volumes ?? {})))
        problems.push(`services.${name}.volumes: ${source} is not declared under volumes`);
    }
  }
  return problems;
}
