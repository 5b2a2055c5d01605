/** Shapes of `GET /v1/teams`: the teams file as the service reads it, with open ticket counts. */
import { z } from '@hono/zod-openapi';
import { urgencyLevels } from '../triage/urgency-levels.js';
import { escalationRoles } from './teams.js';

const localisedName = z.union([z.string(), z.object({ zh: z.string(), en: z.string() })]);

export const escalationStepSchema = z
  .object({
    level: z.number().int(),
    name: localisedName,
    at: z.number().openapi({ description: 'Share of the SLA window in working time (1 = due)' }),
    urgency: z.enum(urgencyLevels),
    notify: z.array(z.enum(escalationRoles)),
  })
  .openapi('EscalationStep');

const skills = z.object({
  categories: z.array(z.string()),
  languages: z.array(z.string()),
  channels: z.array(z.string()),
});

export const teamSchema = z
  .object({
    key: z.string(),
    name: localisedName,
    lead: z.string(),
    members: z.array(
      z.object({
        username: z.string(),
        languages: z.array(z.string()),
        categories: z.array(z.string()),
      }),
    ),
    takes: skills.openapi({ description: 'An empty list takes every value' }),
    escalation: z
      .array(escalationStepSchema)
      .openapi({ description: "The path this team's tickets walk" }),
    openTickets: z.number().int(),
  })
  .openapi('Team');

export const teamsOverviewSchema = z
  .object({
    assignment: z.enum(['least_open', 'none']),
    dutyManagers: z.array(z.string()),
    fallbackTeam: z.string().nullable(),
    escalation: z.array(escalationStepSchema),
    teams: z.array(teamSchema),
  })
  .openapi('Teams');
export type TeamsOverview = z.infer<typeof teamsOverviewSchema>;
