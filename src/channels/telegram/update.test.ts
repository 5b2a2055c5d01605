import { describe, expect, it } from 'vitest';
import { parseExternalMessageId, readUpdate, telegramUpdateSchema } from './update.js';
import { telegramFixture } from './test-fixtures.js';

const read = (update: unknown, maxTextChars = 4000) =>
  readUpdate(telegramUpdateSchema.parse(update), maxTextChars);

describe('reading Telegram updates', () => {
  it('maps a private text message to an inbound message the sender can answer', () => {
    expect(read(telegramFixture('private-text'))).toEqual({
      kind: 'message',
      message: {
        externalMessageId: '111111111:1365',
        conversationId: '111111111',
        customer: { id: '111111111', name: 'Ada Lovelace' },
        text: 'How long does a refund take to reach my card?',
        sentAt: '2025-12-05T08:00:00.000Z',
        locale: 'en',
      },
    });
    expect(parseExternalMessageId('111111111:1365')).toEqual({
      chatId: 111111111,
      messageId: 1365,
    });
    expect(parseExternalMessageId('-100123:7')).toEqual({ chatId: -100123, messageId: 7 });
    expect(parseExternalMessageId('1365')).toBeUndefined();
  });

  it('stores the caption of a photo as the text', () => {
    const reading = read(telegramFixture('photo-caption'));
    expect(reading.kind === 'message' && reading.message).toMatchObject({
      externalMessageId: '111111111:1366',
      customer: { id: '111111111', name: 'Ada' },
      text: 'The parcel arrived like this, the box is crushed',
      locale: 'zh-hans',
    });
  });

  it('ignores edits, group chats, bots, bare commands and other update kinds', () => {
    expect(read(telegramFixture('edited-message'))).toEqual({ kind: 'ignored', reason: 'edited' });
    expect(read(telegramFixture('group-message'))).toEqual({
      kind: 'ignored',
      reason: 'not_private_chat',
    });
    expect(read(telegramFixture('bot-message'))).toEqual({ kind: 'ignored', reason: 'from_bot' });
    // The webhook guide's sample has no chat.type: a positive chat id is a person's chat.
    expect(read(telegramFixture('webhook-guide-start'))).toEqual({
      kind: 'ignored',
      reason: 'command',
    });
    const base = telegramFixture('private-text');
    const message = base.message as Record<string, unknown>;
    const withText = (text: string) => read({ ...base, message: { ...message, text } });
    expect(withText('/start ref-campaign-7')).toEqual({ kind: 'ignored', reason: 'command' });
    expect(withText('/help@shop_support_bot')).toEqual({ kind: 'ignored', reason: 'command' });
    expect(withText('/refund order 4711 never arrived').kind).toBe('message');
    expect(withText('   ')).toEqual({ kind: 'ignored', reason: 'no_text' });
    const { text: _text, ...sticker } = message;
    expect(read({ ...base, message: { ...sticker, sticker: { file_id: 'x' } } })).toEqual({
      kind: 'ignored',
      reason: 'no_text',
    });
    const { from: _from, ...anonymous } = message;
    expect(read({ ...base, message: anonymous })).toEqual({ kind: 'ignored', reason: 'no_sender' });
    expect(read({ ...base, message: { ...message, chat: 'nope' } })).toEqual({
      kind: 'ignored',
      reason: 'unreadable_message',
    });
    expect(read({ update_id: 9, callback_query: { id: '1' } })).toEqual({
      kind: 'ignored',
      reason: 'not_a_message',
    });
  });

  it('keeps a text over the length limit up to the limit, never splitting a surrogate pair', () => {
    const base = telegramFixture('private-text');
    const message = base.message as Record<string, unknown>;
    const reading = read({ ...base, message: { ...message, text: `abcd😀efg` } }, 5);
    expect(reading.kind === 'message' && reading.message.text).toBe('abcd');
  });

  it('refuses a body without an update_id: Telegram always sends one', () => {
    expect(telegramUpdateSchema.safeParse({ message: {} }).success).toBe(false);
    expect(telegramUpdateSchema.safeParse({ update_id: 'x' }).success).toBe(false);
  });
});
