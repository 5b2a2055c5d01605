/**
 * The WeCom customer service channel end to end on one service: WeCom's encrypted callbacks
 * come in, the adapter fetches the messages from a local fake of the WeCom API (gettoken,
 * kf/sync_msg, kf/send_msg), triage runs, and the replies leave through the outbox.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakePlatform,
  type RecordedRequest,
  startFakePlatform,
} from '../../testing/fake-platform.js';
import { startTestService, type TestService } from '../../testing/service.js';
import { manualClock } from '../../time/clock.js';
import type { WecomAdapter } from './index.js';
import { createWecomCrypto } from './wecom-crypto.js';

const settings = {
  corpId: 'ww1436e0e65a779aee',
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
};
const crypto = createWecomCrypto({ ...settings, receiveId: settings.corpId });
const clock = manualClock('2026-12-05T02:00:00Z');
const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const documented = JSON.parse(fixture('sync-msg.json')) as { msg_list: Record<string, unknown>[] };

interface Page {
  next_cursor: string;
  has_more: 0 | 1;
  msg_list: unknown[];
}

/** The fake WeCom API: tokens it issued and still accepts, and sync_msg pages by account and cursor. */
const wecom = {
  issued: 0,
  valid: new Set<string>(),
  pages: new Map<string, Page>(),
  /** Customers whose session a servicer took: send_msg refuses them (95018), as WeCom does. */
  heldByServicer: new Set<string>(),
  /** Replaces every sync_msg answer (an outage). */
  syncAnswer: undefined as (() => unknown) | undefined,
};
const pageKey = (openKfId: string, cursor: string | undefined) => `${openKfId}|${cursor ?? ''}`;

let api: FakePlatform;
let service: TestService;

beforeAll(async () => {
  api = await startFakePlatform((request) => {
    if (request.path === '/cgi-bin/gettoken') {
      const token = `wecom-access-token-${++wecom.issued}`;
      wecom.valid.add(token);
      return { body: { ...JSON.parse(fixture('gettoken.json')), access_token: token } };
    }
    if (!wecom.valid.has(request.query.get('access_token') ?? ''))
      return { body: { errcode: 40014, errmsg: 'invalid access_token' } };
    if (request.path === '/cgi-bin/kf/sync_msg') {
      if (wecom.syncAnswer) return { body: wecom.syncAnswer() };
      const body = request.json as { open_kfid: string; cursor?: string };
      const page = wecom.pages.get(pageKey(body.open_kfid, body.cursor));
      return {
        body: {
          errcode: 0,
          errmsg: 'ok',
          ...(page ?? { next_cursor: body.cursor ?? '', has_more: 0, msg_list: [] }),
        },
      };
    }
    if (request.path === '/cgi-bin/kf/send_msg') {
      const held = wecom.heldByServicer.has((request.json as { touser: string }).touser);
      return { body: fixture(held ? 'send-msg-session-invalid.json' : 'send-msg.json') };
    }
    return { status: 404, body: { errcode: 404, errmsg: 'not in the fake' } };
  });
  service = await startTestService(
    {
      WECOM_CORP_ID: settings.corpId,
      WECOM_SECRET: 'wecom-kf-secret',
      WECOM_TOKEN: settings.token,
      WECOM_ENCODING_AES_KEY: settings.encodingAesKey,
      WECOM_API_BASE_URL: api.url,
    },
    { clock },
  );
});
afterAll(async () => {
  await service?.close();
  await api?.close();
});
beforeEach(() => {
  wecom.syncAnswer = undefined;
});

const adapter = () => service.channelRegistry.active.get('wecom') as WecomAdapter;

/** A customer's text as sync_msg lists it (the documented entry, with this test's ids). */
function customerText(openKfId: string, customer: string, msgid: string, text: string) {
  return {
    ...documented.msg_list[0],
    msgid,
    open_kfid: openKfId,
    external_userid: customer,
    send_time: Math.floor(clock.now().getTime() / 1000) - 5,
    text: { content: text },
  };
}

/** The encrypted callback WeCom POSTs when a kf account has news. */
function kfEventXml(openKfId: string, token = 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR') {
  return fixture('kf-event.xml')
    .replace('ww12345678910', settings.corpId)
    .replace('wkxxxxxxx', openKfId)
    .replace('ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR', token);
}

function signedQuery(encrypted: string, signature?: string) {
  const timestamp = String(Math.floor(clock.now().getTime() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  return new URLSearchParams({
    msg_signature: signature ?? crypto.sign(timestamp, nonce, encrypted),
    timestamp,
    nonce,
  });
}

function envelope(encrypted: string) {
  return `<xml><ToUserName><![CDATA[${settings.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`;
}

async function callback(openKfId: string, options: { signature?: string; token?: string } = {}) {
  const encrypted = crypto.encrypt(kfEventXml(openKfId, options.token));
  return postCallback(envelope(encrypted), signedQuery(encrypted, options.signature));
}

function postCallback(body: string, query: URLSearchParams) {
  return service.app.request(`/channels/wecom/callback?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body,
  });
}

/** The fetch after the callback, triage, and the outbox sending what is due. */
async function settle() {
  await adapter().syncIdle();
  await service.intake.idle();
  await service.outbox.deliverDue();
}

const requestsTo = (path: string) => api.requests.filter((request) => request.path === path);
const sendsTo = (customer: string) =>
  requestsTo('/cgi-bin/kf/send_msg').filter(
    (request) => (request.json as { touser: string }).touser === customer,
  );
const syncsOf = (openKfId: string) =>
  requestsTo('/cgi-bin/kf/sync_msg').filter(
    (request: RecordedRequest) => (request.json as { open_kfid: string }).open_kfid === openKfId,
  );

async function conversation(openKfId: string, customer: string) {
  return service.conversations
    .getByExternalId('wecom', `${openKfId}:${customer}`)
    .catch(() => undefined);
}

describe('the WeCom customer service channel', () => {
  it('answers the URL check of 回调配置 with the decrypted echostr', async () => {
    const echostr = crypto.encrypt('1288432023552776189');
    const query = signedQuery(echostr);
    query.set('echostr', echostr);
    const response = await service.app.request(`/channels/wecom/callback?${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('1288432023552776189');

    const forged = signedQuery(echostr, '0'.repeat(40));
    forged.set('echostr', echostr);
    expect((await service.app.request(`/channels/wecom/callback?${forged}`)).status).toBe(401);
    expect((await service.app.request('/channels/wecom/callback')).status).toBe(400);
  });

  it('fetches the customer text after a callback, stores it once and replies with send_msg', async () => {
    const kf = 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q';
    const customer = 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw';
    wecom.pages.set(pageKey(kf, undefined), {
      next_cursor: 'cursor-1',
      has_more: 0,
      msg_list: [
        customerText(kf, customer, 'msg-1001', 'How long does a refund take to reach my card?'),
        { ...documented.msg_list[1], msgid: 'msg-1002', open_kfid: kf, external_userid: customer },
        { ...documented.msg_list[3], msgid: 'msg-1003' },
      ],
    });
    const response = await callback(kf);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await settle();

    // sync_msg with the callback's token and the account, from the start (no cursor yet).
    expect(syncsOf(kf)[0]!.json).toEqual({
      token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR',
      limit: 1000,
      open_kfid: kf,
    });
    const stored = await conversation(kf, customer);
    expect(stored?.customer.id).toBe(customer);
    const inbound = stored!.messages.filter((message) => message.direction === 'inbound');
    expect(inbound.map((message) => message.text)).toEqual([
      'How long does a refund take to reach my card?',
    ]);
    const reply = stored!.messages.find((message) => message.author === 'bot');
    expect(reply).toBeDefined();
    expect(sendsTo(customer)).toHaveLength(1);
    expect(sendsTo(customer)[0]!.json).toEqual({
      touser: customer,
      open_kfid: kf,
      msgtype: 'text',
      text: { content: reply!.text },
    });

    // WeCom repeats the callback, and sync_msg (another instance's cursor, say) lists the same
    // message again: nothing new is stored or sent.
    const messagesBefore = stored!.messages.length;
    const page = wecom.pages.get(pageKey(kf, undefined))!;
    wecom.pages.set(pageKey(kf, 'cursor-1'), { ...page, next_cursor: 'cursor-1' });
    expect((await callback(kf)).status).toBe(200);
    await settle();
    expect(syncsOf(kf).at(-1)!.json).toMatchObject({ cursor: 'cursor-1' });
    expect((await conversation(kf, customer))!.messages).toHaveLength(messagesBefore);
    expect(sendsTo(customer)).toHaveLength(1);
  });

  it('keeps the cursor per account, follows has_more and starts the next sync where it stopped', async () => {
    const kf = 'wk-cursor-account';
    wecom.pages.set(pageKey(kf, undefined), {
      next_cursor: 'page-2',
      has_more: 1,
      msg_list: [customerText(kf, 'wm-cursor-a', 'msg-2001', '退款多久到账？')],
    });
    wecom.pages.set(pageKey(kf, 'page-2'), {
      next_cursor: 'page-3',
      has_more: 0,
      msg_list: [customerText(kf, 'wm-cursor-b', 'msg-2002', '退款多久到账？')],
    });
    await callback(kf);
    await settle();
    expect(syncsOf(kf).map((request) => (request.json as { cursor?: string }).cursor)).toEqual([
      undefined,
      'page-2',
    ]);
    expect(await conversation(kf, 'wm-cursor-a')).toBeDefined();
    expect(await conversation(kf, 'wm-cursor-b')).toBeDefined();

    wecom.pages.set(pageKey(kf, 'page-3'), {
      next_cursor: 'page-4',
      has_more: 0,
      msg_list: [customerText(kf, 'wm-cursor-c', 'msg-2003', '退款多久到账？')],
    });
    await callback(kf, { token: 'ENC-second-callback-token' });
    await settle();
    expect(syncsOf(kf).at(-1)!.json).toEqual({
      cursor: 'page-3',
      token: 'ENC-second-callback-token',
      limit: 1000,
      open_kfid: kf,
    });
    expect(await conversation(kf, 'wm-cursor-c')).toBeDefined();
  });

  it('fetches the access token once for many calls and again once it expired or was refused', async () => {
    const kf = 'wk-token-account';
    const gettokens = () => requestsTo('/cgi-bin/gettoken').length;
    await callback(kf);
    await settle();
    const before = gettokens();
    expect(before).toBeGreaterThanOrEqual(1);
    let cursor: string | undefined;
    for (const customer of ['wm-token-a', 'wm-token-b']) {
      wecom.pages.set(pageKey(kf, cursor), {
        next_cursor: `${customer}-done`,
        has_more: 0,
        msg_list: [customerText(kf, customer, `msg-${customer}`, '退款多久到账？')],
      });
      await callback(kf);
      await settle();
      cursor = `${customer}-done`;
    }
    expect(sendsTo('wm-token-a')).toHaveLength(1);
    expect(sendsTo('wm-token-b')).toHaveLength(1);
    expect(gettokens()).toBe(before);
    const tokenUsed = requestsTo('/cgi-bin/kf/send_msg').at(-1)!.query.get('access_token');

    clock.advance(2 * 3_600_000); // past expires_in (7200 s)
    await callback(kf);
    await settle();
    expect(gettokens()).toBe(before + 1);
    expect(syncsOf(kf).at(-1)!.query.get('access_token')).not.toBe(tokenUsed);

    wecom.valid.clear(); // WeCom ended the token early: 40014, refreshed, called again
    await callback(kf);
    await settle();
    expect(gettokens()).toBe(before + 2);
    const last = syncsOf(kf).slice(-2);
    expect(last.map((request) => wecom.valid.has(request.query.get('access_token')!))).toEqual([
      false,
      true,
    ]);
  });

  it('refuses a wrong signature, a stale timestamp and malformed XML, and stores nothing', async () => {
    const kf = 'wk-refused-account';
    wecom.pages.set(pageKey(kf, undefined), {
      next_cursor: 'c',
      has_more: 0,
      msg_list: [
        customerText(kf, 'wm-refused', 'msg-3001', 'How long does a refund take to reach my card?'),
      ],
    });
    const forged = await callback(kf, { signature: crypto.sign('1', '2', 'other') });
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.code).toBe('unauthorized');

    const encrypted = crypto.encrypt(kfEventXml(kf));
    const old = signedQuery(encrypted);
    const oldTimestamp = String(Number(old.get('timestamp')) - 3_600);
    old.set('timestamp', oldTimestamp);
    old.set('msg_signature', crypto.sign(oldTimestamp, old.get('nonce')!, encrypted));
    expect((await postCallback(envelope(encrypted), old)).status).toBe(401);

    // Encrypted for another corp: the signature is right, the receiver is not us.
    const otherCorp = createWecomCrypto({ ...settings, receiveId: 'ww0000000000000000' });
    const foreign = otherCorp.encrypt(kfEventXml(kf));
    expect((await postCallback(envelope(foreign), signedQuery(foreign))).status).toBe(401);

    for (const body of ['not xml', '<xml><Encrypt>', '{"encrypt":"x"}', '<xml></xml>']) {
      const response = await postCallback(body, signedQuery('x'));
      expect(response.status, body).toBe(400);
    }
    await settle();
    expect(syncsOf(kf)).toHaveLength(0);
    expect(await conversation(kf, 'wm-refused')).toBeUndefined();
  });

  it("records a servicer's message as an agent reply: the bot answers no more", async () => {
    const kf = 'wk-servicer-account';
    const customer = 'wm-servicer-customer';
    const question = 'How long does a refund take to reach my card?';
    wecom.pages.set(pageKey(kf, undefined), {
      next_cursor: 's1',
      has_more: 0,
      msg_list: [customerText(kf, customer, 'msg-4001', question)],
    });
    await callback(kf);
    await settle();
    expect(sendsTo(customer)).toHaveLength(1);

    // Zhangsan answers in the WeCom client (origin 5): the session is his now.
    wecom.pages.set(pageKey(kf, 's1'), {
      next_cursor: 's2',
      has_more: 0,
      msg_list: [
        { ...documented.msg_list[2], msgid: 'msg-4002', open_kfid: kf, external_userid: customer },
      ],
    });
    wecom.heldByServicer.add(customer);
    await callback(kf);
    await settle();
    wecom.pages.set(pageKey(kf, 's2'), {
      next_cursor: 's3',
      has_more: 0,
      msg_list: [customerText(kf, customer, 'msg-4003', question)],
    });
    await callback(kf);
    await settle();

    const stored = (await conversation(kf, customer))!;
    expect(stored.status).toBe('agent');
    expect(stored.messages.find((message) => message.author === 'agent')).toMatchObject({
      authorId: 'Zhangsan',
      text: '你好，我是客服张三，请问有什么可以帮您？',
    });
    expect(stored.messages.filter((message) => message.author === 'customer')).toHaveLength(2);
    // The second question is handed to the agents (a ticket), not answered by the bot, and no
    // bot notice of the ticket goes out while the servicer holds the session.
    const bot = stored.messages.filter((message) => message.author === 'bot');
    expect(bot.map((message) => message.authorId)).toEqual(['local']);
    const tickets = await service.tickets.queue({ status: 'active' });
    expect(tickets.some((ticket) => ticket.conversationId === stored.id)).toBe(true);
    expect(sendsTo(customer)).toHaveLength(1);
    clock.advance(3_600_000);
    await service.outbox.deliverDue();
    expect(sendsTo(customer)).toHaveLength(1);
  });

  it('loses nothing when the fetch fails after the callback was answered: start() catches up', async () => {
    const kf = 'wk-outage-account';
    const customer = 'wm-outage-customer';
    wecom.pages.set(pageKey(kf, undefined), {
      next_cursor: 'o1',
      has_more: 0,
      msg_list: [customerText(kf, customer, 'msg-5001', '退款多久到账？')],
    });
    wecom.syncAnswer = () => ({ errcode: -1, errmsg: 'system busy' });
    expect((await callback(kf)).status).toBe(200);
    await settle();
    expect(syncsOf(kf)).toHaveLength(1);
    expect(await conversation(kf, customer)).toBeUndefined();

    // As after a restart: start() syncs every account it knows, from the stored cursor.
    wecom.syncAnswer = undefined;
    await service.channelRegistry.start();
    await settle();
    expect(syncsOf(kf)).toHaveLength(2);
    expect(syncsOf(kf)[1]!.json).not.toHaveProperty('cursor');
    const stored = await conversation(kf, customer);
    expect(stored?.messages.filter((message) => message.author === 'customer')).toHaveLength(1);
    expect(sendsTo(customer)).toHaveLength(1);
  });
});
