/**
 * Keeps this instance's in-memory view of the knowledge base (entry model, lexical index,
 * calibration, answerability) in step with the shared database when another instance changes
 * it. Changes made here refresh at once (kb.service); for the others' a notification wakes
 * the check at once on a Postgres server, and a fingerprint read every few seconds catches
 * what a notification missed, so every instance agrees within seconds either way.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Notifications } from '../db/notifications.js';
import type { Database } from '../db/tables.js';
import { knowledgeBaseFingerprint } from './kb-version.repository.js';

export interface KnowledgeBaseSyncOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** Reloads what this instance keeps in memory from the database. */
  refresh: () => Promise<void>;
  notifications?: Notifications;
  /** How often the fingerprint is read. Default 5 s. */
  intervalMs?: number;
}

export interface KnowledgeBaseSync {
  /** Tells the other instances that this one changed the knowledge base. */
  announce(): Promise<void>;
  /** Takes the current fingerprint as known (after this instance's own change or load). */
  acknowledge(): Promise<void>;
  /** Checks now; true when a change was found and loaded. */
  check(): Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const KNOWLEDGE_BASE_CHANNEL = 'triage_knowledge_base';

export function createKnowledgeBaseSync(options: KnowledgeBaseSyncOptions): KnowledgeBaseSync {
  const { db, logger } = options;
  let known: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let running: Promise<boolean> | undefined;
  let stopped = false;

  async function checkOnce(): Promise<boolean> {
    const fingerprint = await knowledgeBaseFingerprint(db);
    if (fingerprint === known) return false;
    const first = known === undefined;
    known = fingerprint;
    if (first) return false;
    logger.info('knowledge base changed on another instance: reloading its indexes and models');
    await options.refresh();
    return true;
  }

  // One check at a time: a notification during a reload waits for it.
  function check(): Promise<boolean> {
    running ??= checkOnce().finally(() => (running = undefined));
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      check()
        .catch((error) => logger.warn({ err: error }, 'knowledge-base version check failed'))
        .finally(schedule);
    }, options.intervalMs ?? 5000);
    timer.unref();
  }

  return {
    async announce() {
      await options.notifications?.notify(db, KNOWLEDGE_BASE_CHANNEL);
    },
    async acknowledge() {
      known = await knowledgeBaseFingerprint(db);
    },
    check,
    async start() {
      if (known === undefined) known = await knowledgeBaseFingerprint(db);
      if (options.notifications)
        unsubscribe = await options.notifications.listen(KNOWLEDGE_BASE_CHANNEL, () => {
          void check().catch((error) =>
            logger.warn({ err: error }, 'knowledge-base version check failed'),
          );
        });
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await unsubscribe?.();
      await running?.catch(() => undefined);
    },
  };
}
