/** `GET /v1/teams`: who takes which tickets and the escalation path (knowledge-base/teams.yaml). */
import { createRoute } from '@hono/zod-openapi';
import { commonErrorResponses } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import type { TeamDirectory } from './team-directory.js';
import { teamsOverviewSchema } from './team-contract.js';

export function registerTeamsRoutes(app: ApiRouter, services: { teams: TeamDirectory }) {
  const list = createRoute({
    method: 'get',
    path: '/v1/teams',
    summary: 'Teams, their skills and members, and the escalation path',
    responses: {
      200: {
        description: 'The teams file as loaded at start, with open tickets per team',
        content: { 'application/json': { schema: teamsOverviewSchema } },
      },
      ...commonErrorResponses,
    },
  });
  app.openapi(list, async (context) => context.json(await services.teams.overview(), 200));
}
