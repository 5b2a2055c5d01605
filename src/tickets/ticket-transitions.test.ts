import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/tables.js';
import { type TicketRow, urgencyRankSql } from './ticket.repository.js';
import { planTransition, ticketTransitions } from './ticket-transitions.js';
import { escalatedUrgency } from './ticket-urgency.js';

const now = new Date('2026-03-02T10:00:00Z');
const earlier = new Date('2026-03-01T10:00:00Z');
const ticket = (changes: Partial<TicketRow> = {}): TicketRow => ({
  id: 't1',
  conversation_id: 'c1',
  message_id: 'm1',
  status: 'open',
  category: 'refund',
  urgency_score: 40,
  urgency_level: 'normal',
  reasons: [],
  draft: 'Your refund is on its way.',
  evidence: [],
  assignee: null,
  first_response_due_at: null,
  resolution_due_at: null,
  version: 1,
  created_at: earlier,
  updated_at: earlier,
  first_responded_at: null,
  solved_at: null,
  last_customer_message_at: earlier,
  escalated: false,
  team: null,
  escalation_level: 0,
  escalation_check_at: null,
  language: 'en',
  subject: 'refund',
  redacted_at: null,
  ...changes,
});

describe('ticket transitions', () => {
  it('allows each action only from its states', () => {
    expect(ticketTransitions.pending.from).toEqual(['open']);
    expect(ticketTransitions.reopen.from).toEqual(['solved', 'closed']);
    expect(ticketTransitions.close.from).toEqual(['open', 'pending_customer', 'solved']);
    for (const action of [
      'accept',
      'edit',
      'reply',
      'reject',
      'reassign',
      'escalate',
      'solve',
    ] as const) {
      expect(ticketTransitions[action].from).toEqual(['open', 'pending_customer']);
    }
  });

  it('an accepted draft is sent, stops the first-response clock once and takes the ticket for the agent', () => {
    const plan = planTransition(ticket(), { action: 'accept', version: 1 }, 'ana', now);
    expect(plan.text).toBe('Your refund is on its way.');
    expect(plan.ticket).toEqual({
      status: 'pending_customer',
      first_responded_at: now,
      assignee: 'ana',
    });
    expect(plan.transition.conversation).toBe('agent');
    expect(plan.record).toEqual({ draft: 'Your refund is on its way.' });

    const again = planTransition(
      ticket({ first_responded_at: earlier, assignee: 'bo' }),
      { action: 'reply', text: 'More', version: 2 },
      'ana',
      now,
    );
    expect(again.ticket).toEqual({ status: 'pending_customer' });
    expect(again.text).toBe('More');
    expect(again.record).toEqual({});
  });

  it('accepting without a draft has nothing to send', () => {
    expect(
      planTransition(ticket({ draft: null }), { action: 'accept', version: 1 }, 'ana', now).text,
    ).toBeNull();
  });

  it('solve stops the resolution clock; close keeps an earlier stop; reopen restarts it', () => {
    expect(
      planTransition(ticket({ solved_at: earlier }), { action: 'solve', version: 1 }, 'ana', now)
        .ticket,
    ).toEqual({ status: 'solved', solved_at: now });
    expect(
      planTransition(
        ticket({ status: 'solved', solved_at: earlier }),
        { action: 'close', version: 1 },
        'ana',
        now,
      ).ticket,
    ).toEqual({ status: 'closed' });
    expect(planTransition(ticket(), { action: 'close', version: 1 }, 'ana', now).ticket).toEqual({
      status: 'closed',
      solved_at: now,
    });
    const reopen = planTransition(
      ticket({ status: 'closed', solved_at: earlier }),
      { action: 'reopen', version: 1 },
      'ana',
      now,
    );
    expect(reopen.ticket).toEqual({ status: 'open', solved_at: null });
    expect(reopen.transition.needsNoOtherOpenTicket).toBe(true);
  });

  it('reject records the reason and corrects the category; reassign and escalate change only their columns', () => {
    const reject = planTransition(
      ticket(),
      { action: 'reject', reason: 'wrong policy', category: 'shipping', version: 1 },
      'ana',
      now,
    );
    expect(reject.ticket).toEqual({ category: 'shipping' });
    expect(reject.record).toEqual({
      draft: 'Your refund is on its way.',
      reason: 'wrong policy',
      category: 'shipping',
    });
    expect(
      planTransition(ticket(), { action: 'reassign', assignee: 'bo', version: 1 }, 'ana', now),
    ).toMatchObject({ ticket: { assignee: 'bo' }, record: { reason: 'to bo' } });
    expect(
      planTransition(ticket(), { action: 'escalate', reason: 'VIP', version: 1 }, 'ana', now)
        .ticket,
    ).toEqual({ escalated: true, urgency_score: 75, urgency_level: 'high' });
  });
});

describe('ticket urgency', () => {
  it('escalation lifts urgency to high at least and never lowers it', () => {
    expect(escalatedUrgency({ score: 20, level: 'low' })).toEqual({ score: 75, level: 'high' });
    expect(escalatedUrgency({ score: 80, level: 'high' })).toEqual({ score: 80, level: 'high' });
    expect(escalatedUrgency({ score: 95, level: 'critical' })).toEqual({
      score: 95,
      level: 'critical',
    });
  });

  it('the queue ranks critical, high, normal, then the rest', () => {
    const db = new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (database) => new PostgresIntrospector(database),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    const { sql } = db.selectFrom('tickets').select(urgencyRankSql.as('rank')).compile();
    expect(sql).toContain(
      `case tickets.urgency_level when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`,
    );
  });
});
