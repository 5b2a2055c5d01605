/**
 * One error vocabulary: a closed set of codes, one map to HTTP status, one body shape
 * `{"error":{"code","message","requestId"}}`.
 */
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import type { DomainErrorCode } from '../errors/domain-errors.js';

export const errorCodes = {
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_document: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof errorCodes;

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

/** The one map from a domain error (src/errors/domain-errors.ts) to this vocabulary. */
export const domainErrorResponseCodes: Record<DomainErrorCode, ErrorCode> = {
  not_found: 'not_found',
  conflict: 'conflict',
  unavailable: 'unavailable',
  busy: 'rate_limited',
  invalid: 'validation_failed',
};

export function errorResponse(context: Context, code: ErrorCode, message: string): Response {
  const requestId = (context.get('requestId') as string | undefined) ?? 'unknown';
  return context.json({ error: { code, message, requestId } }, errorCodes[code]);
}

/** Turns zod issues into one readable line: `text: must not be empty; channel: ...`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

/** Error responses every JSON route can return, for the OpenAPI document. */
export const commonErrorResponses = {
  400: {
    description: 'Invalid JSON or a field that fails validation',
    content: { 'application/json': { schema: errorBodySchema } },
  },
  413: {
    description: 'Body over the size limit',
    content: { 'application/json': { schema: errorBodySchema } },
  },
  415: {
    description: 'Content type is not application/json',
    content: { 'application/json': { schema: errorBodySchema } },
  },
  500: {
    description: 'Unexpected error',
    content: { 'application/json': { schema: errorBodySchema } },
  },
} as const;
