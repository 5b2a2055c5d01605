/**
 * Every KPI's definition in words, with the windows of the query filled in: returned next to
 * each figure and written in the README's KPI section (a test keeps the two the same).
 */
import type { KpiKey, KpiQuery } from './kpi-contract.js';

export type KpiWindows = Pick<
  KpiQuery,
  'followUpHours' | 'durableDays' | 'repeatDays' | 'firstResponseTargetMinutes'
>;

export const defaultKpiWindows: KpiWindows = {
  followUpHours: 24,
  durableDays: 7,
  repeatDays: 7,
  firstResponseTargetMinutes: 3,
};

const contact =
  'A contact is a customer message received in the range with a stored triage result that is not only a greeting, thanks or acknowledgement, and that the bot answered (action auto_reply) or that opened a ticket (a message merged into an already open ticket belongs to that ticket and is not a new contact)';

const days = (count: number) => `${count} day${count === 1 ? '' : 's'}`;
const hours = (count: number) => `${count} h`;

export function kpiDefinitions(
  windows: KpiWindows,
): Record<KpiKey | 'handoffReasons' | 'csatDistribution' | 'daily', string> {
  const followUp = hours(windows.followUpHours);
  const durable = days(windows.durableDays);
  const followedUpBy = `the customer wrote again in the same conversation within ${followUp} with a message that is not only a greeting, thanks or acknowledgement (a survey rating is not triaged and does not count)`;
  const workingTime =
    'working time by the service hours (knowledge-base/service-hours.yaml: working days, hours and holidays in its time zone; every minute when its clock is calendar)';
  return {
    automaticAnswerRate: `Contacts the bot answered alone / contacts. ${contact}.`,
    handoffRate: `Contacts that opened a ticket for a person / contacts (so with automaticAnswerRate it adds up to 1). ${contact}.`,
    autoAnswersFollowedUp: `Automatic answers (contacts answered alone) after which ${followedUpBy} / automatic answers decided. Pending: answered less than ${followUp} ago and not followed up yet.`,
    autoAnswersConfirmed: `Confirmed resolution: automatic answers not followed up within ${followUp} to which the customer replied with only thanks or an acknowledgement within ${followUp} / automatic answers decided.`,
    autoAnswersAssumed: `Assumed resolution: automatic answers after which the customer sent nothing but greetings within ${followUp} (they left; counted as resolved without proof) / automatic answers decided.`,
    solvesDurable: `Solves (agent solve actions in the range, each counted) not reopened within ${durable} / solves decided. Reopened: an agent reopened the ticket, or the customer's next message in that conversation opened a new ticket, within ${durable} of the solve. Pending: solved less than ${durable} ago and not reopened yet.`,
    solvesReopened: `Solves in the range reopened within ${durable} (by an agent, or by the customer opening a new ticket in the same conversation) / solves decided.`,
    firstResponseMean: `Mean ${workingTime} from a ticket's creation to its first reply by a person (an agent's reply in the console or on the platform; the bot's acknowledgement does not count), over tickets created in the range that have one. Minutes. Pending: open tickets without a reply yet; tickets solved or closed without any reply are only in slaFirstResponse.`,
    firstResponseP90: `90th percentile (nearest rank) of the same first-response times: 90 % of first replies came within this many working minutes.`,
    firstResponseWithinTarget: `Tickets created in the range whose first reply by a person came within ${windows.firstResponseTargetMinutes} working minutes / tickets created in the range that have a first reply.`,
    slaFirstResponse: `Tickets created in the range whose first-response clock stopped by its due time / tickets whose clock stopped or is past due. The clock stops at the first reply by a person, or at the solve or close of a ticket never replied to (as the queue shows it); due times are the category's SLA in working time. Pending: clock still running.`,
    slaResolution: `Tickets created in the range solved (or closed) by their resolution due time / tickets solved, closed or past due. A reopened ticket's clock runs again. Pending: open and not yet due.`,
    firstContactResolution: `Contacts resolved without the customer having to come back / contacts decided: an automatic answer not followed up within ${followUp}, or a ticket solved after at most one reply by a person and not reopened within ${durable}. Not resolved: followed up, or the ticket took more replies, was reopened or was closed without a solve. Pending: window not elapsed or ticket not solved yet.`,
    repeatContactRate: `Contacts followed by another contact from the same customer (same channel and customer id, any conversation) within ${days(windows.repeatDays)} / contacts decided. Pending: less than ${days(windows.repeatDays)} ago and no repeat yet.`,
    draftsUnchanged: `Drafts sent unchanged (agent action accept in the range) / decisions on drafts (accept, edit, reject).`,
    draftsEdited: `Drafts edited before sending (agent action edit) / decisions on drafts (accept, edit, reject).`,
    draftsRejected: `Drafts rejected (agent action reject) / decisions on drafts (accept, edit, reject).`,
    meanEditDistance: `Mean Levenshtein distance in characters between the draft and the text sent, over drafts edited in the range (numerator: sum of distances).`,
    csatScore: `CSAT: survey answers of 4 or 5 / survey answers, for surveys sent in the range (a survey asks for a 1-5 rating when a ticket is solved).`,
    csatMeanRating: `Mean rating (1-5) of the answers to surveys sent in the range.`,
    csatResponseRate: `Surveys answered / surveys sent in the range that were answered or whose answer window closed. Pending: still open.`,
    llmShare: `Triaged messages whose stored result records an LLM call that decided (result.llm) / every customer message received in the range with a triage result (greetings and follow-ups included, since each is triaged).`,
    llmTokens: `Tokens of those LLM calls as recorded with the results (result.llm.tokens). Value and numerator: tokens; denominator: calls.`,
    llmFallbacks: `Triaged messages whose LLM call failed or was refused by the circuit breaker, so the local models' result was kept and the message handed off (provider ending in :local-fallback).`,
    llmCost: `Not measured: no price or cost is stored with triage results. Multiply llmTokens by the provider's price per token.`,
    handoffReasons: `Reason codes stored with the decision of each hand-off contact (result.decision.details[].code, e.g. risk_flags, classifier_unsure, no_match): count and share of hand-offs. A hand-off may carry several codes, so shares can add up to more than 1; unrecorded: a result stored without codes.`,
    csatDistribution: `Answers per rating 1 to 5, for surveys sent in the range.`,
    daily: `Contacts, automatic answers and hand-offs per calendar day of the service hours time zone.`,
  };
}
