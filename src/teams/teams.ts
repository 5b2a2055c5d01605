/**
 * The desk's teams and escalation path (knowledge-base/teams.yaml): which team takes which
 * categories, languages and channels, its members (console usernames, optionally with their
 * own languages and categories) and lead, the duty managers, and at which share of an SLA
 * window a ticket moves one step up the path. Loaded and checked against the taxonomy at start.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Taxonomy } from '../triage/taxonomy.js';
import { type UrgencyLevel, urgencyLevels } from '../triage/urgency-levels.js';

const username = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\s,]+$/, 'a console username has no spaces or commas');
const key = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'use lower-case keys (a-z, 0-9, _ and -)');
const localised = z.union([z.string().min(1), z.object({ zh: z.string(), en: z.string() })]);

/** What a team (or a member within it) takes; an absent or empty list takes every value. */
const skillsSchema = z
  .object({
    categories: z.array(z.string()).default([]),
    languages: z.array(z.string().min(2).max(16)).default([]),
    channels: z.array(z.string().min(1).max(64)).default([]),
  })
  .strict();

const memberSchema = z.union([
  username.transform((name) => ({ username: name, languages: [], categories: [] })),
  z
    .object({
      username,
      languages: z.array(z.string().min(2).max(16)).default([]),
      categories: z.array(z.string()).default([]),
    })
    .strict(),
]);
export type TeamMember = z.output<typeof memberSchema>;

/** `75%` or `1.5`: the share of a clock's window, in working time, at which a step is reached. */
const shareSchema = z.union([z.number(), z.string()]).transform((value, context) => {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(value.trim());
  if (!match) {
    context.addIssue({
      code: 'custom',
      message: 'write a share of the SLA window as 75% (or 0.75)',
    });
    return z.NEVER;
  }
  return Number(match[1]) / 100;
});

/** Who a step tells: the ticket's assignee, its team's lead, every member, the duty managers. */
export const escalationRoles = ['assignee', 'lead', 'team', 'duty_manager'] as const;
export type EscalationRole = (typeof escalationRoles)[number];

const stepSchema = z
  .object({
    level: z.number().int().min(1).max(9),
    name: localised,
    at: shareSchema.pipe(z.number().gt(0).max(10, 'at most 1000% of the window')),
    /** The ticket's urgency is raised to at least this level (never lowered). */
    urgency: z.enum(urgencyLevels),
    notify: z.array(z.enum(escalationRoles)).min(1),
  })
  .strict();
export type EscalationStep = z.output<typeof stepSchema>;

const pathSchema = z
  .array(stepSchema)
  .min(1)
  .superRefine((steps, context) => {
    steps.forEach((step, index) => {
      if (step.level !== index + 1)
        context.addIssue({
          code: 'custom',
          path: [index, 'level'],
          message: `levels count up from 1 (expected ${index + 1})`,
        });
      const before = steps[index - 1];
      if (before && step.at <= before.at)
        context.addIssue({
          code: 'custom',
          path: [index, 'at'],
          message: 'each step comes later in the window than the one before',
        });
      if (before && urgencyLevels.indexOf(step.urgency) < urgencyLevels.indexOf(before.urgency))
        context.addIssue({
          code: 'custom',
          path: [index, 'urgency'],
          message: 'a later step may not ask for less urgency',
        });
    });
  });
export type EscalationPath = z.output<typeof pathSchema>;

const teamSchema = z
  .object({
    key,
    name: localised,
    lead: username,
    members: z.array(memberSchema).min(1),
    takes: skillsSchema.default({ categories: [], languages: [], channels: [] }),
    /** A team's own path (a complaints desk that escalates earlier); default: the file's. */
    escalation: pathSchema.optional(),
  })
  .strict();
export type Team = z.output<typeof teamSchema>;

export const teamsFileSchema = z
  .object({
    /** `least_open`: a new ticket goes to the member with the fewest open tickets; `none`: to nobody. */
    assignment: z.enum(['least_open', 'none']).default('none'),
    dutyManagers: z.array(username).default([]),
    /** The team of a ticket no team takes; absent: such a ticket has no team. */
    fallbackTeam: key.optional(),
    escalation: pathSchema,
    teams: z.array(teamSchema).default([]),
  })
  .strict()
  .superRefine((file, context) => {
    const keys = new Set<string>();
    file.teams.forEach((team, index) => {
      if (keys.has(team.key))
        context.addIssue({
          code: 'custom',
          path: ['teams', index, 'key'],
          message: `duplicate team ${team.key}`,
        });
      keys.add(team.key);
    });
    if (file.fallbackTeam && !keys.has(file.fallbackTeam))
      context.addIssue({
        code: 'custom',
        path: ['fallbackTeam'],
        message: `no team ${file.fallbackTeam}`,
      });
    const paths = [file.escalation, ...file.teams.map((team) => team.escalation ?? [])];
    if (
      file.dutyManagers.length === 0 &&
      paths.flat().some((step) => step.notify.includes('duty_manager'))
    )
      context.addIssue({
        code: 'custom',
        path: ['dutyManagers'],
        message: 'a step notifies duty_manager: name at least one',
      });
  });
export type TeamsConfig = z.output<typeof teamsFileSchema>;

/**
 * Without the file: no teams, nobody assigned, and a ticket is still raised as its due time
 * nears and passes, its assignee told.
 */
export const noTeams: TeamsConfig = teamsFileSchema.parse({
  escalation: [
    { level: 1, name: 'nearing due', at: '75%', urgency: 'high', notify: ['assignee'] },
    { level: 2, name: 'overdue', at: '100%', urgency: 'critical', notify: ['assignee'] },
  ],
});

export class TeamsError extends Error {
  override name = 'TeamsError';
}

/** Category keys the taxonomy does not know: a typo would silently route nothing. */
function unknownCategories(config: TeamsConfig, taxonomy: Taxonomy): string[] {
  const known = new Set(taxonomy.categories.map((category) => category.key));
  const named = config.teams.flatMap((team) => [
    ...team.takes.categories,
    ...team.members.flatMap((member) => member.categories),
  ]);
  return [...new Set(named.filter((category) => !known.has(category)))];
}

export function parseTeams(source: string, taxonomy: Taxonomy, origin = 'teams.yaml'): TeamsConfig {
  const parsed = teamsFileSchema.safeParse(parse(source));
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`)
      .join('; ');
    throw new TeamsError(`${origin} is invalid: ${issues}`);
  }
  const unknown = unknownCategories(parsed.data, taxonomy);
  if (unknown.length)
    throw new TeamsError(
      `${origin} is invalid: categories not in taxonomy.yaml: ${unknown.join(', ')}`,
    );
  return parsed.data;
}

export async function loadTeams(path: string, taxonomy: Taxonomy): Promise<TeamsConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return noTeams;
    throw error;
  }
  return parseTeams(text, taxonomy, path);
}

/** The path a ticket of this team walks. */
export function escalationPathOf(config: TeamsConfig, teamKey: string | null): EscalationPath {
  const team = config.teams.find((candidate) => candidate.key === teamKey);
  return team?.escalation ?? config.escalation;
}

export const urgencyRank = (level: string): number => urgencyLevels.indexOf(level as UrgencyLevel);
