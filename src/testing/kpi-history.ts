/**
 * A week of desk history with known KPI answers (src/stats/kpi.routes.test.ts works them out
 * item by item): stored rows as the service writes them — conversations, customer messages with
 * triage results, bot and agent replies, tickets with their SLA clocks, agent actions and
 * satisfaction surveys — in the week of Monday 2026-03-09 in Shanghai (the shipped service
 * hours: weekdays 09:00-21:00, weekends 10:00-18:00), looked at on Friday 2026-03-20 12:00.
 */
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { fallbackTriageResult } from '../conversations/fallback-result.js';
import type { Database } from '../db/tables.js';
import type { ServiceHours } from '../sla/service-hours.js';
import { slaDueTimes } from '../sla/sla-clock.js';
import type { TriageResult } from '../triage/triage.js';

/** Shanghai wall-clock time "2026-03-09 10:00" as a moment. */
export const shanghai = (local: string) =>
  DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone: 'Asia/Shanghai' }).toJSDate();

export const kpiHistoryRange = {
  from: shanghai('2026-03-09 00:00').toISOString(),
  to: shanghai('2026-03-16 00:00').toISOString(),
};
export const kpiHistoryNow = shanghai('2026-03-20 12:00');

interface Triage {
  action: 'auto_reply' | 'handoff';
  category?: string | null;
  smallTalk?: 'greeting' | 'thanks' | 'acknowledgement';
  /** Decision reason codes; undefined: a result stored without codes. */
  codes?: string[];
  llmTokens?: number;
  provider?: string;
}

export async function seedKpiHistory(db: Kysely<Database>, hours: ServiceHours) {
  let sequence = 0;

  async function conversation(channel: string, customerId: string) {
    const row = await db
      .insertInto('conversations')
      .values({
        channel,
        external_id: `kpi-conv-${++sequence}`,
        customer_id: customerId,
        customer_name: null,
      })
      .returning(['id', 'channel'])
      .executeTakeFirstOrThrow();
    return { ...row, messages: 0 };
  }
  type Conversation = Awaited<ReturnType<typeof conversation>>;

  function result(at: Date, triage: Triage): TriageResult {
    const base = fallbackTriageResult('seeded', at, 'seeded', hours);
    const details = triage.codes?.map((code) => ({ code, params: {} }));
    return {
      ...base,
      category: triage.category ?? null,
      decision: {
        action: triage.action,
        reasons: triage.codes ?? [],
        ...(details ? { details } : {}),
      },
      ...(triage.smallTalk ? { smallTalk: triage.smallTalk } : {}),
      ...(triage.llmTokens
        ? { llm: { model: 'gpt-4o-mini', tokens: triage.llmTokens, latencyMs: 800 } }
        : {}),
      provider: triage.provider ?? (triage.llmTokens ? 'cascade:llm' : 'local'),
      flags: [],
    };
  }

  async function message(
    conv: Conversation,
    local: string,
    author: 'customer' | 'bot' | 'agent',
    text = 'seeded',
  ) {
    const at = shanghai(local);
    const row = await db
      .insertInto('messages')
      .values({
        conversation_id: conv.id,
        channel: conv.channel,
        external_message_id: author === 'customer' ? `kpi-msg-${++sequence}` : null,
        direction: author === 'customer' ? 'inbound' : 'outbound',
        author,
        author_id: author === 'agent' ? 'mei' : author,
        text,
        created_at: at,
        processing: 'triaged',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, at };
  }

  /** A customer message with its triage result (and the bot's answer when it answered). */
  async function customer(conv: Conversation, local: string, triage: Triage, ticketId?: string) {
    const stored = await message(conv, local, 'customer');
    const triageResult = result(stored.at, triage);
    await db
      .insertInto('triage_results')
      .values({
        message_id: stored.id,
        category: triageResult.category,
        action: triage.action,
        urgency_score: 50,
        provider: triageResult.provider,
        result: JSON.stringify(triageResult),
        created_at: stored.at,
        ticket_id: ticketId ?? null,
      })
      .execute();
    if (triage.action === 'auto_reply') await message(conv, local, 'bot', 'answer');
    return stored;
  }

  /** A hand-off: the customer's message opening a ticket with working-time SLA clocks (5 min, 24 h). */
  async function handoff(
    conv: Conversation,
    local: string,
    triage: Omit<Triage, 'action'> & { category: string },
  ) {
    const stored = await customer(conv, local, { ...triage, action: 'handoff' });
    const due = slaDueTimes({ firstResponseMinutes: 5, resolutionHours: 24 }, stored.at, hours);
    const ticket = await db
      .insertInto('tickets')
      .values({
        conversation_id: conv.id,
        message_id: stored.id,
        category: triage.category,
        urgency_score: 50,
        urgency_level: 'normal',
        reasons: JSON.stringify([]),
        draft: 'draft',
        evidence: JSON.stringify([]),
        language: 'zh',
        subject: 'seeded',
        first_response_due_at: due.firstResponseDueAt,
        resolution_due_at: due.resolutionDueAt,
        created_at: stored.at,
        updated_at: stored.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('triage_results')
      .set({ ticket_id: ticket.id })
      .where('message_id', '=', stored.id)
      .execute();
    return { conv, id: ticket.id, firstResponded: false };
  }
  type Ticket = Awaited<ReturnType<typeof handoff>>;

  async function action(
    ticket: Ticket,
    kind: 'accept' | 'edit' | 'reject' | 'reply' | 'solve' | 'reopen',
    local: string,
    editDistance: number | null = null,
  ) {
    const at = shanghai(local);
    const sends = ['accept', 'edit', 'reply'].includes(kind);
    const sent = sends ? await message(ticket.conv, local, 'agent', 'reply') : undefined;
    await db
      .insertInto('agent_actions')
      .values({
        ticket_id: ticket.id,
        agent_id: 'mei',
        action: kind,
        edit_distance: editDistance,
        sent_message_id: sent?.id ?? null,
        at,
      })
      .execute();
    if (sends && !ticket.firstResponded) {
      ticket.firstResponded = true;
      await db
        .updateTable('tickets')
        .set({ first_responded_at: at })
        .where('id', '=', ticket.id)
        .execute();
    }
    if (kind === 'solve')
      await db
        .updateTable('tickets')
        .set({ status: 'solved', solved_at: at })
        .where('id', '=', ticket.id)
        .execute();
    if (kind === 'reopen')
      await db
        .updateTable('tickets')
        .set({ status: 'open', solved_at: null })
        .where('id', '=', ticket.id)
        .execute();
  }

  /** The survey sent at the solve, and the customer's bare rating (never triaged). */
  async function survey(ticket: Ticket, sentLocal: string, answer?: [string, number]) {
    const asked = await message(ticket.conv, sentLocal, 'bot', 'survey');
    const response = answer
      ? await message(ticket.conv, answer[0], 'customer', String(answer[1]))
      : undefined;
    await db
      .insertInto('csat_surveys')
      .values({
        ticket_id: ticket.id,
        conversation_id: ticket.conv.id,
        message_id: asked.id,
        language: 'zh',
        sent_at: asked.at,
        expires_at: new Date(asked.at.getTime() + 72 * 3_600_000),
        rating: answer?.[1] ?? null,
        response_message_id: response?.id ?? null,
        answered_at: response?.at ?? null,
      })
      .execute();
  }

  // Before the range: not counted.
  const a = await conversation('web', 'cust-a');
  await customer(a, '2026-03-08 23:00', { action: 'auto_reply', category: 'refund' });

  // #1 answered, the customer thanks: confirmed.
  await customer(a, '2026-03-09 10:00', {
    action: 'auto_reply',
    category: 'refund',
    llmTokens: 100,
  });
  await customer(a, '2026-03-09 10:05', { action: 'auto_reply', smallTalk: 'thanks' });
  // #2 answered, nothing more: assumed.
  const b = await conversation('web', 'cust-b');
  await customer(b, '2026-03-09 11:00', { action: 'auto_reply', category: 'logistics' });
  // #3 answered, followed up two hours later by #4, which a person handles (T3).
  const c = await conversation('web', 'cust-c');
  await customer(c, '2026-03-10 10:00', {
    action: 'auto_reply',
    category: 'logistics',
    llmTokens: 150,
  });
  const t3 = await handoff(c, '2026-03-10 12:00', {
    category: 'logistics',
    codes: ['classifier_unsure', 'no_match'],
  });
  await action(t3, 'accept', '2026-03-10 12:02');
  await action(t3, 'solve', '2026-03-10 15:00');
  await survey(t3, '2026-03-10 15:00', ['2026-03-10 15:30', 5]);
  // #10 after hours on Tuesday (first reply Wednesday 09:04: 4 working minutes).
  const g = await conversation('web', 'cust-g');
  const t10 = await handoff(g, '2026-03-10 21:30', {
    category: 'refund',
    codes: ['request_needs_person'],
  });
  await action(t10, 'reject', '2026-03-11 09:00');
  await action(t10, 'reply', '2026-03-11 09:04');
  await action(t10, 'solve', '2026-03-11 10:00');
  await survey(t10, '2026-03-11 10:00', ['2026-03-11 10:30', 4]);
  // #5 answered, followed up the same evening by #6 (answered, nothing more).
  const d = await conversation('web', 'cust-d');
  await customer(d, '2026-03-11 10:00', { action: 'auto_reply', category: 'invoice' });
  await customer(d, '2026-03-11 20:00', { action: 'auto_reply', category: 'invoice' });
  // #7 on WeCom, answered; a bare greeting later does not count as a follow-up.
  const e1 = await conversation('wecom', 'cust-e');
  await customer(e1, '2026-03-12 10:00', { action: 'auto_reply', category: 'payment_promo' });
  await customer(e1, '2026-03-12 10:30', { action: 'auto_reply', smallTalk: 'greeting' });
  // #11 the customer of T10 comes back: a new ticket in the same conversation reopens T10's solve.
  const t11 = await handoff(g, '2026-03-12 10:00', { category: 'refund' });
  await action(t11, 'edit', '2026-03-12 10:10', 30);
  await action(t11, 'solve', '2026-03-13 10:00');
  await survey(t11, '2026-03-13 10:00', ['2026-03-13 11:00', 2]);
  // #8 Friday 20:58, first reply Saturday 10:03 (2 + 3 working minutes), two replies, reopened.
  const f = await conversation('web', 'cust-f');
  const t8 = await handoff(f, '2026-03-13 20:58', {
    category: 'quality_issue',
    codes: ['person_only_category'],
    llmTokens: 250,
  });
  // A follow-up merged into the open ticket: part of T8, not a new contact.
  await customer(
    f,
    '2026-03-14 09:00',
    { action: 'handoff', category: 'quality_issue', codes: ['agent_handling'] },
    t8.id,
  );
  await action(t8, 'edit', '2026-03-14 10:03', 12);
  await action(t8, 'reply', '2026-03-14 11:00');
  await action(t8, 'solve', '2026-03-14 11:00');
  await survey(t8, '2026-03-14 11:00');
  await action(t8, 'reopen', '2026-03-16 10:00');
  await action(t8, 'solve', '2026-03-16 11:00');
  // #9 the WeCom customer again, in a new conversation: a complaint nobody has answered yet.
  const e2 = await conversation('wecom', 'cust-e');
  await handoff(e2, '2026-03-14 10:00', {
    category: 'complaint',
    codes: ['risk_flags', 'urgency_above'],
    provider: 'cascade:local-fallback',
  });
}
