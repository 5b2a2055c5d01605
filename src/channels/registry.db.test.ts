import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/env.js';
import { createConversationReader } from '../conversations/conversation.reader.js';
import type { InboundMessage } from '../conversations/message-contract.js';
import type { DatabaseHandle } from '../db/database.js';
import { InvalidError } from '../errors/domain-errors.js';
import { enqueueDelivery } from '../outbox/outbox.js';
import { openTestDatabase } from '../testing/database.js';
import { silentLogger } from '../testing/logger.js';
import { manualClock } from '../time/clock.js';
import type { ChannelSender } from './channel.js';
import { type ChannelContext, defineChannel } from './channel-module.js';
import { createChannelRegistry } from './registry.js';
import { webhookChannel } from './webhook/index.js';
import { z } from 'zod';
import { channelSettings, optionalSetting } from './channel-env.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const clock = manualClock('2026-12-05T08:00:00Z');
const sent: string[] = [];
let context: ChannelContext | undefined;
const fakeSender: ChannelSender = {
  name: 'fake',
  send: async (delivery) => void sent.push(delivery.text),
  handoff: async () => undefined,
};
const fakeEnv = z.object({ FAKE_TOKEN: optionalSetting, FAKE_SECRET: optionalSetting });
const fakeChannel = defineChannel({
  name: 'fake',
  env: fakeEnv,
  settings: (env) => channelSettings('fake', fakeEnv, env, ['FAKE_TOKEN', 'FAKE_SECRET']),
  create(settings, given) {
    context = given;
    return {
      sender: fakeSender,
      routes(router: Hono) {
        router.post('/hook', (c) => c.text(settings.FAKE_TOKEN!));
      },
    };
  },
});

function registry(environment: Record<string, string>, received: InboundMessage[] = []) {
  return createChannelRegistry({
    environment,
    db: database.db,
    intake: () => ({
      receive: async (message) => {
        received.push(message);
        return {
          status: 'queued',
          accepted: { messageId: 'm', conversationId: 'c', status: 'queued', duplicate: false },
        };
      },
    }),
    conversations: createConversationReader(database.db),
    tickets: () => {
      throw new Error('no tickets in these tests');
    },
    clock,
    logger: silentLogger(),
    maxTextChars: 100,
    maxBodyBytes: 1000,
    modules: [webhookChannel, fakeChannel],
  });
}

describe('the channel registry', () => {
  it('turns a channel on only when its settings are set, and refuses half-set ones by name', () => {
    expect([...registry({}).active.keys()]).toEqual([]);
    expect([...registry({ FAKE_TOKEN: 't', FAKE_SECRET: 's' }).active.keys()]).toEqual(['fake']);
    expect(() => registry({ FAKE_TOKEN: 't' })).toThrow(ConfigError);
    expect(() => registry({ FAKE_TOKEN: 't' })).toThrow(/FAKE_TOKEN is set but FAKE_SECRET is not/);
    expect(() => registry({ WEBHOOK_URL: 'http://127.0.0.1:9/hook' })).toThrow(
      /WEBHOOK_SECRET is not/,
    );
  });

  it('sends a platform channel only through its own adapter, other names through the webhook', () => {
    const channels = registry({
      FAKE_TOKEN: 't',
      FAKE_SECRET: 's',
      WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      WEBHOOK_SECRET: 'secret',
      WEBHOOK_CHANNELS: '*',
    });
    expect(channels.directory('fake')).toBe(fakeSender);
    expect(channels.directory('web-chat')?.name).toBe('webhook');
    expect(channels.ownsChannel('fake')).toBe(true);
    expect(channels.ownsChannel('web-chat')).toBe(false);
    const scoped = registry({
      WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      WEBHOOK_SECRET: 'secret',
      WEBHOOK_CHANNELS: 'shop-a',
    });
    expect(scoped.directory('shop-a')?.name).toBe('webhook');
    expect(scoped.directory('shop-b')).toBeUndefined();
  });

  it('checks mapped messages against the message contract before they reach the intake', async () => {
    const received: InboundMessage[] = [];
    registry({ FAKE_TOKEN: 't', FAKE_SECRET: 's' }, received);
    const message = {
      externalMessageId: 'x1',
      conversationId: 'chat-1',
      customer: { id: 'u1' },
      text: 'Where is my parcel?',
    };
    await context!.receive(message);
    expect(received).toEqual([{ ...message, channel: 'fake' }]);
    await expect(context!.receive({ ...message, text: '   ' })).rejects.toThrow(InvalidError);
    await expect(context!.receive({ ...message, text: 'x'.repeat(101) })).rejects.toThrow(
      /fake message does not fit/,
    );
    expect(received).toHaveLength(1);
  });

  it('remembers event ids and state per channel in the database', async () => {
    registry({ FAKE_TOKEN: 't', FAKE_SECRET: 's' });
    expect(await context!.firstDelivery('evt-1')).toBe(true);
    expect(await context!.firstDelivery('evt-1')).toBe(false);
    expect(await context!.firstDelivery('evt-2')).toBe(true);
    // An event whose message could not be stored is forgotten: the platform's retry is taken.
    await context!.forgetDelivery('evt-1');
    expect(await context!.firstDelivery('evt-1')).toBe(true);
    expect(await context!.readState('cursor')).toBeUndefined();
    await context!.writeState('cursor', { next: 'abc' });
    await context!.writeState('cursor', { next: 'def' });
    expect(await context!.readState('cursor')).toEqual({ next: 'def' });
    const rows = await database.db.selectFrom('channel_state').selectAll().execute();
    expect(rows.map((row) => [row.channel, row.key])).toEqual([['fake', 'cursor']]);
  });

  it('mounts each configured channel under /channels/<name>/', async () => {
    const { Hono } = await import('hono');
    const app = new Hono();
    registry({ FAKE_TOKEN: 'token-1', FAKE_SECRET: 's' }).mount(app);
    const response = await app.request('/channels/fake/hook', { method: 'POST' });
    expect(await response.text()).toBe('token-1');
  });

  it('queues a hand-off only for a channel whose adapter takes hand-offs', async () => {
    const handoff = {
      type: 'conversation.handoff' as const,
      messageId: '00000000-0000-0000-0000-000000000000',
      channel: 'web-chat',
      conversationId: 'c',
      customerId: 'u',
      inReplyTo: null,
      ticketId: 't',
      category: 'refund',
      urgency: { score: 50, level: 'normal' as const },
      reasons: [],
      draft: null,
      firstResponseDueAt: clock.now().toISOString(),
      createdAt: clock.now().toISOString(),
    };
    const webhookOnly = registry({
      WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      WEBHOOK_SECRET: 'secret',
    }).directory;
    const id = await database.db
      .transaction()
      .execute((trx) => enqueueDelivery(trx, handoff, { channels: webhookOnly, now: clock.now() }));
    expect(id).toBeNull();
  });
});
