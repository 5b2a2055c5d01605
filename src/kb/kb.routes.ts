/** Knowledge-base HTTP: upload, list and delete documents; search. */
import { createRoute, z } from '@hono/zod-openapi';
import { ConflictError, NotFoundError } from '../errors/domain-errors.js';
import { commonErrorResponses, errorBodySchema, errorResponse } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import { DocumentError } from './document.js';
import { knowledgeMatchSchema } from './knowledge-match.js';

const matchSchema = knowledgeMatchSchema.openapi('KnowledgeSearchHit');

const documentSchema = z
  .object({
    id: z.string(),
    source: z.string().openapi({ description: '`knowledge-base` (synced from the folder at start), `upload`, or the folder `triage kb ingest` read' }),
    sourcePath: z.string(),
    kind: z.enum(['faq', 'policy']),
    entryId: z.string(),
    locale: z.string(),
    title: z.string(),
    category: z.string().nullable(),
    autoReply: z.boolean(),
    contentHash: z.string(),
    chunks: z.number(),
    updatedAt: z.string(),
  })
  .openapi('KnowledgeDocument');

const errorContent = { content: { 'application/json': { schema: errorBodySchema } } };

const searchRoute = createRoute({
  method: 'get',
  path: '/v1/kb/search',
  summary: 'Hybrid search of the knowledge base',
  request: {
    query: z.object({
      q: z.string().trim().min(1, 'q must not be empty').max(2000),
      locale: z.enum(['zh', 'en']).optional(),
      limit: z.coerce.number().int().min(1).max(50).default(5),
    }),
  },
  responses: {
    200: { description: 'Matching entries, best first', content: { 'application/json': { schema: z.object({ matches: z.array(matchSchema) }) } } },
    400: { description: 'Bad query', ...errorContent },
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/kb/documents',
  summary: 'List knowledge-base documents',
  responses: { 200: { description: 'Documents', content: { 'application/json': { schema: z.object({ documents: z.array(documentSchema) }) } } } },
});

const uploadRoute = createRoute({
  method: 'post',
  path: '/v1/kb/documents',
  summary: 'Upload a document (Markdown FAQ, Markdown/text/HTML/PDF/DOCX policy, CSV/JSONL FAQ table)',
  description:
    'multipart/form-data with one `file` field. A file with the same name replaces the earlier upload. Uploads are kept across restarts (the start-up sync of the knowledge-base folder never removes them) until deleted.',
  request: {
    body: {
      required: true,
      content: { 'multipart/form-data': { schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }) } },
    },
  },
  responses: {
    ...commonErrorResponses,
    201: {
      description: 'Ingested',
      content: { 'application/json': { schema: z.object({ sourcePath: z.string(), documents: z.number(), chunks: z.number() }) } },
    },
    413: { description: 'The file is over MAX_UPLOAD_BYTES', ...errorContent },
    415: { description: 'Not multipart/form-data, or a file type that cannot be loaded (the message lists the supported ones)', ...errorContent },
    422: { description: 'The document could not be read (corrupt, empty, invalid front matter...)', ...errorContent },
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/kb/documents/{id}',
  summary: 'Delete a document and its chunks',
  request: { params: z.object({ id: z.uuid('id must be a document id (uuid)') }) },
  responses: { 204: { description: 'Deleted' }, 404: { description: 'No such document', ...errorContent } },
});

const documentErrorStatus: Record<string, 'unsupported_media_type' | 'payload_too_large' | 'invalid_document'> = {
  unsupported_type: 'unsupported_media_type',
  too_large: 'payload_too_large',
};

export function registerKbRoutes(app: ApiRouter, services: AppServices) {
  const kb = services.knowledgeBase;
  app
    .openapi(searchRoute, async (context) => {
      const { q, locale, limit } = context.req.valid('query');
      return context.json({ matches: await kb.search(q, { locale, limit }) }, 200);
    })
    .openapi(listRoute, async (context) => {
      const rows = await kb.listDocuments();
      const documents = rows.map((row) => ({
        id: row.id,
        source: row.source,
        sourcePath: row.source_path,
        kind: row.kind,
        entryId: row.entry_id,
        locale: row.locale,
        title: row.title,
        category: row.category,
        autoReply: row.auto_reply,
        contentHash: row.content_hash,
        chunks: Number(row.chunks),
        updatedAt: new Date(row.updated_at).toISOString(),
      }));
      return context.json({ documents }, 200);
    })
    .openapi(uploadRoute, async (context) => {
      const type = context.req.header('content-type') ?? '';
      if (!type.toLowerCase().startsWith('multipart/form-data')) {
        return errorResponse(context, 'unsupported_media_type', 'Upload the document as multipart/form-data with a "file" field.') as never;
      }
      // The route's validator has parsed the form already: read its result, not the body again.
      const file = context.req.valid('form').file as unknown;
      if (!(file instanceof File)) return errorResponse(context, 'validation_failed', 'file: attach the document as a "file" field.') as never;
      try {
        const result = await kb.ingestUpload(file.name, new Uint8Array(await file.arrayBuffer()));
        return context.json(result, 201);
      } catch (error) {
        if (error instanceof DocumentError) return errorResponse(context, documentErrorStatus[error.code] ?? 'invalid_document', error.message) as never;
        throw error;
      }
    })
    .openapi(deleteRoute, async (context) => {
      const deleted = await kb.deleteDocument(context.req.valid('param').id);
      if (!deleted) throw new NotFoundError('No knowledge-base document with that id.');
      return context.body(null, 204);
    });
}
