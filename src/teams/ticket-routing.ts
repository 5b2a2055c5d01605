/**
 * Skills-based routing of a new ticket: the team that takes its category, language and channel
 * (the most specific match wins, then the file's order; the fallback team otherwise) and, when
 * the file asks for it, the member with those skills who has the fewest open tickets.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Team, TeamMember, TeamsConfig } from './teams.js';
import { assignableOpenCounts, setTicketRouting } from './team.repository.js';

export interface RoutingInput {
  category: string | null;
  language: string | null;
  channel: string;
}

export interface TicketRouting {
  team: string | null;
  assignee: string | null;
}

/** How many of the team's stated skills the ticket matched; undefined when it does not fit. */
function specificity(team: Team, input: RoutingInput): number | undefined {
  let matched = 0;
  const dimensions: [string[], string | null][] = [
    [team.takes.categories, input.category],
    [team.takes.languages, input.language],
    [team.takes.channels, input.channel],
  ];
  for (const [accepted, value] of dimensions) {
    if (accepted.length === 0) continue;
    if (value === null || !accepted.includes(value)) return undefined;
    matched++;
  }
  return matched;
}

/** The team a ticket belongs to, or undefined when none takes it and there is no fallback. */
export function teamFor(config: TeamsConfig, input: RoutingInput): Team | undefined {
  let best: { team: Team; score: number } | undefined;
  for (const team of config.teams) {
    const score = specificity(team, input);
    if (score !== undefined && (!best || score > best.score)) best = { team, score };
  }
  return best?.team ?? config.teams.find((team) => team.key === config.fallbackTeam);
}

/** Members who may take the ticket: their own languages and categories, when they list any. */
export function membersWithSkills(team: Team, input: RoutingInput): TeamMember[] {
  const fits = (accepted: string[], value: string | null) =>
    accepted.length === 0 || (value !== null && accepted.includes(value));
  return team.members.filter(
    (member) => fits(member.languages, input.language) && fits(member.categories, input.category),
  );
}

/**
 * The member with the fewest open tickets among those in `openCounts` (the assignable ones);
 * the file's order breaks a tie.
 */
export function leastBusy(members: TeamMember[], openCounts: Map<string, number>) {
  let best: { member: TeamMember; count: number } | undefined;
  for (const member of members) {
    const count = openCounts.get(member.username);
    if (count === undefined) continue;
    if (!best || count < best.count) best = { member, count };
  }
  return best?.member.username ?? null;
}

/**
 * Routes a ticket that was just opened, in the transaction that opened it: its team and, with
 * `assignment: least_open`, its assignee: a member with a console account that is not disabled
 * (none: nobody). Two tickets opened at the same moment may both go to the same least busy
 * member; the next ones even it out.
 */
export async function routeNewTicket(
  trx: Kysely<Database> | Transaction<Database>,
  ticketId: string,
  input: RoutingInput,
  config: TeamsConfig,
): Promise<TicketRouting> {
  const team = teamFor(config, input);
  let assignee: string | null = null;
  if (team && config.assignment === 'least_open') {
    const candidates = membersWithSkills(team, input);
    if (candidates.length) {
      const counts = await assignableOpenCounts(
        trx,
        candidates.map((member) => member.username),
      );
      assignee = leastBusy(candidates, counts);
    }
  }
  const routing = { team: team?.key ?? null, assignee };
  await setTicketRouting(trx, ticketId, routing);
  return routing;
}
