/**
 * Postgres LISTEN/NOTIFY as a port: instances on one database server tell each other that
 * there is new work (a stored message) or that shared state changed (the knowledge base).
 * A notification is a wake-up call, never the only path: listeners also poll, because a
 * notification sent while a listener reconnects is lost.
 * The embedded database has one process, so its notifications stay in that process.
 */
import type { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from './tables.js';

export type NotificationChannel = 'triage_messages' | 'triage_knowledge_base';

export interface Notifications {
  /** Sends on commit of `db` when it is a transaction, at once otherwise. */
  notify(
    db: Kysely<Database> | Transaction<Database>,
    channel: NotificationChannel,
    payload?: string,
  ): Promise<void>;
  /** Calls `handler` for every notification on the channel (from any instance, this one too). */
  listen(
    channel: NotificationChannel,
    handler: (payload: string) => void,
  ): Promise<() => Promise<void>>;
}

export async function sendNotification(
  db: Kysely<Database> | Transaction<Database>,
  channel: NotificationChannel,
  payload = '',
): Promise<void> {
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

/** On a server: one connection of the pool stays checked out to LISTEN, re-established after a drop. */
export function serverNotifications(pool: pg.Pool, logger?: Logger): Notifications {
  return {
    notify: sendNotification,
    async listen(channel, handler) {
      let client: pg.PoolClient | undefined;
      let closed = false;
      let retry: NodeJS.Timeout | undefined;
      const onNotification = (message: pg.Notification) => {
        if (message.channel === channel) handler(message.payload ?? '');
      };
      const connect = async () => {
        try {
          const next = await pool.connect();
          next.on('notification', onNotification);
          next.on('error', (error) => {
            logger?.warn({ err: error, channel }, 'notification connection lost; reconnecting');
            next.release(error);
            if (client === next) client = undefined;
            if (!closed) retry = setTimeout(connect, 1000).unref();
          });
          await next.query(`listen ${channel}`);
          if (closed) {
            next.release();
            return;
          }
          client = next;
        } catch (error) {
          logger?.warn({ err: error, channel }, 'could not listen for notifications; retrying');
          if (!closed) retry = setTimeout(connect, 1000).unref();
        }
      };
      await connect();
      return async () => {
        closed = true;
        clearTimeout(retry);
        const current = client;
        client = undefined;
        if (current) {
          await current.query(`unlisten ${channel}`).catch(() => undefined);
          current.release();
        }
      };
    },
  };
}

/** The embedded database: PGlite delivers notifications to listeners in its own process. */
export function embeddedNotifications(pglite: PGlite): Notifications {
  return {
    notify: sendNotification,
    listen: async (channel, handler) => {
      const unsubscribe = await pglite.listen(channel, handler);
      return () => unsubscribe();
    },
  };
}
