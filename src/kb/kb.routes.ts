/** Knowledge-base HTTP: upload, list, approve, reject and delete documents; search. */
import { createRoute, z } from '@hono/zod-openapi';
import { ConflictError, NotFoundError } from '../errors/domain-errors.js';
import { commonErrorResponses, errorBodySchema, errorResponse } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import type { AppServices } from '../http/services.js';
import { DocumentError } from './document.js';
import { screeningFindingSchema } from './document-screening.js';
import type { ReviewOutcome } from './kb.service.js';
import { createKnowledgeBaseEditor } from './kb-editor.js';
import { documentStatuses } from './kb-entry-contract.js';
import { knowledgeMatchSchema } from './knowledge-match.js';

const matchSchema = knowledgeMatchSchema.openapi('KnowledgeSearchHit');

const documentSchema = z
  .object({
    id: z.string(),
    source: z.string().openapi({
      description:
        '`knowledge-base` (synced from the folder at start), `upload`, `console` (written or deleted in the console), or the folder `triage kb ingest` read',
    }),
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
    status: z.enum(documentStatuses).openapi({
      description:
        '`held`: flagged at ingestion (addresses the bot, promises money, prompt text); stored, but not searched, quoted or learned from until an admin approves it. `superseded`: a console version of the entry replaces it. `deleted`: deleted in the console (kept so the start-up sync does not bring the shipped file back)',
    }),
    heldReasons: z
      .array(screeningFindingSchema)
      .openapi({ description: 'What the ingestion screen found (kept after approval)' }),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    editedBy: z.string().nullable().openapi({ description: 'Who wrote a console version' }),
  })
  .openapi('KnowledgeDocument');

const heldDocumentSchema = z
  .object({
    id: z.string(),
    sourcePath: z.string(),
    entryId: z.string(),
    locale: z.string(),
    title: z.string(),
    reasons: z.array(screeningFindingSchema),
  })
  .openapi('HeldKnowledgeDocument');

const reviewedDocumentSchema = heldDocumentSchema
  .extend({
    kind: z.enum(['faq', 'policy']),
    source: z.string(),
    status: z.enum(['active', 'rejected']),
  })
  .openapi('ReviewedKnowledgeDocument');

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
    200: {
      description: 'Matching entries, best first',
      content: { 'application/json': { schema: z.object({ matches: z.array(matchSchema) }) } },
    },
    400: { description: 'Bad query', ...errorContent },
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/kb/documents',
  summary: 'List knowledge-base documents',
  request: {
    query: z.object({
      status: z.enum(documentStatuses).optional().openapi({
        description:
          '`held`: the documents waiting for an admin. Without it: the documents in use (active and held)',
      }),
      kind: z
        .enum(['faq', 'policy'])
        .optional()
        .openapi({ description: '`faq`: entries; `policy`: policies' }),
      q: z.string().trim().max(200).optional().openapi({
        description: 'Words that must each appear in the id, title, questions or text',
      }),
    }),
  },
  responses: {
    200: {
      description: 'Documents',
      content: { 'application/json': { schema: z.object({ documents: z.array(documentSchema) }) } },
    },
  },
});

const uploadRoute = createRoute({
  method: 'post',
  path: '/v1/kb/documents',
  summary:
    'Upload a document (Markdown FAQ, Markdown/text/HTML/PDF/DOCX policy, CSV/JSONL FAQ table)',
  description:
    'multipart/form-data with one `file` field. A file with the same name replaces the earlier upload. Uploads are kept across restarts (the start-up sync of the knowledge-base folder never removes them) until deleted. A document that addresses the bot, promises money or a code, or carries prompt text is stored but held (`status: "held"`, listed in `held` with the reasons) until an admin approves it.',
  request: {
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }),
        },
      },
    },
  },
  responses: {
    ...commonErrorResponses,
    201: {
      description: 'Ingested',
      content: {
        'application/json': {
          schema: z.object({
            sourcePath: z.string(),
            documents: z.number(),
            chunks: z.number(),
            status: z
              .enum(['active', 'held'])
              .openapi({ description: '`held` when any document of the file is held for review' }),
            held: z.array(heldDocumentSchema),
          }),
        },
      },
    },
    413: { description: 'The file is over MAX_UPLOAD_BYTES', ...errorContent },
    415: {
      description:
        'Not multipart/form-data, or a file type that cannot be loaded (the message lists the supported ones)',
      ...errorContent,
    },
    422: {
      description: 'The document could not be read (corrupt, empty, invalid front matter...)',
      ...errorContent,
    },
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/kb/documents/{id}',
  summary: 'Delete a document and its chunks',
  description:
    'Gone from search and answers on every instance, audited as kb.document.delete with what was removed. A shipped file’s entry (or one edited in the console over a file or upload) is kept as a deletion, so the start-up sync does not bring it back (restore undoes it); a held console edit is discarded; an upload is removed.',
  request: { params: z.object({ id: z.uuid('id must be a document id (uuid)') }) },
  responses: {
    204: { description: 'Deleted' },
    404: { description: 'No such document', ...errorContent },
    409: { description: 'Not in use (superseded) or deleted already', ...errorContent },
  },
});

const reviewRequest = { params: z.object({ id: z.uuid('id must be a document id (uuid)') }) };
const reviewResponses = {
  200: {
    description: 'Done',
    content: { 'application/json': { schema: z.object({ document: reviewedDocumentSchema }) } },
  },
  404: { description: 'No such document', ...errorContent },
  409: {
    description: 'The document is not held (approved already, or never held)',
    ...errorContent,
  },
};

const approveRoute = createRoute({
  method: 'post',
  path: '/v1/kb/documents/{id}/approve',
  summary: 'Approve a held document: it becomes searchable and may be quoted',
  request: reviewRequest,
  responses: reviewResponses,
});

const rejectRoute = createRoute({
  method: 'post',
  path: '/v1/kb/documents/{id}/reject',
  summary: 'Reject a held document: it is deleted',
  request: reviewRequest,
  responses: reviewResponses,
});

/** A review outcome in HTTP terms: the document, or 404 / 409. */
function reviewed(outcome: ReviewOutcome) {
  if (outcome.outcome === 'not_found')
    throw new NotFoundError('No knowledge-base document with that id.');
  if (outcome.outcome === 'not_held')
    throw new ConflictError(
      'That document is not held: only held documents are approved or rejected (DELETE removes an active one).',
    );
  return {
    document: {
      ...outcome.document,
      status: outcome.outcome === 'approved' ? ('active' as const) : ('rejected' as const),
    },
  };
}

const documentErrorStatus: Record<
  string,
  'unsupported_media_type' | 'payload_too_large' | 'invalid_document'
> = {
  unsupported_type: 'unsupported_media_type',
  too_large: 'payload_too_large',
};

export function registerKbRoutes(app: ApiRouter, services: AppServices) {
  const kb = services.knowledgeBase;
  const editor = createKnowledgeBaseEditor({ db: services.database.db, knowledgeBase: kb });
  app
    .openapi(searchRoute, async (context) => {
      const { q, locale, limit } = context.req.valid('query');
      return context.json({ matches: await kb.search(q, { locale, limit }) }, 200);
    })
    .openapi(listRoute, async (context) => {
      const { status, kind, q } = context.req.valid('query');
      const rows = (await kb.listDocuments({ status, kind, text: q })).filter(
        (row) => status || row.status === 'active' || row.status === 'held',
      );
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
        status: row.status,
        heldReasons: screeningFindingSchema.array().catch([]).parse(row.held_reasons),
        reviewedBy: row.reviewed_by,
        reviewedAt: row.reviewed_at ? new Date(row.reviewed_at).toISOString() : null,
        editedBy: row.edited_by,
      }));
      return context.json({ documents }, 200);
    })
    .openapi(uploadRoute, async (context) => {
      const type = context.req.header('content-type') ?? '';
      if (!type.toLowerCase().startsWith('multipart/form-data')) {
        return errorResponse(
          context,
          'unsupported_media_type',
          'Upload the document as multipart/form-data with a "file" field.',
        ) as never;
      }
      // The route's validator has parsed the form already: read its result, not the body again.
      const file = context.req.valid('form').file as unknown;
      if (!(file instanceof File))
        return errorResponse(
          context,
          'validation_failed',
          'file: attach the document as a "file" field.',
        ) as never;
      try {
        const result = await kb.ingestUpload(file.name, new Uint8Array(await file.arrayBuffer()));
        // 201 even when held: the document is stored (as a help centre stores an article awaiting
        // review); what waits is an admin's decision, which the body's `status` and `held` say.
        return context.json(
          { ...result, status: result.held.length ? ('held' as const) : ('active' as const) },
          201,
        );
      } catch (error) {
        if (error instanceof DocumentError)
          return errorResponse(
            context,
            documentErrorStatus[error.code] ?? 'invalid_document',
            error.message,
          ) as never;
        throw error;
      }
    })
    .openapi(approveRoute, async (context) => {
      const reviewer = context.get('principal')?.name ?? 'anonymous';
      return context.json(
        reviewed(await kb.approveDocument(context.req.valid('param').id, reviewer)),
        200,
      );
    })
    .openapi(rejectRoute, async (context) => {
      const reviewer = context.get('principal')?.name ?? 'anonymous';
      return context.json(
        reviewed(await kb.rejectDocument(context.req.valid('param').id, reviewer)),
        200,
      );
    })
    .openapi(deleteRoute, async (context) => {
      await editor.remove(
        context.req.valid('param').id,
        context.get('principal')?.name ?? 'anonymous',
      );
      return context.body(null, 204);
    });
}
