import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePlatform, startFakePlatform } from '../../testing/fake-platform.js';
import { startTestService, type TestService } from '../../testing/service.js';
import { manualClock } from '../../time/clock.js';
import { signSlackRequest } from './signature.js';
import { plainToSlackText } from './slack-text.js';

const secret = 'slack-signing-secret-for-tests';
const token = 'xoxb-test-bot-token';
const clock = manualClock('2026-12-05T09:00:00Z');
const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8');

let slack: FakePlatform;
let service: TestService;
beforeAll(async () => {
  slack = await startFakePlatform((request) =>
    request.path === '/auth.test'
      ? { body: { ok: true, user_id: 'U0LAN0Z89', bot_id: 'B0LAN0Z89', team_id: 'T061EG9R6' } }
      : { body: { ok: true, channel: 'C1', ts: '1515449999.000001' } },
  );
  service = await startTestService(
    {
      SLACK_SIGNING_SECRET: secret,
      SLACK_BOT_TOKEN: token,
      SLACK_API_BASE_URL: slack.url,
      // Small, so that the busy case below is reached with a few messages.
      INTAKE_MAX_BACKLOG: '4',
    },
    { clock },
  );
  await service.channelRegistry.start();
});
afterAll(async () => {
  await service?.close();
  await slack?.close();
});

/** POSTs a body to the events URL as Slack would: signed now, with extra headers if given. */
function post(body: string, headers: Record<string, string> = {}, signedAt = clock.now()) {
  const timestamp = String(Math.floor(signedAt.getTime() / 1000));
  return service.app.request('/channels/slack/events', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest(secret, timestamp, body),
      ...headers,
    },
    body,
  });
}

const slackMessages = (externalId?: string) => {
  let query = service.database.db
    .selectFrom('messages')
    .selectAll()
    .where('channel', '=', 'slack')
    .where('direction', '=', 'inbound');
  if (externalId) query = query.where('external_message_id', '=', externalId);
  return query.execute();
};

/** A DM like message-im.json with its own ts and event id. */
function dm(ts: string, eventId: string, text = 'Where is my parcel? It is late.') {
  const envelope = JSON.parse(fixture('message-im'));
  envelope.event_id = eventId;
  Object.assign(envelope.event, { ts, event_ts: ts, text });
  return JSON.stringify(envelope);
}

describe('Slack Events API', () => {
  it('answers url_verification with the challenge', async () => {
    const response = await post(fixture('url-verification'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
  });

  it('refuses a missing, wrong or stale signature with 401 and stores nothing', async () => {
    const body = fixture('message-im');
    const unsigned = await service.app.request('/channels/slack/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    const wrong = await post(body, { 'x-slack-signature': `v0=${'0'.repeat(64)}` });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('unauthorized');
    const forged = await post(body.replace('refund', 'rebate'), {
      'x-slack-signature': signSlackRequest(
        secret,
        String(Math.floor(clock.now().getTime() / 1000)),
        body,
      ),
    });
    expect(forged.status).toBe(401);
    const stale = await post(body, {}, new Date(clock.now().getTime() - 6 * 60_000));
    expect(stale.status).toBe(401);
    expect(
      await post(fixture('url-verification'), { 'x-slack-signature': 'v0=00' }),
    ).toHaveProperty('status', 401);
    expect(await slackMessages()).toHaveLength(0);
    const events = await service.database.db
      .selectFrom('channel_events')
      .selectAll()
      .where('channel', '=', 'slack')
      .execute();
    expect(events).toHaveLength(0);
  });

  it('stores a signed DM once, drops its retry, and the reply reaches chat.postMessage in its thread', async () => {
    const body = fixture('message-im');
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, duplicate: false });
    const retry = await post(body, {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ok: true, duplicate: true });

    const stored = await slackMessages('D024BE91L:1355517523.000005');
    expect(stored).toHaveLength(1);
    // The retry was dropped by its event id, before the intake.
    const claimed = await service.database.db
      .selectFrom('channel_events')
      .select('event_id')
      .where('channel', '=', 'slack')
      .orderBy('event_id')
      .execute();
    expect(claimed.map((row) => row.event_id)).toEqual(['Ev0PV52K21']);
    expect(stored[0]!.text).toBe('How long does a refund take to reach my card?');
    const conversation = await service.database.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', stored[0]!.conversation_id)
      .executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({
      channel: 'slack',
      external_id: 'D024BE91L:1355517523.000005',
      customer_id: 'T061EG9R6:U2147483697',
    });

    await service.intake.idle();
    const reply = await service.database.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversation.id)
      .where('direction', '=', 'outbound')
      .executeTakeFirstOrThrow();
    const result = await service.database.db
      .selectFrom('triage_results')
      .select('action')
      .where('message_id', '=', stored[0]!.id)
      .executeTakeFirstOrThrow();
    expect(result.action).toBe('auto_reply');
    expect((await service.outbox.deliverDue()).delivered).toBe(1);
    const posted = slack.requests.filter((request) => request.path === '/chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(posted[0]!.json).toEqual({
      channel: 'D024BE91L',
      thread_ts: '1355517523.000005',
      text: plainToSlackText(reply.text),
    });
    expect(reply.text.length).toBeGreaterThan(0);
  });

  it('stores a channel message delivered as message and as app_mention once, and its thread reply in the same conversation', async () => {
    const asMessage = await post(fixture('message-channel-mention'));
    const asMention = await post(fixture('app-mention'));
    expect(await asMessage.json()).toEqual({ ok: true, duplicate: false });
    expect(await asMention.json()).toEqual({ ok: true, duplicate: true });
    const stored = await slackMessages('C123ABC456:1515449522.000016');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.text).toBe('How long does a refund take to reach my card? <order 1234>');

    await service.intake.idle();
    expect((await post(fixture('message-thread'))).status).toBe(200);
    const reply = await slackMessages('C123ABC456:1515449600.000200');
    expect(reply).toHaveLength(1);
    expect(reply[0]!.conversation_id).toBe(stored[0]!.conversation_id);
    await service.intake.idle();

    const before = slack.requests.length;
    await service.outbox.deliverDue();
    const threads = slack.requests
      .slice(before)
      .filter((request) => request.path === '/chat.postMessage')
      .map((request) => request.json as { channel: string; thread_ts: string });
    expect(threads.length).toBeGreaterThan(0);
    for (const thread of threads)
      expect(thread).toMatchObject({ channel: 'C123ABC456', thread_ts: '1515449522.000016' });
  });

  it('acknowledges and ignores bot messages, our own replies, edits, deletions, joins and rate-limit notices', async () => {
    const before = (await slackMessages()).length;
    const ownReply = JSON.parse(fixture('own-bot-reply'));
    // Without bot_id and authorizations: known as ours from auth.test at start.
    delete ownReply.event.bot_id;
    delete ownReply.event.bot_profile;
    delete ownReply.authorizations;
    ownReply.event_id = 'Ev0OWNBOT02';
    for (const body of [
      fixture('bot-message'),
      fixture('own-bot-reply'),
      JSON.stringify(ownReply),
      fixture('message-changed'),
      fixture('message-deleted'),
      fixture('channel-join'),
      fixture('app-rate-limited'),
    ]) {
      const response = await post(body);
      expect(response.status, body).toBe(200);
    }
    expect(await slackMessages()).toHaveLength(before);
    expect(slack.requests.some((request) => request.path === '/auth.test')).toBe(true);
  });

  it('refuses an unreadable event for good (X-Slack-No-Retry)', async () => {
    const response = await post(JSON.stringify({ type: 'event_callback', event: {} }));
    expect(response.status).toBe(400);
    expect(response.headers.get('x-slack-no-retry')).toBe('1');
  });

  it('answers 429 with Retry-After when the backlog is full, and takes the event on a later retry', async () => {
    await service.intake.idle();
    // Triage stops: stored messages now stay in the backlog (limit 4) until one is refused.
    await service.intake.stop();
    let busy: string | undefined;
    let refused: Response | undefined;
    for (let index = 1; index <= 8 && !refused; index += 1) {
      await sleep(250); // past the intake's 200 ms backlog cache
      const body = dm(`170000000${index}.000100`, `EvBUSY${index}`, 'My card was charged twice.');
      const response = await post(body);
      if (response.status !== 200) [busy, refused] = [body, response];
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused!.headers.get('x-slack-no-retry')).toBeNull();
    const externalId = `D024BE91L:${JSON.parse(busy!).event.ts}`;
    // Slack's first retry comes at once: still full.
    const again = await post(busy!, {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_error',
    });
    expect(again.status).toBe(429);
    expect(await slackMessages(externalId)).toHaveLength(0);

    // The backlog is worked off (by another instance, say) before the next retry.
    await service.database.db
      .updateTable('messages')
      .set({ processing: 'triaged' })
      .where('processing', '=', 'received')
      .execute();
    await sleep(250);
    const taken = await post(busy!, {
      'x-slack-retry-num': '2',
      'x-slack-retry-reason': 'http_error',
    });
    expect(taken.status).toBe(200);
    expect(await taken.json()).toEqual({ ok: true, duplicate: false });
    const late = await post(busy!, {
      'x-slack-retry-num': '3',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(await late.json()).toEqual({ ok: true, duplicate: true });
    const stored = await slackMessages(externalId);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.text).toBe('My card was charged twice.');
  });
});
