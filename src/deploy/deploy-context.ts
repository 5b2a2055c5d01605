/**
 * What the deployment lint (compose-lint.ts, dockerfile-lint.ts) checks the files against:
 * the repository's files, package.json, the routes the app serves and the example settings,
 * passed in so that a test can also hand the checks a broken case. Used by tests only.
 */
import { accessFor } from '../auth/access-policy.js';

export interface DeployContext {
  /** Whether a path relative to the repository root exists. */
  exists(path: string): boolean;
  packageJson: {
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
    engines?: { node?: string };
  };
  /** Every route the app serves, as `METHOD /path/:param`. */
  routes: ReadonlySet<string>;
  /** The variables of `.env.example`, which compose.yaml's `${VAR}` are read from. */
  envExample: Record<string, string>;
  /** `.dockerignore`'s patterns (parseDockerignore). */
  dockerignore: readonly RegExp[];
}

/** The script that `npm start`, `npm test` or `npm run <name>` runs, or a problem. */
export function npmScriptProblem(
  command: readonly string[],
  scripts: Record<string, string> = {},
): string | undefined {
  const [program, verb, name] = command;
  if (program !== 'npm') return `runs ${program}, not a package.json script through npm`;
  const script = verb === 'run' || verb === 'run-script' ? name : verb;
  if (!script) return 'runs npm without a script';
  if (
    !['start', 'test', 'stop', 'restart'].includes(script) &&
    verb !== 'run' &&
    verb !== 'run-script'
  )
    return `runs npm ${verb}, not a package.json script`;
  return scripts[script] === undefined
    ? `runs the npm script "${script}", which package.json does not have`
    : undefined;
}

export const healthcheckScript = 'bin/healthcheck.js';

/** The probe path of `node bin/healthcheck.js <path>`, or a problem. */
export function probePathOf(command: readonly string[]): { path?: string; problem?: string } {
  const [program, script, path] = command;
  if (program !== 'node' || script !== healthcheckScript || !path || command.length !== 3)
    return { problem: `runs ${JSON.stringify(command)}, not node ${healthcheckScript} <path>` };
  return { path };
}

/** Whether a probe path is a route the app serves to anyone (probes send no credentials). */
export function probeRouteProblem(path: string, context: DeployContext): string | undefined {
  if (!context.routes.has(`GET ${path}`)) return `probes ${path}, which the app does not serve`;
  if (accessFor('GET', path) !== 'public')
    return `probes ${path}, which needs credentials (a probe sends none; see access-policy.ts)`;
  return undefined;
}
