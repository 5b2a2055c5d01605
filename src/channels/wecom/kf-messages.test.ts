import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  kfAction,
  kfConversationId,
  parseKfConversationId,
  syncMsgResponseSchema,
} from './kf-messages.js';

const syncMsg = syncMsgResponseSchema.parse(
  JSON.parse(
    readFileSync(new URL('./__fixtures__/sync-msg.json', import.meta.url), 'utf8'),
  ) as unknown,
);

describe('kf/sync_msg entries', () => {
  it('maps the documented answer: customer text, customer image, servicer text, event', () => {
    expect(syncMsg.next_cursor).toBe('4gw7MepFLfgF2VC5npN');
    expect(syncMsg.msg_list.map(kfAction)).toEqual([
      {
        kind: 'customer_text',
        msgid: 'from_msgid_4622416642169452483',
        conversationId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q:wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
        customerId: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
        text: 'hello world',
        sentAt: new Date(1615478585_000),
      },
      {
        kind: 'skip',
        msgid: 'from_msgid_4622416642169452484',
        reason: 'customer image message',
      },
      {
        kind: 'servicer_reply',
        msgid: 'from_msgid_4622416642169452485',
        conversationId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q:wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
        servicerId: 'Zhangsan',
        text: '你好，我是客服张三，请问有什么可以帮您？',
      },
      { kind: 'skip', msgid: 'from_msgid_4622416642169452486', reason: 'event enter_session' },
    ]);
  });

  it('records a servicer image as a reply too, and skips what it cannot read', () => {
    const image = kfAction({
      msgid: 'm1',
      open_kfid: 'wk1',
      external_userid: 'wm1',
      send_time: 1,
      origin: 5,
      msgtype: 'image',
      image: { media_id: 'x' },
    });
    expect(image).toMatchObject({
      kind: 'servicer_reply',
      text: '[image]',
      servicerId: 'wecom-servicer',
    });
    expect(kfAction({ msgid: 'm2' })).toMatchObject({ kind: 'skip', msgid: 'm2' });
    expect(kfAction(null)).toMatchObject({ kind: 'skip', msgid: '?' });
    expect(
      kfAction({
        msgid: 'm3',
        open_kfid: 'wk1',
        external_userid: 'wm1',
        send_time: 1,
        origin: 3,
        msgtype: 'text',
        text: { content: '  ' },
      }),
    ).toMatchObject({ kind: 'skip', reason: 'empty text' });
  });

  it('encodes both ids into the conversation id and reads them back', () => {
    const id = kfConversationId(
      'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q',
      'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
    );
    expect(parseKfConversationId(id)).toEqual({
      openKfId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q',
      externalUserId: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
    });
    expect(parseKfConversationId('no-separator')).toBeUndefined();
    expect(parseKfConversationId(':wm1')).toBeUndefined();
    expect(parseKfConversationId('wk1:')).toBeUndefined();
  });
});
