/** The approved-answer API: the review list (staff), and approve, edit, reject (admins, in the access policy). */
import { createRoute, z } from '@hono/zod-openapi';
import { commonErrorResponses, errorBodySchema } from '../http/errors.js';
import { requireJsonBody } from '../http/middleware.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import {
  approvedAnswerEditSchema,
  approvedAnswerReviewSchema,
  approvedAnswerSchema,
  approvedAnswerStatuses,
} from './approved-answer-contract.js';

const errorResponses = {
  404: {
    description: 'No such answer',
    content: { 'application/json': { schema: errorBodySchema } },
  },
  409: {
    description: 'The answer is in the wrong state for this, or its entry is gone',
    content: { 'application/json': { schema: errorBodySchema } },
  },
};
const params = z.object({ id: z.uuid() });
const answerResponse = {
  200: {
    description: 'The answer',
    content: { 'application/json': { schema: approvedAnswerSchema } },
  },
};

function reviewRoute(action: 'approve' | 'reject', summary: string) {
  return createRoute({
    method: 'post',
    path: `/v1/approved-answers/{id}/${action}`,
    summary,
    // The body is optional (a note); without one, a bare POST does.
    request: {
      params,
      body: {
        required: false,
        content: { 'application/json': { schema: approvedAnswerReviewSchema } },
      },
    },
    responses: { ...answerResponse, ...errorResponses, ...commonErrorResponses },
  });
}

export function registerApprovedAnswersRoutes(
  app: ApiRouter,
  services: Pick<AppServices, 'approvedAnswers'>,
) {
  const list = createRoute({
    method: 'get',
    path: '/v1/approved-answers',
    summary:
      'Candidate and approved answers: pending oldest first, the others newest first (default: pending)',
    request: {
      query: z.object({
        status: z
          .enum(approvedAnswerStatuses)
          .optional()
          .openapi({ description: 'Default pending' }),
        entry: z.string().max(200).optional().openapi({ description: 'One entry’s answers' }),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
    },
    responses: {
      200: {
        description: 'Answers',
        content: {
          'application/json': {
            schema: z.object({ answers: z.array(approvedAnswerSchema) }),
          },
        },
      },
      ...commonErrorResponses,
    },
  });
  const edit = createRoute({
    method: 'put',
    path: '/v1/approved-answers/{id}',
    summary: 'Edit a candidate’s or an approved answer’s text (and the question it answers)',
    middleware: [requireJsonBody()] as const,
    request: {
      params,
      body: {
        required: true,
        content: { 'application/json': { schema: approvedAnswerEditSchema } },
      },
    },
    responses: { ...answerResponse, ...errorResponses, ...commonErrorResponses },
  });
  const approve = reviewRoute(
    'approve',
    'Approve a candidate: sent instead of the entry’s text when the same question comes again',
  );
  const reject = reviewRoute(
    'reject',
    'Reject a candidate, or withdraw an approved answer (it stops being sent)',
  );
  const reviewer = (context: { get(key: 'principal'): { name: string } | undefined }) =>
    context.get('principal')!.name;

  app
    .openapi(list, async (context) => {
      const query = context.req.valid('query');
      return context.json(
        {
          answers: await services.approvedAnswers.list({
            status: query.status ?? 'pending',
            ...(query.entry ? { entryId: query.entry } : {}),
            ...(query.limit ? { limit: query.limit } : {}),
          }),
        },
        200,
      );
    })
    .openapi(edit, async (context) =>
      context.json(
        await services.approvedAnswers.edit(
          context.req.valid('param').id,
          context.req.valid('json'),
          reviewer(context),
        ),
        200,
      ),
    )
    .openapi(approve, async (context) =>
      context.json(
        await services.approvedAnswers.approve(
          context.req.valid('param').id,
          reviewer(context),
          context.req.valid('json').note,
        ),
        200,
      ),
    )
    .openapi(reject, async (context) =>
      context.json(
        await services.approvedAnswers.reject(
          context.req.valid('param').id,
          reviewer(context),
          context.req.valid('json').note,
        ),
        200,
      ),
    );
}
