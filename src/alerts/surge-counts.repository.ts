/**
 * The detector's SQL over stored triage results: conversations per key in a period (the window,
 * or the baseline before it), the window's conversations of one key, and the tickets a key's
 * messages went to. Keys come from the typed fields of the stored result (triage.ts): `category`,
 * `matches[0].id` (the best entry, when it more likely than not answers the message) and
 * `entities.trackingNumbers[].carrier`; never from reason text. A message counts at its triage
 * time (seconds after it arrived), and a conversation counts once per key and period. Periods
 * are half-open at their start, `(start, end]`: a run at `now` counts what was triaged up to now.
 */
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { type AlertKey, type AlertKind, alertKindSchema } from './alert-contract.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The best match counts as "the entry matched" from this calibrated probability (the match
 * score is the probability that the entry answers the message): below it, it is a guess.
 */
export const entryMatchMinScore = 0.5;

export interface KeyCount extends AlertKey {
  conversations: number;
}

export interface PeriodCounts {
  /** Conversations with any triaged customer message in the period. */
  total: number;
  keys: KeyCount[];
}

/** Every key's conversations in a period `(from, to]`, and the total, in one scan. */
export async function periodCounts(
  db: Db,
  period: { from: Date; to: Date },
): Promise<PeriodCounts> {
  const { rows } = await sql<{ kind: string; key: string; conversations: number }>`
    with recent as materialized (
      -- Only the paths the keys need: the stored results are kilobytes each, read once here.
      select m.conversation_id, tr.category,
        tr.result->'matches'->0 as best,
        case when jsonb_typeof(tr.result->'entities'->'trackingNumbers') = 'array'
          then tr.result->'entities'->'trackingNumbers' else '[]'::jsonb end as tracking_numbers
      from triage_results tr join messages m on m.id = tr.message_id
      where tr.created_at > ${period.from} and tr.created_at <= ${period.to}
    ),
    keyed as (
      select '' as kind, '' as key, conversation_id from recent
      union all
      select 'category', category, conversation_id from recent where category is not null
      union all
      select 'entry', best->>'id', conversation_id from recent
      where jsonb_typeof(best->'score') = 'number' and (best->>'score')::float8 >= ${entryMatchMinScore}
      union all
      select 'carrier', tracking->>'carrier', conversation_id
      from recent cross join lateral jsonb_array_elements(tracking_numbers) as tracking
      where tracking->>'carrier' is not null
    )
    select kind, key, count(distinct conversation_id) as conversations
    from keyed
    group by kind, key
  `.execute(db);
  const keys: KeyCount[] = [];
  let total = 0;
  for (const row of rows) {
    if (row.kind === '') {
      total = Number(row.conversations);
      continue;
    }
    const kind = alertKindSchema.safeParse(row.kind);
    if (!kind.success || !row.key) continue;
    keys.push({ kind: kind.data, key: row.key, conversations: Number(row.conversations) });
  }
  return { total, keys };
}

/** The condition "this triage result (`tr`) has the key", the same rule as surgeCounts. */
export function keyCondition(key: AlertKey): RawBuilder<boolean> {
  const conditions: Record<AlertKind, () => RawBuilder<boolean>> = {
    category: () => sql<boolean>`tr.category = ${key.key}`,
    entry: () =>
      sql<boolean>`tr.result->'matches'->0->>'id' = ${key.key}
        and jsonb_typeof(tr.result->'matches'->0->'score') = 'number'
        and (tr.result->'matches'->0->>'score')::float8 >= ${entryMatchMinScore}`,
    carrier: () =>
      sql<boolean>`tr.result->'entities'->'trackingNumbers' @> ${JSON.stringify([{ carrier: key.key }])}::jsonb`,
  };
  return conditions[key.kind]();
}

/** The conversations of one key in a period `(from, to]` (to tell whether two keys are one wave). */
export async function keyConversations(
  db: Db,
  key: AlertKey,
  period: { from: Date; to: Date },
): Promise<string[]> {
  const { rows } = await sql<{ conversation_id: string }>`
    select distinct m.conversation_id
    from triage_results tr join messages m on m.id = tr.message_id
    where tr.created_at > ${period.from} and tr.created_at <= ${period.to} and ${keyCondition(key)}
  `.execute(db);
  return rows.map((row) => row.conversation_id);
}

/** The tickets that messages with the key opened or landed on in a period `(from, to]`. */
export async function keyTickets(
  db: Db,
  key: AlertKey,
  period: { from: Date; to: Date },
): Promise<string[]> {
  const { rows } = await sql<{ ticket_id: string }>`
    select distinct tr.ticket_id
    from triage_results tr
    where tr.ticket_id is not null
      and tr.created_at > ${period.from} and tr.created_at <= ${period.to} and ${keyCondition(key)}
  `.execute(db);
  return rows.map((row) => row.ticket_id);
}
