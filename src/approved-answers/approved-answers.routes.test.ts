/**
 * Approved answers end to end on one service with the local models: agents' replies on tickets
 * (through the ticket API) become candidates, an admin reviews them (through the API), and an
 * approved answer is what the intake sends when the same question comes again — counted on the
 * answer and in /metrics — while another question of the same entry still gets the entry's text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedTriageResult } from '../conversations/triage-result.repository.js';
import { parseSamples, sampleValue } from '../testing/prometheus-text.js';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';
import { manualClock } from '../time/clock.js';
import { type TriageResult, triageResultSchema } from '../triage/triage.js';
import type { ApprovedAnswer } from './approved-answer-contract.js';

// A Tuesday 10:00 in Shanghai: inside working hours.
const clock = manualClock('2026-03-10T02:00:00Z');
const question = 'How long does a refund take to reach my card?';
const otherQuestion = 'Where does the refund go?';
const entry = 'refund_timeline';

let service: TestService;
let sequence = 0;

interface Outcome {
  messageId: string;
  action: 'auto_reply' | 'handoff';
  reply?: { text: string; citations: string[] };
  ticket?: { id: string };
}

async function say(conversation: string, text: string, name = 'Tom Baker'): Promise<Outcome> {
  sequence += 1;
  const response = await postJson(
    service.app,
    '/v1/messages?wait=30',
    {
      channel: 'web-chat',
      externalMessageId: `aa-${sequence}`,
      conversationId: conversation,
      customer: { id: `cust-${conversation}`, name },
      text,
    },
    bearer('integration'),
  );
  expect(response.status).toBe(200);
  clock.advance(60_000);
  return response.json();
}

async function triageOf(messageId: string): Promise<TriageResult> {
  return triageResultSchema.parse(await storedTriageResult(service.database.db, messageId));
}

/** A ticket whose latest draft answers `text` from the refund entry (the conversation is held by a ticket). */
async function ticketAsking(text: string, name?: string) {
  const conversation = `aa-conversation-${sequence}`;
  const opened = await say(
    conversation,
    'I want to talk to a person, my parcel was damaged and I am very angry',
    name,
  );
  expect(opened.action).toBe('handoff');
  const asked = await say(conversation, text, name);
  expect(asked.action).toBe('handoff');
  expect(asked.ticket?.id).toBe(opened.ticket!.id);
  expect((await triageOf(asked.messageId)).reply.citations).toEqual([entry]);
  const ticket = await (
    await service.app.request(`/v1/tickets/${opened.ticket!.id}`, { headers: bearer('agent') })
  ).json();
  expect(ticket.draft).toBeTruthy();
  return ticket as { id: string; version: number; draft: string };
}

async function act(ticket: { id: string; version: number }, action: Record<string, unknown>) {
  const response = await postJson(
    service.app,
    `/v1/tickets/${ticket.id}/actions`,
    { ...action, version: ticket.version },
    bearer('agent'),
  );
  expect(response.status).toBe(200);
}

async function answers(status: string): Promise<ApprovedAnswer[]> {
  const response = await service.app.request(`/v1/approved-answers?status=${status}`, {
    headers: bearer('agent'),
  });
  expect(response.status).toBe(200);
  return (await response.json()).answers;
}

const review = (
  id: string,
  action: 'approve' | 'reject',
  role: 'admin' | 'agent',
  body?: object,
) =>
  body
    ? postJson(service.app, `/v1/approved-answers/${id}/${action}`, body, bearer(role))
    : service.app.request(`/v1/approved-answers/${id}/${action}`, {
        method: 'POST',
        headers: bearer(role),
      });

const editAnswer = (id: string, body: object) =>
  service.app.request(`/v1/approved-answers/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...bearer('admin') },
    body: JSON.stringify(body),
  });

async function metric(name: string, labels: Record<string, string>) {
  const text = await (await service.app.request('/metrics', { headers: bearer('admin') })).text();
  return sampleValue(parseSamples(text), name, labels);
}

const candidates: Record<string, ApprovedAnswer> = {};

describe('approved answers', () => {
  beforeAll(async () => {
    service = await startTestService(testApiKeysEnv, { clock });
  }, 180_000);
  afterAll(async () => service?.close());

  it('an accepted draft becomes a pending candidate for the entry its draft came from', async () => {
    const ticket = await ticketAsking(question);
    await act(ticket, { action: 'accept' });
    const [candidate, ...others] = await answers('pending');
    expect(others).toEqual([]);
    expect(candidate).toMatchObject({
      status: 'pending',
      entry: { id: entry },
      language: 'en',
      question,
      answer: ticket.draft,
      proposedAnswer: ticket.draft,
      origin: 'accepted',
      editRatio: 0,
      sourceTicketId: ticket.id,
      agentId: 'alice',
      violations: [],
      proposals: 1,
      useCount: 0,
    });
    expect(candidate!.entry.title).toBeTruthy();
    candidates.accepted = candidate!;
  });

  it('the same draft accepted on another ticket counts on that candidate instead of adding one', async () => {
    const ticket = await ticketAsking(question);
    await act(ticket, { action: 'accept' });
    const pending = await answers('pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ id: candidates.accepted!.id, proposals: 2 });
  });

  it('a lightly edited draft becomes an "edited" candidate with its edit ratio', async () => {
    const ticket = await ticketAsking(question);
    const text = ticket.draft.replace(
      'If there is anything else',
      'Most cards show it within five business days. If there is anything else',
    );
    expect(text).not.toBe(ticket.draft);
    await act(ticket, { action: 'edit', text });
    const candidate = (await answers('pending')).find((found) => found.origin === 'edited');
    expect(candidate).toMatchObject({ answer: text, question, entry: { id: entry } });
    expect(candidate!.editRatio).toBeGreaterThan(0);
    expect(candidate!.editRatio).toBeLessThanOrEqual(0.3);
    candidates.edited = candidate!;
  });

  it('a heavily rewritten draft is kept as a "rewritten" candidate for the reviewer to judge', async () => {
    const ticket = await ticketAsking(question);
    const text =
      'We looked at it: your bank received the money yesterday, so it will be on your card statement shortly.';
    await act(ticket, { action: 'edit', text });
    const candidate = (await answers('pending')).find((found) => found.origin === 'rewritten');
    expect(candidate).toMatchObject({ answer: text, question });
    expect(candidate!.editRatio).toBeGreaterThan(0.3);
    candidates.rewritten = candidate!;
  });

  it("a reply with the customer's data is stored with placeholders and cannot be approved as it is", async () => {
    const ticket = await ticketAsking(`${question} Order 2024112312345678`, 'Tom Baker');
    expect(ticket.draft).toContain('2024112312345678');
    const text = `Hi Tom, ${ticket.draft} If it has not arrived by Friday, call me on 13812345678.`;
    await act(ticket, { action: 'edit', text });
    const candidate = (await answers('pending')).find(
      (found) => found.sourceTicketId === ticket.id,
    );
    expect(candidate).toBeDefined();
    const stored = await service.database.db
      .selectFrom('approved_answers')
      .selectAll()
      .where('id', '=', candidate!.id)
      .executeTakeFirstOrThrow();
    for (const value of ['2024112312345678', '13812345678', 'Tom']) {
      expect(JSON.stringify(stored)).not.toContain(value);
      expect(JSON.stringify(candidate)).not.toContain(value);
    }
    expect(candidate!.answer).toContain('Hi [NAME],');
    expect(candidate!.answer).toContain('[ORDER_NUMBER]');
    expect(candidate!.answer).toContain('[PHONE]');
    expect(candidate!.question).toBe(`${question} Order [ORDER_NUMBER]`);
    expect(candidate!.redactions).toEqual(
      expect.arrayContaining([
        { kind: 'name', count: 1 },
        { kind: 'order', count: 1 },
        { kind: 'phone', count: 1 },
      ]),
    );
    expect(candidate!.violations.map((violation) => violation.evidence)).toEqual(
      expect.arrayContaining(['[NAME]', '[ORDER_NUMBER]', '[PHONE]']),
    );

    // Only admins review; and not while placeholders are left.
    expect((await review(candidate!.id, 'approve', 'agent')).status).toBe(403);
    const refused = await review(candidate!.id, 'approve', 'admin');
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toContain('[ORDER_NUMBER]');
    // An edit that puts personal data back is refused; a clean one is kept, then approved.
    const withPhone = await editAnswer(candidate!.id, {
      answer: 'Call me on 13812345678 about your refund.',
    });
    expect(withPhone.status).toBe(400);
    expect((await withPhone.json()).error.message).toContain('personal_data');
    const clean = `${candidates.edited!.answer} Thank you for your patience.`;
    const edited = await editAnswer(candidate!.id, { answer: clean });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ status: 'pending', answer: clean, violations: [] });
    const approved = await review(candidate!.id, 'approve', 'admin');
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'approved', reviewedBy: 'root' });
    candidates.personal = candidate!;
  });

  it('refuses to approve a promise the entry does not make', async () => {
    const ticket = await ticketAsking(question);
    await act(ticket, {
      action: 'edit',
      text: `${ticket.draft} As an apology we will add ¥50 store credit to your account.`,
    });
    const candidate = (await answers('pending')).find(
      (found) => found.sourceTicketId === ticket.id,
    );
    expect(candidate!.violations.map((violation) => violation.code)).toContain('unbacked_promise');
    expect((await review(candidate!.id, 'approve', 'admin')).status).toBe(400);
    const rejected = await review(candidate!.id, 'reject', 'admin', { note: 'Promises credit.' });
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({
      status: 'rejected',
      reviewNote: 'Promises credit.',
    });
  });

  it('approves and rejects with an audit entry each, never twice', async () => {
    expect((await review(candidates.edited!.id, 'approve', 'admin')).status).toBe(200);
    expect((await review(candidates.edited!.id, 'approve', 'admin')).status).toBe(409);
    expect((await review(candidates.accepted!.id, 'reject', 'admin')).status).toBe(200);
    expect((await answers('approved')).map((found) => found.id).sort()).toEqual(
      [candidates.edited!.id, candidates.personal!.id].sort(),
    );
    const audit = await service.database.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'actor_id'])
      .where('subject_type', '=', 'approved_answer')
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'approved_answer.approve', subject_id: candidates.edited!.id, actor_id: 'root' },
        { action: 'approved_answer.reject', subject_id: candidates.accepted!.id, actor_id: 'root' },
        { action: 'approved_answer.edit', subject_id: candidates.personal!.id, actor_id: 'root' },
        {
          action: 'approved_answer.approve',
          subject_id: candidates.personal!.id,
          actor_id: 'root',
        },
      ]),
    );
    expect((await answers('pending')).map((found) => found.id)).toEqual([candidates.rewritten!.id]);
  });

  it('the same question, asked again, is answered with the approved text and counted', async () => {
    const before = await metric('triage_approved_answer_replies_total', { source: 'messages' });
    const outcome = await say('aa-new-customer-1', question, 'Lin');
    expect(outcome.action).toBe('auto_reply');
    expect(outcome.reply?.text).toBe(candidates.edited!.answer);
    expect(outcome.reply?.citations).toEqual([entry]);
    const result = await triageOf(outcome.messageId);
    expect(result.approvedAnswer?.id).toBe(candidates.edited!.id);
    expect(result.approvedAnswer?.similarity).toBeGreaterThanOrEqual(0.99);
    expect(await metric('triage_approved_answer_replies_total', { source: 'messages' })).toBe(
      before + 1,
    );
    const used = (await answers('approved')).find((found) => found.id === candidates.edited!.id);
    expect(used).toMatchObject({ useCount: 1 });
    expect(used!.lastUsedAt).not.toBeNull();
    expect(await metric('triage_approved_answers', { status: 'approved' })).toBe(2);

    // POST /v1/triage shows the same answer and stores nothing: the answer's count stays.
    const triaged = await postJson(service.app, '/v1/triage', { text: question }, bearer('agent'));
    const stateless = (await triaged.json()) as TriageResult;
    expect(stateless.reply.text).toBe(candidates.edited!.answer);
    expect(stateless.approvedAnswer?.id).toBe(candidates.edited!.id);
    const after = (await answers('approved')).find((found) => found.id === candidates.edited!.id);
    expect(after!.useCount).toBe(1);
  });

  it('another question on the same entry is answered with the entry text', async () => {
    const outcome = await say('aa-new-customer-2', otherQuestion, 'Kim');
    expect(outcome.action).toBe('auto_reply');
    expect(outcome.reply?.citations).toEqual([entry]);
    expect(outcome.reply?.text).not.toBe(candidates.edited!.answer);
    expect(outcome.reply?.text).toContain('original payment method');
    expect((await triageOf(outcome.messageId)).approvedAnswer).toBeUndefined();
  });

  it('a withdrawn answer stops being sent: the entry text answers again, with the same decision', async () => {
    for (const id of [candidates.edited!.id, candidates.personal!.id])
      expect((await review(id, 'reject', 'admin', { note: 'Superseded.' })).status).toBe(200);
    const outcome = await say('aa-new-customer-3', question, 'Ana');
    expect(outcome.action).toBe('auto_reply');
    expect(outcome.reply?.text).toContain('original payment method');
    expect((await triageOf(outcome.messageId)).approvedAnswer).toBeUndefined();
  });

  it('checks input and access', async () => {
    expect(
      (await service.app.request('/v1/approved-answers', { headers: bearer('integration') }))
        .status,
    ).toBe(403);
    expect(
      (await service.app.request('/v1/approved-answers?status=nope', { headers: bearer('agent') }))
        .status,
    ).toBe(400);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await review(missing, 'approve', 'admin')).status).toBe(404);
    const forbidden = await service.app.request(`/v1/approved-answers/${missing}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer('agent') },
      body: JSON.stringify({ answer: 'x' }),
    });
    expect(forbidden.status).toBe(403);
    expect((await editAnswer(candidates.rewritten!.id, { answer: '' })).status).toBe(400);
  });
});
