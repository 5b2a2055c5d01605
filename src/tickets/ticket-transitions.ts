/**
 * The ticket state machine as data: for each agent action, the states it is allowed from and
 * what it changes (status, assignee, urgency, the SLA clocks, who holds the conversation, what
 * is sent and recorded), and one function that turns an action on a ticket into those changes.
 */
import type { Updateable } from 'kysely';
import type { AgentActionKind, TicketsTable } from '../db/tables.js';
import { activeTicketStatuses, type TicketAction, type TicketStatus } from './ticket-contract.js';
import type { TicketRow } from './ticket.repository.js';
import { escalatedUrgency } from './ticket-urgency.js';

export interface TicketTransition {
  /** The states the action is allowed from; any other is a conflict. */
  from: readonly TicketStatus[];
  /** The status afterwards; absent: unchanged. */
  status?: TicketStatus;
  /** A reply goes to the customer: the ticket's draft as it is, or the agent's text. */
  sends?: 'draft' | 'text';
  /** `stop`: the first-response clock stops now unless it already has. */
  firstResponse?: 'stop';
  /** `stop`: the resolution clock stops now; `stop-once`: now unless it already has; `restart`: it runs again. */
  resolution?: 'stop' | 'stop-once' | 'restart';
  /** `given`: the action names the assignee; `actor-unless-set`: the agent acting, when nobody has it. */
  assignee?: 'given' | 'actor-unless-set';
  /** `escalate`: flagged escalated, urgency lifted (ticket-urgency.ts). */
  urgency?: 'escalate';
  /** `corrected`: the action may name the right category (it must be in the taxonomy). */
  category?: 'corrected';
  /** Who holds the conversation afterwards: `agent` silences the bot, `bot` lets it answer again. */
  conversation?: 'bot' | 'agent';
  /** The ticket's draft is recorded with the action (a decision on the draft: feedback). */
  recordsDraft?: boolean;
  /** Refused while another ticket of the conversation is open (one open ticket per conversation). */
  needsNoOtherOpenTicket?: boolean;
  /** The agent action (and the audit entry `ticket.<kind>`) it leaves. */
  kind: AgentActionKind;
}

const active = activeTicketStatuses;
/** An agent's reply: it stops the first-response clock, waits for the customer, silences the bot. */
const sendsReply = {
  from: active,
  status: 'pending_customer',
  firstResponse: 'stop',
  assignee: 'actor-unless-set',
  conversation: 'agent',
} as const satisfies Partial<TicketTransition>;

export const ticketTransitions: { [A in TicketAction['action']]: TicketTransition } = {
  accept: { ...sendsReply, sends: 'draft', recordsDraft: true, kind: 'accept' },
  edit: { ...sendsReply, sends: 'text', recordsDraft: true, kind: 'edit' },
  // The agent's own follow-up, not a decision on the draft: not feedback.
  reply: { ...sendsReply, sends: 'text', kind: 'reply' },
  reject: { from: active, category: 'corrected', recordsDraft: true, kind: 'reject' },
  reassign: { from: active, assignee: 'given', kind: 'reassign' },
  escalate: { from: active, urgency: 'escalate', kind: 'escalate' },
  pending: { from: ['open'], status: 'pending_customer', kind: 'pending' },
  solve: { from: active, status: 'solved', resolution: 'stop', conversation: 'bot', kind: 'solve' },
  close: {
    from: [...active, 'solved'],
    status: 'closed',
    resolution: 'stop-once',
    conversation: 'bot',
    kind: 'close',
  },
  reopen: {
    from: ['solved', 'closed'],
    status: 'open',
    resolution: 'restart',
    needsNoOtherOpenTicket: true,
    kind: 'reopen',
  },
};

export interface TransitionPlan {
  transition: TicketTransition;
  /** Column changes of the ticket (besides the version, bumped by the claim). */
  ticket: Updateable<TicketsTable>;
  /** The text to send, when the action sends one; null when there is nothing to send. */
  text?: string | null;
  /** What the agent action records besides what was sent. */
  record: { draft?: string | null; reason?: string; category?: string };
}

/** The changes one allowed action makes to a claimed ticket (the state check is the claim's). */
export function planTransition(
  ticket: TicketRow,
  action: TicketAction,
  actor: string,
  now: Date,
): TransitionPlan {
  const transition = ticketTransitions[action.action];
  const changes: Updateable<TicketsTable> = {};
  if (transition.status) changes.status = transition.status;
  if (transition.firstResponse === 'stop' && !ticket.first_responded_at)
    changes.first_responded_at = now;
  if (transition.resolution === 'stop') changes.solved_at = now;
  if (transition.resolution === 'stop-once' && !ticket.solved_at) changes.solved_at = now;
  if (transition.resolution === 'restart') changes.solved_at = null;
  if (transition.assignee === 'given' && action.action === 'reassign')
    changes.assignee = action.assignee;
  if (transition.assignee === 'actor-unless-set' && !ticket.assignee) changes.assignee = actor;
  if (transition.urgency === 'escalate') {
    const urgency = escalatedUrgency({ score: ticket.urgency_score, level: ticket.urgency_level });
    Object.assign(changes, {
      escalated: true,
      urgency_score: urgency.score,
      urgency_level: urgency.level,
    });
  }
  if (transition.category === 'corrected' && action.action === 'reject' && action.category)
    changes.category = action.category;

  const record: TransitionPlan['record'] = {};
  if (transition.recordsDraft) record.draft = ticket.draft;
  if (action.action === 'reject')
    Object.assign(record, { reason: action.reason, category: action.category });
  if (action.action === 'reassign') record.reason = `to ${action.assignee}`;
  if (action.action === 'escalate') record.reason = action.reason;

  const text =
    transition.sends === 'draft'
      ? ticket.draft
      : transition.sends === 'text' && 'text' in action
        ? action.text
        : undefined;
  return { transition, ticket: changes, ...(transition.sends ? { text } : {}), record };
}
