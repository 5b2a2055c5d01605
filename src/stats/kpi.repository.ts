/**
 * All SQL of the KPIs: the stored events each figure is computed from, for one range and
 * optional channel and category filters. The windows (follow-up, reopen, repeat) look at
 * everything stored after each item, not only inside the range, so a range is measured the
 * same whenever it is asked, once its windows have elapsed. Functions return rows; the
 * figures are computed in the modules beside this one.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/tables.js';

export interface KpiFilter {
  from: Date;
  to: Date;
  channel?: string;
  category?: string;
}

type Moment = Date | string | null;

const inRange = (column: RawBuilder<unknown>, filter: KpiFilter) =>
  sql`${column} >= ${filter.from} and ${column} < ${filter.to}`;
const channelIs = (filter: KpiFilter) =>
  filter.channel ? sql`and c.channel = ${filter.channel}` : sql``;
/** Message figures filter on the triage category, ticket figures on the ticket's (it may be corrected). */
const categoryIs = (column: RawBuilder<unknown>, filter: KpiFilter) =>
  filter.category ? sql`and ${column} = ${filter.category}` : sql``;

/** Only a greeting, thanks or acknowledgement: not a contact about an issue. */
const notSmallTalk = (alias: string) => sql`${sql.ref(`${alias}.result`)}->>'smallTalk' is null`;

export interface ContactRow {
  id: string;
  created_at: Moment;
  channel: string;
  customer_id: string;
  action: string;
  decision_details: unknown;
  ticket_status: string | null;
  next_message_at: Moment;
  next_thanks_at: Moment;
  next_contact_at: Moment;
  first_solved_at: Moment;
  agent_replies: number;
  reopened_at: Moment;
  next_ticket_at: Moment;
}

/**
 * Contacts in the range: triaged customer messages that are not small talk and were answered
 * automatically or opened their ticket, with what followed each: the customer's next real
 * message and next thanks in the conversation, their next contact (same channel and customer
 * id, any conversation), and for a ticket its first solve, the agents' replies before it and
 * what reopened it.
 */
export async function contactRows(db: Kysely<Database>, filter: KpiFilter): Promise<ContactRow[]> {
  const result = await sql<ContactRow>`
    -- Every contact from the range's start on, on any channel and category, with the same
    -- customer's next one: one sort instead of a search per contact.
    with repeat as (
      select m3.id, lead(m3.created_at) over (
          partition by c3.channel, c3.customer_id order by m3.created_at, m3.id
        ) as next_contact_at
      from messages m3
      join conversations c3 on c3.id = m3.conversation_id
      join triage_results tr3 on tr3.message_id = m3.id
      left join tickets t3 on t3.id = tr3.ticket_id and t3.message_id = m3.id
      where m3.direction = 'inbound' and m3.created_at >= ${filter.from} and ${notSmallTalk('tr3')}
        and (tr3.action = 'auto_reply' or t3.id is not null)
    )
    select m.id, m.created_at, c.channel, c.customer_id, tr.action,
      tr.result->'decision'->'details' as decision_details,
      t.status as ticket_status,
      (select min(m2.created_at) from messages m2
         join triage_results tr2 on tr2.message_id = m2.id
        where m2.conversation_id = m.conversation_id and m2.direction = 'inbound'
          and m2.created_at > m.created_at and ${notSmallTalk('tr2')}) as next_message_at,
      (select min(m2.created_at) from messages m2
         join triage_results tr2 on tr2.message_id = m2.id
        where m2.conversation_id = m.conversation_id and m2.direction = 'inbound'
          and m2.created_at > m.created_at
          and tr2.result->>'smallTalk' in ('thanks', 'acknowledgement')) as next_thanks_at,
      repeat.next_contact_at,
      solve.at as first_solved_at,
      (select count(*) from messages m4
        where t.id is not null and m4.conversation_id = m.conversation_id and m4.author = 'agent'
          and m4.created_at >= m.created_at
          and (solve.at is null or m4.created_at <= solve.at))::int as agent_replies,
      (select min(r.at) from agent_actions r
        where r.ticket_id = t.id and r.action = 'reopen' and r.at > solve.at) as reopened_at,
      (select min(t5.created_at) from tickets t5
        where t5.conversation_id = m.conversation_id and t5.created_at > solve.at) as next_ticket_at
    from messages m
    join conversations c on c.id = m.conversation_id
    join triage_results tr on tr.message_id = m.id
    left join tickets t on t.id = tr.ticket_id and t.message_id = m.id
    join repeat on repeat.id = m.id
    left join lateral (
      select min(s.at) as at from agent_actions s where s.ticket_id = t.id and s.action = 'solve'
    ) solve on true
    where m.direction = 'inbound' and ${inRange(sql`m.created_at`, filter)}
      and ${notSmallTalk('tr')}
      and (tr.action = 'auto_reply' or t.id is not null)
      ${channelIs(filter)} ${categoryIs(sql`tr.category`, filter)}
    order by m.created_at, m.id`.execute(db);
  return result.rows;
}

export interface TicketClockRow {
  id: string;
  status: string;
  created_at: Moment;
  first_responded_at: Moment;
  first_response_due_at: Moment;
  resolution_due_at: Moment;
  solved_at: Moment;
}

/** Tickets created in the range with their SLA clocks. */
export async function ticketClockRows(
  db: Kysely<Database>,
  filter: KpiFilter,
): Promise<TicketClockRow[]> {
  const result = await sql<TicketClockRow>`
    select t.id, t.status, t.created_at, t.first_responded_at, t.first_response_due_at,
      t.resolution_due_at, t.solved_at
    from tickets t join conversations c on c.id = t.conversation_id
    where ${inRange(sql`t.created_at`, filter)}
      ${channelIs(filter)} ${categoryIs(sql`t.category`, filter)}
    order by t.created_at, t.id`.execute(db);
  return result.rows;
}

export interface SolveRow {
  ticket_id: string;
  at: Moment;
  reopened_at: Moment;
  next_ticket_at: Moment;
}

/** Solve actions in the range, with the first reopen of the ticket and the conversation's next ticket after each. */
export async function solveRows(db: Kysely<Database>, filter: KpiFilter): Promise<SolveRow[]> {
  const result = await sql<SolveRow>`
    select a.ticket_id, a.at,
      (select min(r.at) from agent_actions r
        where r.ticket_id = a.ticket_id and r.action = 'reopen' and r.at > a.at) as reopened_at,
      (select min(t2.created_at) from tickets t2
        where t2.conversation_id = t.conversation_id and t2.created_at > a.at) as next_ticket_at
    from agent_actions a
    join tickets t on t.id = a.ticket_id
    join conversations c on c.id = t.conversation_id
    where a.action = 'solve' and ${inRange(sql`a.at`, filter)}
      ${channelIs(filter)} ${categoryIs(sql`t.category`, filter)}
    order by a.at, a.id`.execute(db);
  return result.rows;
}

export interface DraftDecisionCount {
  action: 'accept' | 'edit' | 'reject';
  count: number;
  distance_sum: number;
  distance_count: number;
}

/** Accept, edit and reject actions in the range, with the edit distances of edits. */
export async function draftDecisionCounts(
  db: Kysely<Database>,
  filter: KpiFilter,
): Promise<DraftDecisionCount[]> {
  const result = await sql<DraftDecisionCount>`
    select a.action, count(*)::int as count,
      coalesce(sum(a.edit_distance) filter (where a.action = 'edit'), 0)::int as distance_sum,
      count(a.edit_distance) filter (where a.action = 'edit')::int as distance_count
    from agent_actions a
    join tickets t on t.id = a.ticket_id
    join conversations c on c.id = t.conversation_id
    where a.action in ('accept', 'edit', 'reject') and ${inRange(sql`a.at`, filter)}
      ${channelIs(filter)} ${categoryIs(sql`t.category`, filter)}
    group by a.action`.execute(db);
  return result.rows;
}

export interface SurveyCount {
  rating: number | null;
  closed: boolean;
  count: number;
}

/** Surveys sent in the range by answer (null: none yet) and whether their window has closed. */
export async function surveyCounts(
  db: Kysely<Database>,
  filter: KpiFilter,
  now: Date,
): Promise<SurveyCount[]> {
  const result = await sql<SurveyCount>`
    select s.rating, (s.expires_at <= ${now}) as closed, count(*)::int as count
    from csat_surveys s
    join tickets t on t.id = s.ticket_id
    join conversations c on c.id = s.conversation_id
    where ${inRange(sql`s.sent_at`, filter)}
      ${channelIs(filter)} ${categoryIs(sql`t.category`, filter)}
    group by 1, 2`.execute(db);
  return result.rows;
}

export interface LlmUsage {
  triaged: number;
  llm_calls: number;
  tokens: number;
  fallbacks: number;
}

/** Every triaged customer message of the range: how many an LLM decided, its tokens, and fallbacks. */
export async function llmUsage(db: Kysely<Database>, filter: KpiFilter): Promise<LlmUsage> {
  const result = await sql<LlmUsage>`
    select count(*)::int as triaged,
      count(*) filter (where tr.result->'llm' is not null)::int as llm_calls,
      coalesce(sum((tr.result->'llm'->>'tokens')::bigint), 0)::float8 as tokens,
      count(*) filter (where tr.provider like '%:local-fallback')::int as fallbacks
    from triage_results tr
    join messages m on m.id = tr.message_id
    join conversations c on c.id = m.conversation_id
    where ${inRange(sql`m.created_at`, filter)}
      ${channelIs(filter)} ${categoryIs(sql`tr.category`, filter)}`.execute(db);
  return result.rows[0]!;
}
