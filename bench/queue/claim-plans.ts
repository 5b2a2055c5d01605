/**
 * How long one intake claim takes with a burst of N waiting messages, under the three states
 * the planner's statistics can be in: none (a new table; an embedded database never gathers
 * any), gathered when the queue was quiet (a server in its steady state: a burst is far below
 * autovacuum's threshold on a large table), and gathered with the burst waiting. pg-boss's
 * fetch is timed in the same three states of its job table (its completed jobs stay there until
 * they are archived, 12 hours by default). Each claim runs in a transaction that is rolled back,
 * so every timing sees the same burst.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { claimNextMessage } from '../../src/conversations/message.repository.js';
import type { Database } from '../../src/db/tables.js';
import { type BenchDatabase, resetQueueTables } from './bench-database.js';
import { claimHeadOfConversation } from './head-claim.js';
import { executeOn } from './pg-boss-queue.js';
import type { Job } from './workload.js';

export interface ClaimPlanRow {
  statistics: string;
  serviceMs: number;
  headMs: number;
  pgBossMs: number;
}

const states = [
  { name: 'none', statistics: 'none (new table)', history: 0, analyzeBurst: false },
  { name: 'quiet', statistics: 'from a quiet queue', history: 10_000, analyzeBurst: false },
  { name: 'burst', statistics: 'with the burst waiting', history: 10_000, analyzeBurst: true },
];

/** The burst in one statement: the figures are about claiming, not storing. */
async function storeBurst(database: BenchDatabase, jobs: Job[]): Promise<void> {
  const conversations = new Map<number, string>();
  for (const job of jobs)
    if (!conversations.has(job.conversation)) conversations.set(job.conversation, randomUUID());
  const base = Date.now() - jobs.length;
  await database.pool.query(
    `insert into messages (conversation_id, channel, external_message_id, direction, author,
       text, processing, created_at)
     select conversation, 'bench', 'b-' || n, 'inbound', 'customer', 'Where is my order?',
       'received', created
     from unnest($1::uuid[], $2::timestamptz[]) with ordinality as burst(conversation, created, n)`,
    [
      jobs.map((job) => conversations.get(job.conversation)),
      jobs.map((job) => new Date(base + job.index)),
    ],
  );
}

class Rollback extends Error {}

async function medianClaimMs(
  db: Kysely<Database>,
  claim: typeof claimNextMessage,
  runs = 5,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await db
      .transaction()
      .execute(async (trx) => {
        const now = new Date();
        const before = performance.now();
        const claimed = await claim(trx, { now, staleBefore: new Date(now.getTime() - 60_000) });
        times.push(performance.now() - before);
        if (!claimed) throw new Error('nothing claimed from a waiting burst');
        throw new Rollback();
      })
      .catch((error) => {
        if (!(error instanceof Rollback)) throw error;
      });
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** pg-boss's fetch (batch 1) in the same states: history as completed jobs, then the burst. */
async function medianFetchMs(
  database: BenchDatabase,
  boss: PgBoss,
  jobs: Job[],
  state: (typeof states)[number],
  runs = 5,
): Promise<number> {
  const queue = `plan-${state.name}`;
  await boss.createQueue(queue, { name: queue });
  if (state.history) {
    await boss.insert(Array.from({ length: state.history }, () => ({ name: queue, data: {} })));
    await database.pool.query(
      `update pgboss.job set state = 'completed', started_on = now(), completed_on = now()
       where name = $1`,
      [queue],
    );
    await database.pool.query('analyze pgboss.job');
  }
  await boss.insert(jobs.map((job) => ({ name: queue, data: { index: job.index } })));
  if (state.analyzeBurst) await database.pool.query('analyze pgboss.job');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const client = await database.pool.connect();
    try {
      await client.query('begin');
      const before = performance.now();
      const fetched = await boss.fetch(queue, {
        batchSize: 1,
        db: executeOn(client),
      } as PgBoss.FetchOptions);
      times.push(performance.now() - before);
      if (fetched.length !== 1) throw new Error('pg-boss fetched nothing from a waiting burst');
    } finally {
      await client.query('rollback');
      client.release();
    }
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export async function claimPlans(
  database: BenchDatabase,
  boss: PgBoss,
  jobs: Job[],
): Promise<ClaimPlanRow[]> {
  const rows: ClaimPlanRow[] = [];
  for (const state of states) {
    await resetQueueTables(database, { history: state.history });
    await storeBurst(database, jobs);
    if (state.analyzeBurst) await database.pool.query('analyze messages');
    rows.push({
      statistics: state.statistics,
      serviceMs: await medianClaimMs(database.db, claimNextMessage),
      headMs: await medianClaimMs(database.db, claimHeadOfConversation),
      pgBossMs: await medianFetchMs(database, boss, jobs, state),
    });
  }
  return rows;
}
