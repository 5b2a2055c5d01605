/**
 * The scheduled SLA escalation job: every interval it claims the open tickets whose next step
 * may be due (row locks with SKIP LOCKED, so several instances share the work and never take
 * one ticket twice), works out the steps their running SLA clocks reached (escalation-plan.ts),
 * records each step once (unique per ticket, clock and level), raises the ticket's urgency
 * (only up, which moves it up the queue) and escalation level, tells the people the step names
 * in the console (notifications) and through the alert webhook, and writes the audit log.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { appendAuditEntry } from '../audit/audit.repository.js';
import type { Database } from '../db/tables.js';
import { insertNotifications } from '../notifications/notification.repository.js';
import type { ServiceHours } from '../sla/service-hours.js';
import { defaultSlaTargets } from '../sla/sla-clock.js';
import { escalationPathOf, type TeamsConfig } from '../teams/teams.js';
import type { TicketRow } from '../tickets/ticket.repository.js';
import type { Clock } from '../time/clock.js';
import type { Taxonomy } from '../triage/taxonomy.js';
import {
  planEscalation,
  raisedUrgency,
  type ReachedStep,
  recipientsOf,
  type SlaClock,
  type Urgency,
} from './escalation-plan.js';
import {
  claimTicketsToCheck,
  insertEscalation,
  setEscalationCheck,
  takenSteps,
  updateEscalatedTicket,
} from './escalation.repository.js';
import type { EscalationWebhook } from './escalation-webhook.js';

export interface EscalationJobOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  teams: TeamsConfig;
  taxonomy: Taxonomy;
  serviceHours: ServiceHours;
  /** How often a run starts; 0: the job never runs by itself. */
  intervalMs: number;
  /** The alert webhook; absent: escalations are only shown in the console and logged. */
  webhook?: EscalationWebhook;
  /** Tickets claimed per transaction. Default 50. */
  batchSize?: number;
}

export interface Escalation {
  ticketId: string;
  clock: SlaClock;
  level: number;
  urgency: { from: Urgency; to: Urgency };
  recipients: string[];
}

export interface EscalationJob {
  /** One run at the clock's time: the steps taken, then the due webhook notifications. */
  runOnce(): Promise<{ checked: number; escalated: Escalation[] }>;
  start(): void;
  stop(): Promise<void>;
}

const maxBatchesPerRun = 20;
const moment = (value: Date | string | null) => (value ? new Date(value) : null);

export function createEscalationJob(options: EscalationJobOptions): EscalationJob {
  const { db, clock, logger, teams } = options;
  const batchSize = options.batchSize ?? 50;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function escalate(
    trx: Transaction<Database>,
    ticket: TicketRow,
    taken: ReadonlySet<string>,
    now: Date,
  ): Promise<Escalation[]> {
    const category = options.taxonomy.categories.find((found) => found.key === ticket.category);
    const plan = planEscalation(
      {
        createdAt: new Date(ticket.created_at),
        firstRespondedAt: moment(ticket.first_responded_at),
        solvedAt: moment(ticket.solved_at),
        firstResponseDueAt: moment(ticket.first_response_due_at),
        resolutionDueAt: moment(ticket.resolution_due_at),
      },
      {
        path: escalationPathOf(teams, ticket.team),
        targets: category?.sla ?? defaultSlaTargets,
        hours: options.serviceHours,
        now,
        taken,
      },
    );
    if (plan.reached.length === 0) {
      await setEscalationCheck(trx, ticket.id, plan.nextCheckAt);
      return [];
    }
    const team = teams.teams.find((found) => found.key === ticket.team);
    const people = {
      assignee: ticket.assignee,
      lead: team?.lead ?? null,
      members: team?.members.map((member) => member.username) ?? [],
      dutyManagers: teams.dutyManagers,
    };
    const before: Urgency = { score: ticket.urgency_score, level: ticket.urgency_level };
    let urgency = before;
    let level = ticket.escalation_level;
    const done: Escalation[] = [];
    // A clock that passed several steps since the last look (the job was stopped) tells
    // people once, of its highest step; the lower ones are recorded so they are not repeated.
    const highest = new Map<SlaClock, number>();
    for (const reached of plan.reached)
      highest.set(reached.clock, Math.max(highest.get(reached.clock) ?? 0, reached.step.level));
    for (const reached of plan.reached) {
      const top = highest.get(reached.clock) === reached.step.level;
      const recipients = top ? recipientsOf(reached.step.notify, people) : [];
      const from = urgency;
      urgency = raisedUrgency(urgency, reached.step.urgency);
      level = Math.max(level, reached.step.level);
      const row = await insertEscalation(trx, {
        ticketId: ticket.id,
        clock: reached.clock,
        level: reached.step.level,
        atShare: reached.step.at,
        urgencyLevel: reached.step.urgency,
        team: ticket.team,
        dueAt: reached.dueAt,
        recipients,
        reachedAt: now,
        notify: top && options.webhook !== undefined,
      });
      if (!row) continue;
      await insertNotifications(
        trx,
        recipients.map((recipient) => ({
          recipient,
          kind: 'ticket.escalated',
          ticketId: ticket.id,
          escalationId: row.id,
          at: now,
        })),
      );
      await appendAuditEntry(
        trx,
        auditEntry(ticket, reached, { from, to: urgency, recipients, now }),
      );
      done.push({
        ticketId: ticket.id,
        clock: reached.clock,
        level: reached.step.level,
        urgency: { from, to: urgency },
        recipients,
      });
    }
    await updateEscalatedTicket(trx, ticket.id, { level, urgency, checkAt: plan.nextCheckAt, now });
    return done;
  }

  async function runOnce() {
    const now = clock.now();
    let checked = 0;
    const escalated: Escalation[] = [];
    for (let batch = 0; batch < maxBatchesPerRun; batch++) {
      const claimed = await db.transaction().execute(async (trx) => {
        const tickets = await claimTicketsToCheck(trx, { now, limit: batchSize });
        const taken = await takenSteps(
          trx,
          tickets.map((ticket) => ticket.id),
        );
        for (const ticket of tickets)
          escalated.push(...(await escalate(trx, ticket, taken.get(ticket.id) ?? new Set(), now)));
        return tickets.length;
      });
      checked += claimed;
      if (claimed < batchSize) break;
    }
    for (const escalation of escalated)
      logger.warn(
        { ...escalation, urgency: escalation.urgency.to.level },
        'ticket escalated (SLA)',
      );
    await options.webhook?.deliverDue();
    return { checked, escalated };
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error) => logger.error({ err: error }, 'escalation run failed'))
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (!stopped || options.intervalMs <= 0) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

function auditEntry(
  ticket: TicketRow,
  reached: ReachedStep,
  change: { from: Urgency; to: Urgency; recipients: string[]; now: Date },
) {
  return {
    actorType: 'system' as const,
    actorId: 'escalation',
    action: 'ticket.sla_escalated',
    subjectType: 'ticket',
    subjectId: ticket.id,
    details: {
      clock: reached.clock,
      level: reached.step.level,
      at: reached.step.at,
      dueAt: reached.dueAt.toISOString(),
      team: ticket.team,
      urgencyFrom: change.from.level,
      urgencyTo: change.to.level,
      recipients: change.recipients,
    },
    at: change.now,
  };
}
