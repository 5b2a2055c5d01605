/**
 * Knowledge-base editing over HTTP (the console's KB view): read one document with its fields,
 * create, edit, delete and restore (admins; the access policy says who), and preview how a
 * question would match (staff). The list and the upload stay in kb.routes.ts.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { commonErrorResponses, errorBodySchema } from '../http/errors.js';
import { requireJsonBody } from '../http/middleware.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import {
  documentDetailSchema,
  editOutcomeSchema,
  entryCreateSchema,
  entryUpdateSchema,
  previewRequestSchema,
  previewSchema,
} from './kb-entry-contract.js';
import { createKnowledgeBaseEditor } from './kb-editor.js';
import { createKnowledgeBasePreview } from './kb-preview.js';

const errorContent = { content: { 'application/json': { schema: errorBodySchema } } };
const params = z.object({ id: z.uuid('id must be a document id (uuid)') });
const json = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
const outcome = (description: string) => ({
  description,
  content: { 'application/json': { schema: editOutcomeSchema } },
});
const notFound = { 404: { description: 'No such document', ...errorContent } };
const conflict = (description: string) => ({ 409: { description, ...errorContent } });

const getRoute = createRoute({
  method: 'get',
  path: '/v1/kb/documents/{id}',
  summary: 'One document with its fields, versions, pending edit and audit history',
  request: { params },
  responses: {
    200: {
      description: 'The document',
      content: { 'application/json': { schema: documentDetailSchema } },
    },
    ...notFound,
  },
});

const createEntryRoute = createRoute({
  method: 'post',
  path: '/v1/kb/entries',
  summary: 'Create an FAQ entry or a policy in one language',
  description:
    'Screened like an upload: a document that addresses the bot, promises money or a code, or carries prompt text is stored held (`status: "held"`) until an admin approves it. Otherwise it is live at once on every instance. Audited as kb.document.create.',
  middleware: [requireJsonBody()] as const,
  request: { body: json(entryCreateSchema) },
  responses: {
    201: outcome('Stored (live, or held for review)'),
    ...conflict('That entry exists in that language already: edit it'),
    ...commonErrorResponses,
  },
});

const updateRoute = createRoute({
  method: 'put',
  path: '/v1/kb/documents/{id}',
  summary: 'Replace a document’s content (a new console version)',
  description:
    'The new version is chunked, embedded and searchable at once, and the indexes and models that follow the knowledge base are retrained on every instance; the shipped file’s or upload’s version is kept aside (superseded) and the start-up sync does not overwrite the edit. A version the screen flags is held and the live one stays until an admin approves it. Audited as kb.document.edit with the fields changed.',
  middleware: [requireJsonBody()] as const,
  request: { params, body: json(entryUpdateSchema) },
  responses: {
    200: outcome('Saved (live, held, or unchanged)'),
    ...notFound,
    ...conflict('Changed since baseContentHash, or a version not in use (superseded, deleted)'),
    ...commonErrorResponses,
  },
});

const restoreRoute = createRoute({
  method: 'post',
  path: '/v1/kb/documents/{id}/restore',
  summary:
    'Drop the console version or deletion of an entry: its shipped or uploaded text is used again',
  request: { params },
  responses: {
    200: outcome('Restored (live, or held when the screen flags it)'),
    ...notFound,
    ...conflict('No shipped or uploaded version is kept aside for this entry'),
  },
});

const previewRoute = createRoute({
  method: 'post',
  path: '/v1/kb/preview',
  summary: 'How a question would match: top entries with scores, and the triage decision',
  description:
    'Runs the search and the `POST /v1/triage` engine on the question with nothing stored or counted. With `draft` (unsaved fields), the draft is also compared with the question by the embedder alone and labelled as that approximation (`draft.method: "embedding_only"`), with what the screen would hold.',
  middleware: [requireJsonBody()] as const,
  request: { body: json(previewRequestSchema) },
  responses: {
    200: { description: 'The preview', content: { 'application/json': { schema: previewSchema } } },
    ...commonErrorResponses,
  },
});

const actorOf = (context: { get(key: 'principal'): { name: string } | undefined }) =>
  context.get('principal')?.name ?? 'anonymous';

export function registerKbEditorRoutes(
  app: ApiRouter,
  services: Pick<AppServices, 'knowledgeBase' | 'database' | 'triage'>,
) {
  // Stateless: kb.routes.ts makes its own for DELETE.
  const editor = createKnowledgeBaseEditor({
    db: services.database.db,
    knowledgeBase: services.knowledgeBase,
  });
  const preview = createKnowledgeBasePreview({
    db: services.database.db,
    knowledgeBase: services.knowledgeBase,
    triage: services.triage,
  });
  app
    .openapi(getRoute, async (context) =>
      context.json(await editor.detail(context.req.valid('param').id), 200),
    )
    .openapi(createEntryRoute, async (context) =>
      context.json(await editor.create(context.req.valid('json'), actorOf(context)), 201),
    )
    .openapi(updateRoute, async (context) =>
      context.json(
        await editor.update(
          context.req.valid('param').id,
          context.req.valid('json'),
          actorOf(context),
        ),
        200,
      ),
    )
    .openapi(restoreRoute, async (context) =>
      context.json(await editor.restore(context.req.valid('param').id, actorOf(context)), 200),
    )
    .openapi(previewRoute, async (context) =>
      context.json(await preview(context.req.valid('json')), 200),
    );
}
