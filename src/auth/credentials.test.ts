import { describe, expect, it } from 'vitest';
import { CredentialsError, parseApiKeys, parseChannelList } from './credentials.js';

describe('parseApiKeys', () => {
  it('reads key:role[:name[:channels]] entries', () => {
    expect(
      parseApiKeys('integration-key-0001:integration:bot:web|wecom, admin-key-000000001:admin'),
    ).toEqual([
      { key: 'integration-key-0001', role: 'integration', name: 'bot', channels: ['web', 'wecom'] },
      { key: 'admin-key-000000001', role: 'admin', name: 'admin-2' },
    ]);
    // `*` (or nothing) is every channel; channel names may contain `:`.
    expect(parseApiKeys('integration-key-0001:integration:bot:*')[0]!.channels).toBeUndefined();
    expect(parseApiKeys('integration-key-0001:integration:bot:line:jp')[0]!.channels).toEqual([
      'line:jp',
    ]);
  });

  it('refuses a short key with the minimum in the message', () => {
    expect(() => parseApiKeys('abc:admin')).toThrow(CredentialsError);
    expect(() => parseApiKeys('abc:admin')).toThrow(/at least 16 characters/);
  });
});

describe('parseChannelList', () => {
  it('splits, de-duplicates and checks channel names', () => {
    expect(parseChannelList('web, wecom,web', ',')).toEqual(['web', 'wecom']);
    expect(parseChannelList('*', ',')).toBeUndefined();
    expect(() => parseChannelList('', ',')).toThrow(/at least one channel/);
    expect(() => parseChannelList('we b', ',')).toThrow(/not a channel name/);
  });
});
