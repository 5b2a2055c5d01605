/**
 * What the retention job writes over a customer's words: the stored shapes keep their fields,
 * categories, scores, codes and times (so counts, KPIs and replays of a decision still work),
 * and every place that holds or repeats text (the message, the reply and draft, quoted evidence
 * in reasons, extracted order and tracking numbers) gets the placeholder instead.
 */
import { type OutboundPayload, outboundPayloadSchema } from '../outbox/outbox.repository.js';
import { type TriageResult, triageResultSchema } from '../triage/triage.js';

/** The text a redacted message, reply or draft is left with. */
export const REDACTED = '[redacted]';

/** Reason parameters that quote the customer (urgency signals, risk checks) or a failure's detail. */
const quotingParams = new Set(['evidence', 'amount', 'error']);

/**
 * A reason sentence without the customer's words: reasons quote them in double quotes
 * (`anger: "垃圾"`), from the first quote to the last, since the quote may hold quotes itself.
 */
export function redactReasonText(reason: string): string {
  return reason.replace(/"[\s\S]*"/, `"${REDACTED}"`);
}

type Params = Record<string, string | number>;

function redactParams(params: Params): Params {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [
      key,
      quotingParams.has(key) && typeof value === 'string' ? REDACTED : value,
    ]),
  );
}

const redactDetails = <T extends { params: Params }>(details: T[] | undefined) =>
  details?.map((item) => ({ ...item, params: redactParams(item.params) }));

/** A stored triage result with the reply, quoted evidence and extracted references removed. */
export function redactTriageResult(stored: unknown): TriageResult {
  const result = triageResultSchema.parse(stored);
  return {
    ...result,
    urgency: {
      ...result.urgency,
      reasons: result.urgency.reasons.map(redactReasonText),
      details: redactDetails(result.urgency.details),
    },
    decision: {
      ...result.decision,
      reasons: result.decision.reasons.map(redactReasonText),
      details: redactDetails(result.decision.details),
    },
    reply: { ...result.reply, text: result.reply.text ? REDACTED : '' },
    // Order and tracking numbers lead to the customer; how many there were, the carrier (the
    // surge detector counts carriers from here, over a baseline that may reach past the
    // retention period) and the amounts at stake say nothing about who. Anything else found
    // (dates: a birthday, a trip) goes.
    entities: {
      amounts: result.entities.amounts,
      orderNumbers: result.entities.orderNumbers.map(() => REDACTED),
      trackingNumbers: result.entities.trackingNumbers.map((tracking) => ({
        ...tracking,
        number: REDACTED,
      })),
    },
    reasons: result.reasons.map(redactReasonText),
    details: redactDetails(result.details),
  };
}

/** An outbox row's payload with the reply text or hand-off draft and reasons removed. */
export function redactOutboxPayload(stored: unknown): OutboundPayload {
  const payload = outboundPayloadSchema.parse(stored);
  if (payload.type === 'message.outbound') return { ...payload, text: REDACTED };
  return {
    ...payload,
    reasons: payload.reasons.map(redactReasonText),
    draft: payload.draft === null ? null : REDACTED,
  };
}

/**
 * An audit entry's details about a message or ticket: reason sentences lose their quotes, and
 * free text an agent or a failure wrote (`reason`, `error`, `text`) becomes the placeholder.
 * Codes, counts, categories and ids stay.
 */
export function redactAuditDetails(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).map(([key, value]) => {
      if (key === 'reasons' && Array.isArray(value))
        return [
          key,
          value.map((item) => (typeof item === 'string' ? redactReasonText(item) : item)),
        ];
      if (['reason', 'error', 'text', 'draft'].includes(key) && typeof value === 'string')
        return [key, REDACTED];
      return [key, value];
    }),
  );
}
