import { describe, expect, it } from 'vitest';
import { BusyError, InvalidError } from '../../errors/domain-errors.js';
import { silentLogger } from '../../testing/logger.js';
import { manualClock } from '../../time/clock.js';
import type { ChannelContext } from '../channel-module.js';
import { createKfSync, type KfSyncContext } from './kf-sync.js';
import type { WecomApi } from './wecom-api.js';

const clock = manualClock('2026-12-05T02:00:00Z');
const seconds = () => Math.floor(clock.now().getTime() / 1000);

function text(msgid: string, sendTime = seconds()) {
  return {
    msgid,
    open_kfid: 'wk1',
    external_userid: 'wm1',
    send_time: sendTime,
    origin: 3,
    msgtype: 'text',
    text: { content: `question ${msgid}` },
  };
}

/** sync_msg answers by cursor; records each call and whether two ever ran at once. */
function fakeApi(
  pages: Record<string, { next_cursor: string; has_more: number; msg_list: unknown[] }>,
) {
  const calls: { cursor?: string; token?: string }[] = [];
  let running = 0;
  let overlapped = false;
  const api: WecomApi = {
    accessToken: async () => 't',
    async post(_path, body) {
      const request = body as { cursor?: string; token?: string };
      calls.push(request);
      running++;
      if (running > 1) overlapped = true;
      await new Promise((resolve) => setTimeout(resolve, 15));
      running--;
      const page = pages[request.cursor ?? ''];
      return {
        errcode: 0,
        ...(page ?? { next_cursor: request.cursor ?? '', has_more: 0, msg_list: [] }),
      };
    },
  };
  return { api, calls, overlapped: () => overlapped };
}

function fakeContext(receive: ChannelContext['receive'] = async () => ({}) as never) {
  const state = new Map<string, unknown>();
  const received: string[] = [];
  const context: KfSyncContext = {
    clock,
    logger: silentLogger(),
    maxTextChars: 4000,
    readState: async (key: string) => state.get(key),
    writeState: async (key: string, value: unknown) => void state.set(key, value),
    receive: async (message: Parameters<ChannelContext['receive']>[0]) => {
      const result = await receive(message);
      received.push(message.externalMessageId);
      return result;
    },
    recordAgentReply: async () => 'recorded' as const,
  };
  return { context, state, received };
}

describe('kf sync', () => {
  it('runs one sync per account at a time; callbacks meanwhile fold into one more run from the new cursor', async () => {
    const { api, calls, overlapped } = fakeApi({
      '': { next_cursor: 'c1', has_more: 0, msg_list: [text('m1')] },
      c1: { next_cursor: 'c2', has_more: 0, msg_list: [text('m2')] },
    });
    const { context, state, received } = fakeContext();
    const sync = createKfSync({ api, context, catchUpIntervalMs: 0 });
    await Promise.all([
      sync.request('wk1', 'token-a'),
      sync.request('wk1', 'token-b'),
      sync.request('wk1', 'token-c'),
    ]);
    await sync.idle();
    expect(overlapped()).toBe(false);
    // The first run, then a single further one with the newest token from the stored cursor.
    expect(calls).toMatchObject([
      { token: 'token-a', open_kfid: 'wk1' },
      { cursor: 'c1', token: 'token-c' },
    ]);
    expect(received).toEqual(['m1', 'm2']);
    expect(state.get('cursor:wk1')).toEqual({ cursor: 'c2' });
  });

  it('keeps the cursor when the intake is busy and fetches the page again later', async () => {
    const { api, calls } = fakeApi({
      '': { next_cursor: 'c1', has_more: 0, msg_list: [text('m1'), text('m2')] },
    });
    let busy = true;
    const { context, state, received } = fakeContext(async (message) => {
      if (busy && message.externalMessageId === 'm2') throw new BusyError('full', 1);
      return {} as never;
    });
    const sync = createKfSync({ api, context, catchUpIntervalMs: 0 });
    await sync.noteCallback('wk1', 'token-a');
    await sync.request('wk1', 'token-a');
    expect(received).toEqual(['m1']);
    expect(state.get('cursor:wk1')).toBeUndefined();
    expect(state.get('pending:wk1')).toMatchObject({ token: 'token-a' });
    busy = false;
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // retryAfterSeconds: 1
    await sync.idle();
    expect(calls).toHaveLength(2);
    // The page again (m1 again is the intake's duplicate), with the pending callback's token.
    expect(calls[1]).toMatchObject({ token: 'token-a' });
    expect(calls[1]).not.toHaveProperty('cursor');
    expect(received).toEqual(['m1', 'm1', 'm2']);
    expect(state.get('cursor:wk1')).toEqual({ cursor: 'c1' });
    expect(state.get('pending:wk1')).toBeNull();
    await sync.stop();
  });

  it('passes over a message the intake will never take and one past the 48 h reply window', async () => {
    const { api } = fakeApi({
      '': {
        next_cursor: 'c1',
        has_more: 0,
        msg_list: [text('old', seconds() - 49 * 3600), text('bad'), text('good')],
      },
    });
    const { context, state, received } = fakeContext(async (message) => {
      if (message.externalMessageId === 'bad') throw new InvalidError('no');
      return {} as never;
    });
    const sync = createKfSync({ api, context, catchUpIntervalMs: 0 });
    await sync.request('wk1');
    expect(received).toEqual(['good']);
    expect(state.get('cursor:wk1')).toEqual({ cursor: 'c1' });
  });

  it('keeps the pending mark of a callback that came after the run began, and start() syncs known accounts', async () => {
    const { api, calls } = fakeApi({});
    const { context, state } = fakeContext();
    const sync = createKfSync({ api, context, catchUpIntervalMs: 0 });
    await sync.noteCallback('wk1', 'token-a');
    await sync.noteCallback('wk2', undefined);
    expect(state.get('accounts')).toEqual(['wk1', 'wk2']);
    clock.advance(1_000);
    const run = sync.request('wk1');
    clock.advance(1);
    await sync.noteCallback('wk1', 'token-b'); // arrives while the run is in flight
    await run;
    expect(state.get('pending:wk1')).toMatchObject({ token: 'token-b' });
    await sync.start();
    await sync.idle();
    expect(calls.map((call) => (call as { open_kfid?: string }).open_kfid)).toEqual([
      'wk1',
      'wk1',
      'wk2',
    ]);
    expect(state.get('pending:wk1')).toBeNull();
    await sync.stop();
  });
});
