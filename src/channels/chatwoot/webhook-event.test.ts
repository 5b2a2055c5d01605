import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readChatwootEvent } from './webhook-event.js';

const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8'));

describe('reading what Chatwoot sends an agent bot', () => {
  it("maps the documentation's message_created sample to a customer message", () => {
    expect(readChatwootEvent(fixture('message-created-incoming'))).toEqual({
      kind: 'customer_message',
      message: {
        externalMessageId: '118',
        conversationId: '1:10',
        customer: { id: '1:14', name: 'little-haze-776' },
        text: 'hi',
        sentAt: '2021-07-23T18:02:48.000Z',
      },
    });
  });

  it('records an agent’s public reply and names the agent', () => {
    expect(readChatwootEvent(fixture('message-created-agent-reply'))).toEqual({
      kind: 'agent_reply',
      reply: {
        conversationId: '1:10',
        externalMessageId: '121',
        agentId: 'John',
        text: 'Your parcel was re-sent today, tracking follows by email.',
      },
    });
  });

  it('ignores our own replies echoed back, private notes and other events', () => {
    expect(readChatwootEvent(fixture('message-created-bot-echo'))).toMatchObject({
      kind: 'ignored',
      reason: 'outgoing message from agent_bot',
    });
    expect(readChatwootEvent(fixture('message-created-private-note'))).toMatchObject({
      kind: 'ignored',
      reason: 'private note',
    });
    // Resolved by Chatwoot's agents: the documented payload names its account on its messages.
    expect(readChatwootEvent(fixture('conversation-resolved'))).toEqual({
      kind: 'resolved',
      conversationId: '1:10',
    });
    expect(
      readChatwootEvent({ ...fixture('conversation-resolved'), account_id: 7, messages: [] }),
    ).toEqual({ kind: 'resolved', conversationId: '7:10' });
    expect(readChatwootEvent({ ...fixture('conversation-resolved'), messages: [] })).toMatchObject({
      kind: 'ignored',
      reason: 'conversation_resolved without its account',
    });
    expect(
      readChatwootEvent({ ...fixture('message-created-incoming'), event: 'message_updated' }),
    ).toMatchObject({ kind: 'ignored' });
    // An automation's or campaign's message has no sender: not a person answering.
    expect(
      readChatwootEvent({
        ...fixture('message-created-agent-reply'),
        sender: null,
      }),
    ).toMatchObject({ kind: 'ignored', reason: 'outgoing message from no sender' });
    expect(
      readChatwootEvent({ ...fixture('message-created-incoming'), message_type: 'activity' }),
    ).toMatchObject({ kind: 'ignored', reason: 'activity message' });
  });

  it('reads the older payload forms: string ids, numeric types, "… UTC" and unix times', () => {
    const event = readChatwootEvent({
      ...fixture('message-created-incoming'),
      id: '7',
      message_type: 0,
      created_at: '2020-03-03 13:05:57 UTC',
      account: { id: '3', name: 'Chatwoot' },
    });
    expect(event).toMatchObject({
      kind: 'customer_message',
      message: {
        externalMessageId: '7',
        conversationId: '3:10',
        sentAt: '2020-03-03T13:05:57.000Z',
      },
    });
    expect(
      readChatwootEvent({ ...fixture('message-created-incoming'), created_at: 1627063368 }),
    ).toMatchObject({ message: { sentAt: '2021-07-23T18:02:48.000Z' } });
    // An unreadable time is left out rather than refused.
    const undated = readChatwootEvent({
      ...fixture('message-created-incoming'),
      created_at: 'yesterday',
    });
    expect(undated.kind).toBe('customer_message');
    expect(undated.kind === 'customer_message' && 'sentAt' in undated.message).toBe(false);
  });

  it('gives a message without text in a bot-held conversation to agents', () => {
    const picture: Record<string, any> = {
      ...fixture('message-created-incoming'),
      content: null,
      attachments: [{ file_type: 'image' }],
    };
    expect(
      readChatwootEvent({
        ...picture,
        conversation: { ...picture.conversation, status: 'pending' },
      }),
    ).toEqual({
      kind: 'needs_agent',
      conversation: { accountId: '1', conversationId: '10' },
      reason: 'a message without text',
    });
    // Already with agents: nothing to do.
    expect(readChatwootEvent(picture)).toMatchObject({ kind: 'ignored' });
  });

  it('refuses what is not a Chatwoot message', () => {
    expect(readChatwootEvent([])).toMatchObject({ kind: 'invalid' });
    expect(readChatwootEvent({ event: 'message_created', id: 1 })).toMatchObject({
      kind: 'invalid',
    });
    const { account: _account, ...withoutAccount } = fixture('message-created-incoming');
    expect(readChatwootEvent(withoutAccount)).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('account'),
    });
  });
});
