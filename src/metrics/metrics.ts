/**
 * The service's Prometheus metrics: one registry per service instance (tests start many
 * services in one process, so the global default registry would mix them), the counters the
 * intake and the triage route move, and gauges read from the database when /metrics is scraped.
 */
import type { Kysely } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/tables.js';
import { unprocessedBacklog } from '../conversations/message.repository.js';
import { outboxBacklog } from '../outbox/outbox.repository.js';
import { activeTicketCountsByUrgency } from '../tickets/ticket.repository.js';
import { alertKinds } from '../alerts/alert-contract.js';
import { approvedAnswerStatuses } from '../approved-answers/approved-answer-contract.js';
import { approvedAnswerCounts } from '../approved-answers/approved-answer.repository.js';
import { unresolvedAlertCounts } from '../alerts/alert.repository.js';
import type { TriageEngine } from '../triage/engine.js';
import type { TriageResult } from '../triage/triage.js';
import { urgencyLevels } from '../triage/urgency-levels.js';

export const metricsPrefix = 'triage_';

/** Where a triage decision was made: a stored customer message, or a `/v1/triage` call. */
export type DecisionSource = 'messages' | 'triage_api';

/** One answered HTTP request, labelled so that the number of series stays bounded. */
export interface ServedRequest {
  method: string;
  /** The matched route's pattern (`/v1/tickets/:id`), never the raw path. */
  route: string;
  /** `2xx`, `4xx`, `5xx`… */
  statusClass: string;
}

export interface ServiceMetrics {
  registry: Registry;
  /** A new inbound message was stored (a repeat delivery is not counted again). */
  messageReceived(channel: string): void;
  /** A triage result was stored by the intake, or returned by `/v1/triage`. */
  decisionMade(
    source: DecisionSource,
    result: Pick<TriageResult, 'decision' | 'category' | 'approvedAnswer'>,
  ): void;
  /** The engine with its triage() timed and its LLM outcomes counted. */
  instrument(engine: TriageEngine): TriageEngine;
  /** An HTTP request was answered after `seconds` (see src/metrics/http-metrics.ts). */
  requestServed(request: ServedRequest, seconds: number): void;
}

/** What became of the LLM in one triage, read from the result (undefined: not asked). */
function llmOutcome(result: TriageResult): 'ok' | 'failed' | 'circuit_open' | undefined {
  // provider is `<name>:llm` or `<name>:local-fallback` when the LLM was asked.
  if (result.provider.endsWith(':llm')) return 'ok';
  if (!result.provider.endsWith(':local-fallback')) return undefined;
  const failure = result.details?.find((item) => item.code === 'llm_failed');
  // `unavailable` is the provider guard's refusal while the circuit is open: nothing was sent.
  return failure?.params?.code === 'unavailable' ? 'circuit_open' : 'failed';
}

export function createServiceMetrics(options: { db: Kysely<Database> }): ServiceMetrics {
  const { db } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: metricsPrefix });
  const registers = [registry];

  const messages = new Counter({
    name: `${metricsPrefix}messages_received_total`,
    help: 'Inbound customer messages stored, by channel',
    labelNames: ['channel'] as const,
    registers,
  });
  const decisions = new Counter({
    name: `${metricsPrefix}decisions_total`,
    help: 'Triage decisions, by action, category and source (messages: stored by the intake; triage_api: POST /v1/triage)',
    labelNames: ['action', 'category', 'source'] as const,
    registers,
  });
  const approvedReplies = new Counter({
    name: `${metricsPrefix}approved_answer_replies_total`,
    help: "Automatic answers that sent an admin-approved answer instead of the entry's text, by source (as decisions_total)",
    labelNames: ['source'] as const,
    registers,
  });
  const pipeline = new Histogram({
    name: `${metricsPrefix}pipeline_seconds`,
    help: "Time of the triage engine's triage() (every step, the LLM included when it is asked)",
    // Local models answer in milliseconds; an LLM call takes seconds.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const llmCalls = new Counter({
    name: `${metricsPrefix}llm_calls_total`,
    help: 'Triages that went to the LLM, by outcome (ok: its answer was used; failed: the call failed and the local result was kept; circuit_open: not sent, the circuit breaker is open)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const httpRequests = new Histogram({
    name: `${metricsPrefix}http_request_duration_seconds`,
    help: 'Time to answer an HTTP request, by method, route pattern and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    // Probes and reads take milliseconds; triage with an LLM and document uploads take seconds.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  new Gauge({
    name: `${metricsPrefix}intake_backlog`,
    help: 'Customer messages stored and not yet triaged (the queue of every instance on this database)',
    registers,
    async collect() {
      this.set((await unprocessedBacklog(db)).count);
    },
  });
  new Gauge({
    name: `${metricsPrefix}intake_oldest_age_seconds`,
    help: 'Age of the oldest untriaged customer message (0 when none waits)',
    registers,
    async collect() {
      const { oldest } = await unprocessedBacklog(db);
      this.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: `${metricsPrefix}outbox_pending`,
    help: 'Outbound replies waiting for delivery',
    registers,
    async collect() {
      this.set((await outboxBacklog(db)).pending);
    },
  });
  new Gauge({
    name: `${metricsPrefix}outbox_failed`,
    help: 'Outbound replies given up on (see the audit log)',
    registers,
    async collect() {
      this.set((await outboxBacklog(db)).failed);
    },
  });
  new Gauge({
    name: `${metricsPrefix}tickets_open`,
    help: 'Tickets open or pending the customer, by urgency level',
    labelNames: ['urgency'] as const,
    registers,
    async collect() {
      const counts = await activeTicketCountsByUrgency(db);
      // Every level is reported, 0 included, so a level that empties does not vanish.
      this.reset();
      for (const level of urgencyLevels) this.set({ urgency: level }, 0);
      for (const { urgency, count } of counts) this.set({ urgency }, count);
    },
  });
  new Gauge({
    name: `${metricsPrefix}alerts_open`,
    help: 'Surge alerts not yet resolved (open or acknowledged), by kind (category, entry, carrier)',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      const counts = await unresolvedAlertCounts(db);
      this.reset();
      for (const kind of alertKinds) this.set({ kind }, 0);
      for (const { kind, count } of counts) this.set({ kind }, count);
    },
  });

  new Gauge({
    name: `${metricsPrefix}approved_answers`,
    help: 'Answers proposed from agents’ replies, by review status (pending: waiting for an admin)',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      const counts = await approvedAnswerCounts(db);
      this.reset();
      for (const status of approvedAnswerStatuses) this.set({ status }, 0);
      for (const { status, count } of counts) this.set({ status }, count);
    },
  });

  return {
    registry,
    messageReceived: (channel) => messages.inc({ channel }),
    decisionMade: (source, result) => {
      decisions.inc({
        action: result.decision.action,
        category: result.category ?? 'none',
        source,
      });
      if (result.approvedAnswer) approvedReplies.inc({ source });
    },
    requestServed: (request, seconds) =>
      httpRequests.observe(
        { method: request.method, route: request.route, status_class: request.statusClass },
        seconds,
      ),
    instrument: (engine) => ({
      ...engine,
      async triage(request, context) {
        const stop = pipeline.startTimer();
        try {
          const result = await engine.triage(request, context);
          const outcome = llmOutcome(result);
          if (outcome) llmCalls.inc({ outcome });
          return result;
        } finally {
          stop();
        }
      },
    }),
  };
}
