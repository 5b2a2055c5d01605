/**
 * The detector's SQL over stored triage results: conversations per key in the window and in the
 * baseline before it, the window's conversations of one key, and the tickets a key's messages
 * went to. Keys come from the typed fields of the stored result (triage.ts): `category`,
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

export interface CountPeriods {
  baselineStart: Date;
  windowStart: Date;
  windowEnd: Date;
}

export interface KeyCounts extends AlertKey {
  observed: number;
  baseline: number;
}

export interface SurgeCountsResult {
  totals: { observed: number; baseline: number };
  keys: KeyCounts[];
}

/** Every key's conversations in the window and in the baseline, and the totals, in one scan. */
export async function surgeCounts(db: Db, periods: CountPeriods): Promise<SurgeCountsResult> {
  const { rows } = await sql<{ kind: string; key: string; observed: number; baseline: number }>`
    with recent as (
      select m.conversation_id, tr.category, tr.result, tr.created_at > ${periods.windowStart} as in_window
      from triage_results tr join messages m on m.id = tr.message_id
      where tr.created_at > ${periods.baselineStart} and tr.created_at <= ${periods.windowEnd}
    ),
    keyed as (
      select '' as kind, '' as key, conversation_id, in_window from recent
      union all
      select 'category', category, conversation_id, in_window from recent where category is not null
      union all
      select 'entry', result->'matches'->0->>'id', conversation_id, in_window from recent
      where jsonb_typeof(result->'matches'->0->'score') = 'number'
        and (result->'matches'->0->>'score')::float8 >= ${entryMatchMinScore}
      union all
      select 'carrier', tracking->>'carrier', conversation_id, in_window
      from recent cross join lateral jsonb_array_elements(
        case when jsonb_typeof(result->'entities'->'trackingNumbers') = 'array'
          then result->'entities'->'trackingNumbers' else '[]'::jsonb end
      ) as tracking
      where tracking->>'carrier' is not null
    )
    select kind, key,
      count(distinct conversation_id) filter (where in_window) as observed,
      count(distinct conversation_id) filter (where not in_window) as baseline
    from keyed
    group by kind, key
  `.execute(db);
  const total = rows.find((row) => row.kind === '');
  const keys: KeyCounts[] = [];
  for (const row of rows) {
    const kind = alertKindSchema.safeParse(row.kind);
    if (!kind.success || !row.key) continue;
    keys.push({
      kind: kind.data,
      key: row.key,
      observed: Number(row.observed),
      baseline: Number(row.baseline),
    });
  }
  return {
    totals: { observed: Number(total?.observed ?? 0), baseline: Number(total?.baseline ?? 0) },
    keys,
  };
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
