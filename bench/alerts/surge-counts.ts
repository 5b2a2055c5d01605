/**
 * How long the surge detector's count takes as history grows: an in-memory embedded database
 * (as `DATA_DIR=memory://` opens it), migrated, filled with a week and an hour of triage results
 * (`conversations` per week, spread evenly, each result ~`resultBytes` of JSON like a stored
 * triage result: a category, matches, tracking numbers and padding for the reasons and details
 * a real result carries), then periodCounts (src/alerts/surge-counts.repository.ts) timed over
 * the default baseline (7 days: counted once an hour by the detector) and window (60 minutes:
 * counted every run).
 *
 *   npx tsx bench/alerts/surge-counts.ts [conversations=20000] [resultBytes=4000] [rounds=5]
 */
import { sql } from 'kysely';
import { periodCounts } from '../../src/alerts/surge-counts.repository.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const [conversations = 20_000, resultBytes = 4000, rounds = 5] = process.argv.slice(2).map(Number);
const now = new Date('2026-03-10T02:00:00Z');
const span = 7 * 24 * 3_600_000 + 3_600_000;
const categories = ['logistics', 'refund', 'return_exchange', 'invoice', 'quality_issue'];
const entries = ['delayed_parcel', 'refund_timeline', 'exchange_size', 'invoice_howto'];
const carriers = ['sf-express', 'yto', 'zto', 'jd-logistics'];

const database = await openDatabase({ dataDir: 'memory://' });
await migrateToLatest(database.db);
const started = performance.now();
for (let start = 0; start < conversations; start += 1000) {
  const size = Math.min(1000, conversations - start);
  const at = (index: number) =>
    new Date(now.getTime() - span + ((start + index) * span) / conversations);
  const made = await database.db
    .insertInto('conversations')
    .values(
      Array.from({ length: size }, (_, index) => ({
        channel: 'bench',
        external_id: `c${start + index}`,
        customer_id: `u${start + index}`,
        customer_name: null,
        created_at: at(index),
        updated_at: at(index),
      })),
    )
    .returning('id')
    .execute();
  const messages = await database.db
    .insertInto('messages')
    .values(
      made.map((row, index) => ({
        conversation_id: row.id,
        channel: 'bench',
        external_message_id: `m${start + index}`,
        direction: 'inbound' as const,
        author: 'customer' as const,
        author_id: null,
        text: '-',
        sent_at: null,
        created_at: at(index),
        processing: 'triaged' as const,
        claimed_at: null,
        locale: null,
        reply_to_message_id: null,
      })),
    )
    .returning('id')
    .execute();
  await database.db
    .insertInto('triage_results')
    .values(
      messages.map((row, index) => {
        const n = start + index;
        const result = {
          category: categories[n % categories.length],
          matches: [{ id: entries[n % entries.length], score: 0.9 }],
          entities: {
            orderNumbers: [],
            trackingNumbers:
              n % 3 === 0 ? [{ number: `X${n}`, carrier: carriers[n % carriers.length] }] : [],
            amounts: [],
          },
          reasons: ['x'.repeat(Math.max(0, resultBytes - 250))],
        };
        return {
          message_id: row.id,
          category: result.category!,
          action: 'handoff',
          urgency_score: 40,
          provider: 'bench',
          result: JSON.stringify(result),
          created_at: at(index),
          ticket_id: null,
        };
      }),
    )
    .execute();
}
await sql`analyze`.execute(database.db);
console.log(
  `seeded ${conversations} conversations in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
async function time(label: string, period: { from: Date; to: Date }) {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const begin = performance.now();
    const counts = await periodCounts(database.db, period);
    times.push(performance.now() - begin);
    if (round === 0)
      console.log(`${label}: ${counts.total} conversations, ${counts.keys.length} keys`);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label} over ${conversations} conversations of ~${resultBytes} B: median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms (${rounds} rounds)`,
  );
}
const windowStart = new Date(now.getTime() - 3_600_000);
await time('baseline (7 days, once an hour)', {
  from: new Date(now.getTime() - span),
  to: windowStart,
});
await time('window (60 minutes, every run)', { from: windowStart, to: now });
await database.close();
