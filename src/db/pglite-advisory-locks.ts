/**
 * Session-level advisory locks between the connections of the PGlite server. PGlite is one
 * backend, and a backend's advisory locks are re-entrant, so `pg_advisory_lock(k)` from a
 * second connection would be granted at once while the first still holds `k`. The server
 * keeps who holds which lock (read from pg_locks after a batch that names advisory locks),
 * holds back a batch that takes one while another connection holds any, and releases a
 * closed connection's locks, as Postgres does when a session ends.
 */
import { sqlText } from './pglite-wire.js';

// The blocking session-level calls (not pg_try_advisory_lock, not the _xact_ ones).
const TAKES_LOCK = /pg_advisory_lock(_shared)?\s*\(/i;

/** A batch that must wait while another connection holds an advisory lock. */
export function takesAdvisoryLock(messages: Buffer[]): boolean {
  return messages.some((message) => TAKES_LOCK.test(sqlText(message) ?? ''));
}

/** A batch after which the locks the backend holds may have changed. */
export function namesAdvisoryLocks(messages: Buffer[]): boolean {
  return messages.some((message) => /advisory/i.test(sqlText(message) ?? ''));
}

/** One text value: the backend's advisory locks as "mode classid objid objsubid", comma-separated. */
export const LIST_ADVISORY_LOCKS = `select string_agg(concat_ws(' ', mode, classid, objid, objsubid), ',')
  from pg_locks where locktype = 'advisory'`;

export function parseAdvisoryLocks(value: string | null): string[] {
  return value ? value.split(',') : [];
}

/** Releases every hold of one lock (it may have been taken more than once). */
export function releaseStatement(lock: string): string {
  const [mode, classid, objid, objsubid] = lock.split(' ');
  const shared = mode === 'ShareLock' ? '_shared' : '';
  // pg_locks shows a bigint key as its high and low 32 bits, a pair of ints as two oids.
  const key =
    objsubid === '1'
      ? String(BigInt.asIntN(64, (BigInt(classid!) << 32n) | BigInt(objid!)))
      : `${BigInt.asIntN(32, BigInt(classid!))}, ${BigInt.asIntN(32, BigInt(objid!))}`;
  return `do $$ begin while pg_advisory_unlock${shared}(${key}) loop end loop; end $$`;
}
