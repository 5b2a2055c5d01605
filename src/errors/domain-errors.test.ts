import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BusyError,
  ConflictError,
  DomainError,
  domainErrorCodes,
  InvalidError,
  NotFoundError,
  UnavailableError,
} from './domain-errors.js';
import { domainErrorResponseCodes, errorCodes } from '../http/errors.js';

describe('domain errors', () => {
  it('carry their code and message', () => {
    const errors = [
      new NotFoundError('a'),
      new ConflictError('b'),
      new UnavailableError('c'),
      new InvalidError('d'),
      new BusyError('e', 3),
    ];
    expect(
      errors.map((error) => [error instanceof DomainError, error.code, error.message]),
    ).toEqual([
      [true, 'not_found', 'a'],
      [true, 'conflict', 'b'],
      [true, 'unavailable', 'c'],
      [true, 'invalid', 'd'],
      [true, 'busy', 'e'],
    ]);
  });

  it('map to the statuses the API has always answered', () => {
    const statuses = Object.fromEntries(
      domainErrorCodes.map((code) => [code, errorCodes[domainErrorResponseCodes[code]]]),
    );
    expect(statuses).toEqual({
      not_found: 404,
      conflict: 409,
      unavailable: 503,
      busy: 429,
      invalid: 400,
    });
  });

  it('leave domain code free of HTTP: outside src/http/ only the HTTP edge imports from it', () => {
    const src = fileURLToPath(new URL('..', import.meta.url));
    // The edge: route files, the sign-in middleware, the server command, tests with their
    // helpers, and a channel folder's inbound side (it answers its platform over HTTP); a
    // channel's sender (outbound*.ts) and the channel framework itself stay free of HTTP.
    const edge = (file: string) =>
      file.startsWith('http/') ||
      /^channels\/[^/]+\/(?!outbound)[^/]+\.ts$/.test(file) ||
      file.endsWith('.routes.ts') ||
      file.endsWith('.test.ts') ||
      file.startsWith('testing/') ||
      ['auth/auth.middleware.ts', 'cli/serve.ts'].includes(file);
    const offenders = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !edge(file))
      .filter((file) => /from '(\.\.\/)+http\//.test(readFileSync(join(src, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
