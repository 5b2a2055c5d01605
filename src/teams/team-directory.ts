/** The teams file as the API shows it, with each team's open tickets counted now. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { TeamsOverview } from './team-contract.js';
import { openTicketsPerTeam } from './team.repository.js';
import { escalationPathOf, type TeamsConfig } from './teams.js';

export function createTeamDirectory(options: { db: Kysely<Database>; config: TeamsConfig }) {
  const { db, config } = options;
  return {
    config,
    async overview(): Promise<TeamsOverview> {
      const open = await openTicketsPerTeam(db);
      return {
        assignment: config.assignment,
        dutyManagers: config.dutyManagers,
        fallbackTeam: config.fallbackTeam ?? null,
        escalation: config.escalation,
        teams: config.teams.map((team) => ({
          key: team.key,
          name: team.name,
          lead: team.lead,
          members: team.members,
          takes: team.takes,
          escalation: escalationPathOf(config, team.key),
          openTickets: open.get(team.key) ?? 0,
        })),
      };
    },
  };
}

export type TeamDirectory = ReturnType<typeof createTeamDirectory>;
