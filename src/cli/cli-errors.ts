/**
 * How the command line reports a failure: an error the operator can act on (a bad setting,
 * a short password or key, a migration the database refused) as its one-line message;
 * anything else as one line too, with the stack only when LOG_LEVEL=debug asks for it.
 */
import { CredentialsError } from '../auth/credentials.js';
import { ConfigError } from '../config/env.js';
import { MigrationError } from '../db/migrate.js';
import { DomainError } from '../errors/domain-errors.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Errors whose message already says what to do; domain errors (no such key, an id on several
 * channels) are the operator's input, not a fault.
 */
const actionable: ErrorClass[] = [ConfigError, CredentialsError, MigrationError, DomainError];

export function describeCliError(
  error: unknown,
  options: { debug: boolean; actionable?: ErrorClass[] },
): string {
  if (!(error instanceof Error)) return String(error);
  if ([...actionable, ...(options.actionable ?? [])].some((type) => error instanceof type))
    return error.message;
  if (options.debug) return error.stack ?? error.message;
  return `${error.message} (set LOG_LEVEL=debug to see where)`;
}
