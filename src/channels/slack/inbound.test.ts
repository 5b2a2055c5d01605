import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSlackConversationId } from './addresses.js';
import { eventCallbackSchema } from './events.js';
import { mapSlackEvent, slackTsToIso } from './inbound.js';
import { plainToSlackText, slackTextToPlain } from './slack-text.js';

const fixture = (name: string) =>
  eventCallbackSchema.parse(
    JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8')),
  );
const noBot = { userIds: new Set<string>() };

describe('Slack events to messages', () => {
  it('maps a DM: the DM channel and its ts name the thread, team and user the customer', () => {
    expect(mapSlackEvent(fixture('message-im'), noBot)).toEqual({
      kind: 'message',
      message: {
        externalMessageId: 'D024BE91L:1355517523.000005',
        conversationId: 'D024BE91L:1355517523.000005',
        customer: { id: 'T061EG9R6:U2147483697' },
        text: 'How long does a refund take to reach my card?',
        sentAt: '2012-12-14T20:38:43.000Z',
      },
    });
  });

  it('maps a channel message and its app_mention to the same message, without the bot mention', () => {
    const asMessage = mapSlackEvent(fixture('message-channel-mention'), noBot);
    const asMention = mapSlackEvent(fixture('app-mention'), noBot);
    expect(asMessage).toEqual(asMention);
    expect(asMessage).toMatchObject({
      kind: 'message',
      message: {
        externalMessageId: 'C123ABC456:1515449522.000016',
        conversationId: 'C123ABC456:1515449522.000016',
        customer: { id: 'T061EG9R6:U061F7AUR' },
        text: 'How long does a refund take to reach my card? <order 1234>',
      },
    });
  });

  it("puts a thread reply in its parent's conversation", () => {
    expect(mapSlackEvent(fixture('message-thread'), noBot)).toMatchObject({
      kind: 'message',
      message: {
        externalMessageId: 'C123ABC456:1515449600.000200',
        conversationId: 'C123ABC456:1515449522.000016',
      },
    });
  });

  it('ignores bots, our own replies, edits, deletions, joins and rate-limit notices', () => {
    const reasons = Object.fromEntries(
      ['bot-message', 'own-bot-reply', 'message-changed', 'message-deleted', 'channel-join'].map(
        (name) => [name, mapSlackEvent(fixture(name), noBot)],
      ),
    );
    expect(reasons).toEqual({
      'bot-message': { kind: 'ignored', reason: 'subtype bot_message' },
      'own-bot-reply': { kind: 'ignored', reason: 'bot message' },
      'message-changed': { kind: 'ignored', reason: 'subtype message_changed' },
      'message-deleted': { kind: 'ignored', reason: 'subtype message_deleted' },
      'channel-join': { kind: 'ignored', reason: 'subtype channel_join' },
    });
  });

  it("ignores our bot user's message even without bot_id, from authorizations or auth.test", () => {
    const envelope = fixture('own-bot-reply');
    const {
      bot_id: _botId,
      bot_profile: _profile,
      ...event
    } = envelope.event as Record<string, unknown>;
    const withoutBotId = { ...envelope, event: { ...event, type: 'message' } };
    expect(mapSlackEvent(withoutBotId, noBot)).toEqual({
      kind: 'ignored',
      reason: 'our own message',
    });
    const { authorizations: _authorizations, ...bare } = withoutBotId;
    expect(mapSlackEvent(bare, noBot).kind).toBe('message');
    expect(mapSlackEvent(bare, { userIds: new Set(['U0LAN0Z89']) })).toEqual({
      kind: 'ignored',
      reason: 'our own message',
    });
  });

  it('ignores empty texts and events of other types', () => {
    const envelope = fixture('message-im');
    const withText = (text: string) => ({ ...envelope, event: { ...envelope.event, text } });
    expect(mapSlackEvent(withText('   '), noBot)).toEqual({ kind: 'ignored', reason: 'no text' });
    expect(mapSlackEvent(withText('<@U0LAN0Z89>'), noBot)).toEqual({
      kind: 'ignored',
      reason: 'no text',
    });
    expect(
      mapSlackEvent({ ...envelope, event: { type: 'reaction_added', user: 'U1' } }, noBot),
    ).toEqual({ kind: 'ignored', reason: 'event reaction_added' });
    expect(
      mapSlackEvent({ ...envelope, event: { type: 'message', channel: 'D1', ts: 'x' } }, noBot),
    ).toEqual({ kind: 'ignored', reason: 'unreadable message event' });
  });

  it('takes a thread broadcast, which is a person writing', () => {
    const envelope = fixture('message-thread');
    const broadcast = { ...envelope, event: { ...envelope.event, subtype: 'thread_broadcast' } };
    expect(mapSlackEvent(broadcast, noBot).kind).toBe('message');
  });
});

describe('Slack text', () => {
  it('turns markup into plain text and drops only our own mention', () => {
    const own = new Set(['UBOT']);
    expect(
      slackTextToPlain(
        '<@UBOT> ask <@U123|alice> in <#C1|support>, <!here>: see <https://x.test/a?b=1&amp;c=2|the page> or <mailto:a@b.test|a@b.test> &amp; 1 &lt; 2 &gt; 0 &amp;lt;',
        own,
      ),
    ).toBe(
      'ask @alice in #support, @here: see the page (https://x.test/a?b=1&c=2) or a@b.test & 1 < 2 > 0 &lt;',
    );
    expect(slackTextToPlain('<https://x.test>')).toBe('https://x.test');
  });

  it('escapes the three control characters of a reply', () => {
    expect(plainToSlackText('a < b & c > d <@U1>')).toBe('a &lt; b &amp; c &gt; d &lt;@U1&gt;');
  });

  it('reads timestamps and conversation ids', () => {
    expect(slackTsToIso('1515449522.000016')).toBe('2018-01-08T22:12:02.000Z');
    expect(slackTsToIso('1515449522.999999')).toBe('2018-01-08T22:12:02.999Z');
    expect(parseSlackConversationId('C123ABC456:1515449522.000016')).toEqual({
      channel: 'C123ABC456',
      threadTs: '1515449522.000016',
    });
    expect(parseSlackConversationId('web-chat-1')).toBeUndefined();
  });
});
