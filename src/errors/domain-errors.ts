/**
 * Errors the domain throws, in its own words and free of any transport: each surface (the
 * HTTP edge in src/http/errors.ts, a CLI, a queue worker) maps them to its own form once.
 */

/** What went wrong, as a closed set; the HTTP edge keeps one status per kind. */
export const domainErrorCodes = [
  'not_found',
  'conflict',
  'unavailable',
  'busy',
  'invalid',
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
}

/** The thing asked for does not exist (or is not visible to the caller). */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  readonly code = 'not_found';
}

/** The request clashes with the current state: a stale version, a wrong status, a reused id. */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  readonly code = 'conflict';
}

/** Not possible right now, possible later: the caller should try again shortly. */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
  readonly code = 'unavailable';
}

/** Too much work waiting: the caller should try again after `retryAfterSeconds` (nothing was kept). */
export class BusyError extends DomainError {
  override name = 'BusyError';
  readonly code = 'busy';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A value the domain cannot accept, though it passed the schema (a category outside the taxonomy). */
export class InvalidError extends DomainError {
  override name = 'InvalidError';
  readonly code = 'invalid';
}
