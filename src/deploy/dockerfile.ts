/**
 * Just enough of a Dockerfile reader for the deployment lint: instructions with their
 * continuation lines joined, exec-form arguments, and the `.dockerignore` patterns that decide
 * whether a COPY source is in the build context at all.
 */

export interface Instruction {
  /** Upper-case: FROM, COPY, RUN… */
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!pending && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    // Comment lines inside a continued instruction are dropped, as Docker does.
    if (pending && line.trimStart().startsWith('#')) return;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1) : line;
    pending = pending
      ? { text: `${pending.text} ${body.trim()}`, line: pending.line }
      : { text: body.trim(), line: index + 1 };
    if (continued) return;
    const match = /^(\S+)\s*(.*)$/.exec(pending.text)!;
    instructions.push({
      keyword: match[1]!.toUpperCase(),
      args: match[2]!.trim(),
      line: pending.line,
    });
    pending = undefined;
  });
  return instructions;
}

/** The JSON array of an exec-form CMD, ENTRYPOINT or HEALTHCHECK CMD, or undefined (shell form). */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/** `--flag=value` options at the start of the arguments, and what follows them. */
export function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (;;) {
    const match = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest);
    if (!match) return { flags, rest };
    flags[match[1]!] = match[2] ?? 'true';
    rest = rest.slice(match[0].length);
  }
}

/** Compiles one `.dockerignore` pattern (`*`, `**`, `?`; no `!` exceptions) to a RegExp. */
function ignorePattern(pattern: string): RegExp {
  const cleaned = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  let source = '';
  for (let index = 0; index < cleaned.length; index++) {
    const char = cleaned[index]!;
    if (char === '*' && cleaned[index + 1] === '*') {
      source += '.*';
      index++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A matched folder excludes everything in it.
  return new RegExp(`^${source}(/.*)?$`);
}

/** The patterns of a `.dockerignore` file; `!` exceptions are refused (the lint cannot judge them). */
export function parseDockerignore(text: string): RegExp[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      if (line.startsWith('!'))
        throw new Error(`.dockerignore: exceptions (${line}) are not supported by the lint`);
      return ignorePattern(line);
    });
}

/** Whether a path of the build context (relative, `./` allowed) is left out by the patterns. */
export function isIgnored(patterns: readonly RegExp[], path: string): boolean {
  const normalised = path.replace(/^\.\//, '').replace(/\/+$/, '');
  return patterns.some((pattern) => pattern.test(normalised));
}
