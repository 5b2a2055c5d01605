/**
 * Checks the Dockerfile where `docker build` or the container would fail or misbehave, since
 * Docker cannot run on the machines that test this repository: a Node base image package.json
 * accepts, COPY sources that exist and are not left out by .dockerignore, runtime dependencies
 * enough for `npm ci --omit=dev`, a non-root user, the data folder as a volume, EXPOSE matching
 * PORT, a HEALTHCHECK probing a public route, and a CMD that runs a package.json script.
 * Returns one line per problem; none means the file passes.
 */
import semver from 'semver';
import { envSchema } from '../config/env.js';
import {
  type DeployContext,
  healthcheckScript,
  npmScriptProblem,
  probePathOf,
  probeRouteProblem,
} from './deploy-context.js';
import {
  execForm,
  type Instruction,
  isIgnored,
  parseDockerfile,
  splitFlags,
} from './dockerfile.js';

/** `KEY=value KEY2=value2` of an ENV instruction (values without spaces or quotes). */
function envValues(args: string): Record<string, string> {
  return Object.fromEntries(
    args
      .split(/\s+/)
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

function checkBase(instructions: Instruction[], context: DeployContext, problems: string[]) {
  const from = instructions.find((instruction) => instruction.keyword === 'FROM');
  if (!from || instructions[0] !== from) {
    problems.push('Dockerfile: must start with FROM');
    return;
  }
  const major = /^node:(\d+)[\w.-]*$/.exec(from.args)?.[1];
  const engines = context.packageJson.engines?.node;
  if (!major) problems.push(`FROM ${from.args}: not a node:<major> image`);
  else if (engines && !semver.intersects(`${major}.x`, engines))
    problems.push(`FROM ${from.args}: Node ${major} is outside package.json engines (${engines})`);
}

function checkCopies(instructions: Instruction[], context: DeployContext, problems: string[]) {
  for (const instruction of instructions.filter(
    ({ keyword }) => keyword === 'COPY' || keyword === 'ADD',
  )) {
    const { flags, rest } = splitFlags(instruction.args);
    if (flags.from) continue;
    const parts = execForm(rest) ?? rest.split(/\s+/);
    for (const source of parts.slice(0, -1)) {
      if (!context.exists(source))
        problems.push(`line ${instruction.line}: COPY ${source}: no such file in the repository`);
      else if (isIgnored(context.dockerignore, source))
        problems.push(
          `line ${instruction.line}: COPY ${source}: left out of the build context by .dockerignore`,
        );
    }
  }
  const runs = instructions.filter(({ keyword }) => keyword === 'RUN').map(({ args }) => args);
  // bin/triage.js loads the TypeScript through tsx at run time.
  if (
    runs.some((run) => /npm (ci|install)\b.*--omit=dev/.test(run)) &&
    !context.packageJson.dependencies?.tsx
  )
    problems.push('RUN npm ci --omit=dev: tsx, which runs the app, is not a runtime dependency');
}

function checkRuntime(instructions: Instruction[], context: DeployContext, problems: string[]) {
  const env = Object.assign(
    {},
    ...instructions.filter(({ keyword }) => keyword === 'ENV').map(({ args }) => envValues(args)),
  ) as Record<string, string>;
  const users = instructions.filter(({ keyword }) => keyword === 'USER').map(({ args }) => args);
  const user = users.at(-1);
  if (!user || user === 'root' || user === '0' || user.startsWith('0:'))
    problems.push('USER: the service must not run as root');
  const dataDir = env.DATA_DIR;
  const volumes = instructions
    .filter(({ keyword }) => keyword === 'VOLUME')
    .flatMap(({ args }) => execForm(args) ?? args.split(/\s+/));
  if (!dataDir) problems.push('ENV DATA_DIR: not set (the data folder must be a known path)');
  else if (!volumes.includes(dataDir))
    problems.push(`VOLUME: the data folder ${dataDir} is not a volume`);
  const port = Number(env.PORT ?? envSchema.shape.PORT.parse(undefined));
  const exposed = instructions
    .filter(({ keyword }) => keyword === 'EXPOSE')
    .flatMap(({ args }) => args.split(/\s+/))
    .map((value) => Number(value.split('/')[0]));
  if (!exposed.includes(port))
    problems.push(`EXPOSE: the app listens on ${port}, which is not exposed`);

  const healthchecks = instructions.filter(({ keyword }) => keyword === 'HEALTHCHECK');
  const healthcheck = healthchecks.at(-1);
  if (!healthcheck) problems.push('HEALTHCHECK: missing');
  else {
    const command = splitFlags(healthcheck.args).rest;
    const form = command.startsWith('CMD ') ? execForm(command.slice(4).trim()) : undefined;
    const copied = instructions
      .filter(({ keyword }) => keyword === 'COPY')
      .flatMap(({ args }) => splitFlags(args).rest.split(/\s+/).slice(0, -1));
    if (
      !copied.some((source) =>
        ['.', 'bin', healthcheckScript].includes(source.replace(/^\.\/|\/$/g, '')),
      )
    )
      problems.push(`HEALTHCHECK: ${healthcheckScript} is not copied into the image`);
    if (!form)
      problems.push(
        `HEALTHCHECK: use the exec form CMD ["node", "${healthcheckScript}", "/livez"]`,
      );
    else {
      const { path, problem } = probePathOf(form);
      const routeProblem = path === undefined ? problem : probeRouteProblem(path, context);
      if (routeProblem) problems.push(`HEALTHCHECK: ${routeProblem}`);
    }
  }

  if (instructions.some(({ keyword }) => keyword === 'ENTRYPOINT'))
    problems.push('ENTRYPOINT: not expected (CMD runs an npm script)');
  const cmd = instructions.filter(({ keyword }) => keyword === 'CMD').at(-1);
  const form = cmd && execForm(cmd.args);
  if (!form)
    problems.push(
      'CMD: missing, or not the exec form ["npm", "start"] (the shell form would not pass on SIGTERM)',
    );
  else {
    const problem = npmScriptProblem(form, context.packageJson.scripts);
    if (problem) problems.push(`CMD: ${problem}`);
  }
}

export function lintDockerfile(text: string, context: DeployContext): string[] {
  const instructions = parseDockerfile(text);
  const problems: string[] = [];
  checkBase(instructions, context, problems);
  checkCopies(instructions, context, problems);
  checkRuntime(instructions, context, problems);
  return problems;
}
