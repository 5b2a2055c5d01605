/**
 * SLA escalation end to end on one service with a manual clock (working time of
 * knowledge-base/service-hours.yaml, teams of knowledge-base/teams.yaml): new tickets routed
 * to their team and least busy member, a ticket nearing its first-response due time raised
 * once to level 1 (urgency, lead told in the console and through the signed alert webhook),
 * passing it to level 2 (duty manager too, and up the queue), tickets answered in time or
 * solved left alone, and each person's notifications.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../channels/webhook/outbound.js';
import { type FakePlatform, startFakePlatform } from '../testing/fake-platform.js';
import {
  bearer,
  postJson,
  startTestService,
  type TestService,
  testApiKeysEnv,
} from '../testing/service.js';
import { silentLogger } from '../testing/logger.js';
import { manualClock } from '../time/clock.js';
import { escalationWebhookPayloadSchema } from './escalation-contract.js';
import { createEscalationJob } from './escalation-job.js';

// Tuesday 2026-03-10 10:00 in Shanghai: working time from the first minute.
const start = Date.parse('2026-03-10T02:00:00Z');
const clock = manualClock(new Date(start));
const at = (minutes: number) => clock.set(new Date(start + minutes * 60_000));
const secret = 'escalation-webhook-secret-0001';
const password = 'agent-password-1';

let service: TestService;
let receiver: FakePlatform;
const ids: Record<string, string> = {};

async function seed(name: string, text: string) {
  const response = await postJson(
    service.app,
    '/v1/messages?wait=30',
    {
      channel: 'web-chat',
      externalMessageId: `m-${name}`,
      conversationId: `c-${name}`,
      customer: { id: `customer-${name}` },
      text,
    },
    bearer('integration'),
  );
  const body = await response.json();
  expect(body.action).toBe('handoff');
  ids[name] = body.ticket.id;
}

async function ticket(name: string) {
  const response = await service.app.request(`/v1/tickets/${ids[name]}`, {
    headers: bearer('agent'),
  });
  return response.json();
}

async function act(name: string, action: Record<string, unknown>) {
  const { version } = await ticket(name);
  const response = await postJson(
    service.app,
    `/v1/tickets/${ids[name]}/actions`,
    { ...action, version },
    bearer('agent'),
  );
  expect(response.status).toBe(200);
}

async function signIn(username: string) {
  const response = await postJson(service.app, '/v1/auth/login', { username, password });
  expect(response.status).toBe(200);
  return { cookie: response.headers.get('set-cookie')!.split(';')[0]! };
}

async function notificationsOf(username: string) {
  const response = await service.app.request('/v1/notifications', {
    headers: await signIn(username),
  });
  expect(response.status).toBe(200);
  return response.json();
}

const queueOrder = async () => {
  const { tickets } = await (
    await service.app.request('/v1/tickets', { headers: bearer('agent') })
  ).json();
  return tickets.map((found: { id: string }) =>
    Object.keys(ids).find((name) => ids[name] === found.id),
  );
};

const escalationsOf = (name: string) =>
  service.database.db
    .selectFrom('ticket_escalations')
    .select(['clock', 'level', 'recipients'])
    .where('ticket_id', '=', ids[name]!)
    .orderBy('clock')
    .orderBy('level')
    .execute();

const auditOf = (name: string) =>
  service.database.db
    .selectFrom('audit_log')
    .select(['action', 'details'])
    .where('subject_id', '=', ids[name]!)
    .where('action', '=', 'ticket.sla_escalated')
    .execute();

beforeAll(async () => {
  receiver = await startFakePlatform(() => ({ status: 200, body: { ok: true } }));
  service = await startTestService(
    {
      ...testApiKeysEnv,
      ALERT_WEBHOOK_URL: `${receiver.url}/alerts`,
      ALERT_WEBHOOK_SECRET: secret,
    },
    { clock },
  );
  // Console accounts of some members (teams.yaml): he.ping leads after_sales without one.
  for (const username of ['ma.li', 'xu.ning', 'amy.lin', 'zhao.min'])
    await service.credentials.upsertUser({ username, password, role: 'agent' });
  await seed('cup', '收到的杯子是碎的，要求赔偿');
  await seed('earphones', '耳机一边没声音了，要求维修');
  await seed('complaint', '再不处理我就去12315投诉你们！');
  await seed('parcel', 'My parcel says delivered but I never got it, please check');
  await seed('invoice', '发票开错了，帮我重新开一张');
}, 180_000);

afterAll(async () => {
  await service?.close();
  await receiver?.close();
});

describe('routing', () => {
  it('routes a new ticket by category, language and channel to its team and least busy member', async () => {
    const routed = Object.fromEntries(
      await Promise.all(
        Object.keys(ids).map(async (name) => {
          const found = await ticket(name);
          return [name, [found.category, found.language, found.team, found.assignee]];
        }),
      ),
    );
    expect(routed).toEqual({
      // ma.li was first in the file among the free members who have an account...
      cup: ['quality_issue', 'zh', 'after_sales', 'ma.li'],
      // ...then had one open ticket, so the next went to xu.ning (who takes repairs).
      earphones: ['repair_warranty', 'zh', 'after_sales', 'xu.ning'],
      // No member of the complaints team has a console account: nobody is assigned.
      complaint: ['complaint', 'zh', 'complaints', null],
      // English: sun.hao has no account, amy.lin speaks English.
      parcel: ['logistics', 'en', 'logistics', 'amy.lin'],
      invoice: ['invoice', 'zh', 'general', null],
    });
    for (const name of Object.keys(ids)) expect((await ticket(name)).escalationLevel).toBe(0);
  });

  it('lists the teams and the escalation path for staff', async () => {
    const response = await service.app.request('/v1/teams', { headers: bearer('agent') });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.dutyManagers).toEqual(['zhao.min']);
    expect(body.escalation.map((step: { at: number }) => step.at)).toEqual([0.75, 1]);
    const afterSales = body.teams.find((team: { key: string }) => team.key === 'after_sales');
    expect(afterSales).toMatchObject({ lead: 'he.ping', openTickets: 2 });
    expect(
      (await service.app.request('/v1/teams', { headers: bearer('integration') })).status,
    ).toBe(403);
  });
});

describe('escalation', () => {
  it('leaves tickets alone while their clocks have time', async () => {
    expect((await service.escalation.runOnce()).escalated).toEqual([]);
    at(2);
    // Answered in time (the first-response clock stops); the invoice is solved at once.
    await act('parcel', { action: 'reply', text: 'We are checking with the courier now.' });
    await act('invoice', { action: 'solve' });
    at(3.5);
    expect((await service.escalation.runOnce()).escalated).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });

  it('escalates a ticket nearing its first-response due time once, to level 1', async () => {
    expect(await queueOrder()).toEqual(['complaint', 'cup', 'earphones', 'parcel']);
    // 75 % of the 5-minute window: 3 min 45 s.
    at(3.75);
    const run = await service.escalation.runOnce();
    expect(
      run.escalated.map((escalation) => [
        Object.keys(ids).find((name) => ids[name] === escalation.ticketId),
        escalation.clock,
        escalation.level,
        escalation.urgency.from.level,
        escalation.urgency.to.level,
        escalation.recipients,
      ]),
    ).toEqual([
      ['cup', 'first_response', 1, 'normal', 'high', ['ma.li', 'he.ping']],
      ['earphones', 'first_response', 1, 'normal', 'high', ['xu.ning', 'he.ping']],
    ]);
    const cup = await ticket('cup');
    expect(cup).toMatchObject({ escalationLevel: 1, urgency: { level: 'high', score: 60 } });

    // The alert webhook heard of both, signed like every webhook of the service.
    expect(receiver.requests).toHaveLength(2);
    const sent = receiver.requests.find(
      (request) => (request.json as { ticket: { id: string } }).ticket.id === ids.cup,
    )!;
    expect(sent.path).toBe('/alerts');
    expect(
      verifyWebhookSignature(secret, sent.headers['x-triage-signature'], sent.body, {
        now: clock.now(),
      }),
    ).toBe(true);
    expect(
      verifyWebhookSignature('another-secret', sent.headers['x-triage-signature'], sent.body, {
        now: clock.now(),
      }),
    ).toBe(false);
    const payload = escalationWebhookPayloadSchema.parse(sent.json);
    expect(payload).toMatchObject({
      type: 'ticket.escalated',
      ticket: { team: 'after_sales', assignee: 'ma.li', escalationLevel: 1 },
      escalation: {
        level: 1,
        name: { en: 'Team lead' },
        clock: 'first_response',
        overdue: false,
        dueAt: '2026-03-10T02:05:00.000Z',
      },
      recipients: ['ma.li', 'he.ping'],
    });
    expect(sent.headers['x-triage-delivery']).toBe(payload.deliveryId);

    // Not repeated for the same step, however often the job looks.
    at(4.5);
    expect((await service.escalation.runOnce()).escalated).toEqual([]);
    expect(receiver.requests).toHaveLength(2);
    expect(await escalationsOf('cup')).toHaveLength(1);
    expect(await auditOf('cup')).toEqual([
      {
        action: 'ticket.sla_escalated',
        details: expect.objectContaining({
          clock: 'first_response',
          level: 1,
          team: 'after_sales',
          urgencyFrom: 'normal',
          urgencyTo: 'high',
          recipients: ['ma.li', 'he.ping'],
        }),
      },
    ]);
  });

  it('escalates to the next level when the due time passes, moving the ticket up the queue', async () => {
    expect(await queueOrder()).toEqual(['complaint', 'cup', 'earphones', 'parcel']);
    at(5);
    const run = await service.escalation.runOnce();
    expect(run.escalated.map((escalation) => [escalation.level, escalation.recipients])).toEqual([
      [2, ['ma.li', 'he.ping', 'zhao.min']],
      [2, ['xu.ning', 'he.ping', 'zhao.min']],
    ]);
    expect(await ticket('cup')).toMatchObject({
      escalationLevel: 2,
      urgency: { level: 'critical', score: 85 },
    });
    // Critical now, and due before the complaint (60 minutes): first in the queue.
    expect(await queueOrder()).toEqual(['cup', 'earphones', 'complaint', 'parcel']);
    expect(receiver.requests).toHaveLength(4);
    const overdue = escalationWebhookPayloadSchema.parse(receiver.requests[2]!.json);
    expect(overdue.escalation).toMatchObject({ level: 2, overdue: true });
    expect(
      (await auditOf('cup')).map((entry) => (entry.details as { level: number }).level),
    ).toEqual([1, 2]);
  });

  it('never escalates a ticket answered in time, and stops with a solved one', async () => {
    expect(await ticket('parcel')).toMatchObject({ escalationLevel: 0, urgency: { level: 'low' } });
    expect(await ticket('invoice')).toMatchObject({ escalationLevel: 0, status: 'solved' });
    await act('cup', { action: 'solve' });
    // Friday 12:00: 75 % of the 48-hour resolution window of both has passed (36 working hours).
    clock.set('2026-03-13T04:00:00Z');
    const run = await service.escalation.runOnce();
    const names = run.escalated.map((escalation) =>
      Object.keys(ids).find((name) => ids[name] === escalation.ticketId),
    );
    // The unsolved repair walks its resolution clock; the solved cup, the answered parcel
    // (waiting for the customer) and the solved invoice do not.
    expect(new Set(names)).toEqual(new Set(['earphones', 'complaint']));
    expect(run.escalated.find((escalation) => escalation.ticketId === ids.earphones)).toMatchObject(
      { clock: 'resolution', level: 1, recipients: ['xu.ning', 'he.ping'] },
    );
    // The complaint passed both first-response steps of its own path (50 %, 100 % of 60
    // minutes) while the job was not looking: both are recorded, only the higher one told.
    expect(await escalationsOf('complaint')).toEqual([
      { clock: 'first_response', level: 1, recipients: [] },
      { clock: 'first_response', level: 2, recipients: ['wang.lei', 'zhao.min'] },
      { clock: 'resolution', level: 1, recipients: ['wang.lei'] },
    ]);
    expect((await escalationsOf('cup')).map((row) => row.clock)).toEqual([
      'first_response',
      'first_response',
    ]);
    expect(await escalationsOf('parcel')).toEqual([]);
    expect(await escalationsOf('invoice')).toEqual([]);
    // The level stays at the highest step reached on either clock.
    expect((await ticket('earphones')).escalationLevel).toBe(2);
  });
});

describe('notifications', () => {
  it("lists the signed-in person's notifications, newest first, and marks one read", async () => {
    const list = await notificationsOf('ma.li');
    expect(list.unread).toBe(2);
    expect(
      list.notifications.map((item: { escalation: { level: number; overdue: boolean } }) => [
        item.escalation.level,
        item.escalation.overdue,
      ]),
    ).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(list.notifications[0]).toMatchObject({
      kind: 'ticket.escalated',
      ticket: { id: ids.cup, team: 'after_sales', category: 'quality_issue', escalationLevel: 2 },
      escalation: { name: { en: 'Duty manager' }, clock: 'first_response' },
      readAt: null,
    });

    const id = list.notifications[1].id;
    // Only the recipient may mark it.
    const other = await service.app.request(`/v1/notifications/${id}/read`, {
      method: 'POST',
      headers: await signIn('xu.ning'),
    });
    expect(other.status).toBe(404);
    const read = await service.app.request(`/v1/notifications/${id}/read`, {
      method: 'POST',
      headers: await signIn('ma.li'),
    });
    expect(read.status).toBe(200);
    expect((await read.json()).readAt).toBe(clock.now().toISOString());
    expect((await notificationsOf('ma.li')).unread).toBe(1);

    // The duty manager heard of the three level-2 steps; xu.ning of the repair's three steps.
    expect((await notificationsOf('zhao.min')).unread).toBe(3);
    expect((await notificationsOf('xu.ning')).unread).toBe(3);
    expect(
      (await service.app.request('/v1/notifications', { headers: bearer('integration') })).status,
    ).toBe(403);
  });
});

describe('several instances', () => {
  it('takes a step once when two jobs run at the same moment', async () => {
    const second = createEscalationJob({
      db: service.database.db,
      clock,
      logger: silentLogger(),
      teams: service.teams.config,
      taxonomy: service.taxonomy,
      serviceHours: service.serviceHours,
      intervalMs: 0,
    });
    // Friday 12:00 in Shanghai, working time.
    const opened = Date.parse('2026-03-13T04:00:00Z');
    await seed('second-cup', '收到的杯子是碎的，要求赔偿');
    clock.set(new Date(opened + 3.75 * 60_000));
    const runs = await Promise.all([service.escalation.runOnce(), second.runOnce()]);
    const steps = runs
      .flatMap((run) => run.escalated)
      .filter((escalation) => escalation.ticketId === ids['second-cup']);
    expect(steps).toHaveLength(1);
    expect(await escalationsOf('second-cup')).toHaveLength(1);
    const told = await service.database.db
      .selectFrom('notifications')
      .select('recipient')
      .where('ticket_id', '=', ids['second-cup']!)
      .execute();
    expect(told.map((row) => row.recipient).sort()).toEqual([...steps[0]!.recipients].sort());
  });
});
