/**
 * The intake as a queue: acknowledged on store, triaged in the background in each
 * conversation's order, refused with a retry time past the backlog bound, and a message a
 * crashed worker left claimed is taken over. The engine here is the real one behind a gate,
 * so a test decides when triage may finish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusyError } from '../errors/domain-errors.js';
import { startTestService, type TestService } from '../testing/service.js';
import type { TriageEngine } from '../triage/engine.js';
import { createMessageIntake, type MessageIntake } from './message-intake.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
}, 180_000);
afterAll(async () => service?.close());

/** The service's engine, holding every triage until released; records the order texts start. */
function gatedEngine(engine: TriageEngine) {
  const started: string[] = [];
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  const gated: TriageEngine = {
    ...engine,
    async triage(request, context) {
      started.push(request.text);
      await gate;
      return engine.triage(request, context);
    },
  };
  return {
    engine: gated,
    started,
    release() {
      open();
      gate = Promise.resolve();
    },
  };
}

let sequence = 0;
function message(conversationId: string, text: string) {
  sequence += 1;
  return {
    channel: 'queue-test',
    externalMessageId: `queue-${Date.now()}-${sequence}`,
    conversationId,
    customer: { id: `customer-${conversationId}` },
    text,
  };
}

function intakeWith(engine: TriageEngine, options: { maxBacklog?: number } = {}): MessageIntake {
  return createMessageIntake({
    ...service,
    db: service.database.db,
    triage: engine,
    concurrency: 4,
    ...options,
  });
}

async function processingOf(messageId: string) {
  return service.database.db
    .selectFrom('messages')
    .select(['processing', 'claimed_at'])
    .where('id', '=', messageId)
    .executeTakeFirstOrThrow();
}

describe('message intake queue', () => {
  it('acknowledges once stored and triages in the background', async () => {
    const gate = gatedEngine(service.triage);
    const intake = intakeWith(gate.engine);
    const received = await intake.receive(message('ack-1', 'How long does a refund take?'));
    expect(received.status).toBe('queued');
    if (received.status !== 'queued') return;
    expect(received.accepted.duplicate).toBe(false);
    expect((await processingOf(received.accepted.messageId)).processing).toBe('received');
    gate.release();
    await intake.idle();
    expect((await processingOf(received.accepted.messageId)).processing).toBe('triaged');
    await intake.stop();
  });

  it("keeps a conversation's order: a later message waits for the earlier one", async () => {
    const gate = gatedEngine(service.triage);
    const intake = intakeWith(gate.engine);
    const first = await intake.receive(message('order-a', '我想退货，怎么操作'));
    const second = await intake.receive(message('order-a', '运费谁出'));
    const other = await intake.receive(message('order-b', '发票怎么开'));
    // Workers are free (concurrency 4), yet only the first of each conversation is started.
    await expect.poll(() => gate.started.length).toBe(2);
    expect(gate.started).toEqual(['我想退货，怎么操作', '发票怎么开']);
    const secondId = second.status === 'queued' ? second.accepted.messageId : '';
    expect((await processingOf(secondId)).claimed_at).toBeNull();
    gate.release();
    await intake.idle();
    expect(gate.started.indexOf('运费谁出')).toBeGreaterThan(
      gate.started.indexOf('我想退货，怎么操作'),
    );
    for (const received of [first, second, other])
      if (received.status === 'queued')
        expect((await processingOf(received.accepted.messageId)).processing).toBe('triaged');
    await intake.stop();
  });

  it('returns the outcome inline when the caller waits, and to a repeat delivery once triaged', async () => {
    const intake = intakeWith(service.triage);
    const input = message('wait-1', 'How long does a refund take to reach my card?');
    const waited = await intake.receive(input, { waitMs: 20_000 });
    expect(waited.status).toBe('processed');
    if (waited.status !== 'processed') return;
    expect(waited.outcome.duplicate).toBe(false);
    const repeat = await intake.receive(input);
    expect(repeat).toMatchObject({
      status: 'processed',
      outcome: { messageId: waited.outcome.messageId, duplicate: true },
    });
    await intake.stop();
  });

  it('refuses new messages past the backlog bound with a retry time and stores nothing', async () => {
    const gate = gatedEngine(service.triage);
    const backlogBefore = (await intakeWith(gate.engine).backlog()).count;
    const intake = intakeWith(gate.engine, { maxBacklog: backlogBefore + 2 });
    await intake.receive(message('full-1', 'first'));
    await intake.receive(message('full-2', 'second'));
    // The backlog is read at most every 200 ms.
    await new Promise((resolve) => setTimeout(resolve, 250));
    const refused = message('full-3', 'third');
    const error = await intake.receive(refused).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BusyError);
    expect((error as BusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const stored = await service.database.db
      .selectFrom('messages')
      .select('id')
      .where('external_message_id', '=', refused.externalMessageId)
      .execute();
    expect(stored).toHaveLength(0);
    gate.release();
    await intake.idle();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await intake.receive(refused)).status).toBe('queued');
    await intake.idle();
    await intake.stop();
  });

  it('takes over a message whose worker died (stale claim) once started', async () => {
    const gate = gatedEngine(service.triage);
    gate.release();
    const stuck = intakeWith(gate.engine);
    const received = await stuck.receive(message('crash-1', '发票怎么开'));
    await stuck.idle();
    await stuck.stop();
    const id = received.status === 'queued' ? received.accepted.messageId : '';
    // As if a worker had claimed it and died: untriaged, claimed long ago.
    await service.database.db
      .updateTable('messages')
      .set({ processing: 'received', claimed_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', id)
      .execute();
    await service.database.db.deleteFrom('triage_results').where('message_id', '=', id).execute();
    const recovering = createMessageIntake({ ...service, db: service.database.db, pollMs: 50 });
    await recovering.start();
    await expect
      .poll(async () => (await processingOf(id)).processing, { timeout: 20_000 })
      .toBe('triaged');
    await recovering.stop();
  });
});
