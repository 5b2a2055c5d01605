import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './env.js';

describe('parseConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.dataDir).toMatch(/data$/);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.provider).toBe('local');
  });

  it('names the variable and what is wrong', () => {
    expect(() => parseConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL: must start with postgres/,
    );
    expect(() => parseConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('picks the cascade provider when an API key is set and refuses openai without one', () => {
    expect(parseConfig({ OPENAI_API_KEY: 'sk-test' }).provider).toBe('cascade');
    expect(() => parseConfig({ MODEL_PROVIDER: 'openai' })).toThrow(/OPENAI_API_KEY/);
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', OPENAI_API_KEY: '' }).provider).toBe('local');
  });

  it('reads the LLM response format and circuit breaker settings', () => {
    expect(parseConfig({})).toMatchObject({
      OPENAI_RESPONSE_FORMAT: 'json_schema',
      OPENAI_BREAKER_FAILURES: 3,
      OPENAI_BREAKER_COOLDOWN_MS: 30_000,
    });
    expect(
      parseConfig({ OPENAI_RESPONSE_FORMAT: 'json_object', OPENAI_BREAKER_FAILURES: '0' }),
    ).toMatchObject({
      OPENAI_RESPONSE_FORMAT: 'json_object',
      OPENAI_BREAKER_FAILURES: 0,
    });
    expect(() => parseConfig({ OPENAI_RESPONSE_FORMAT: 'json' })).toThrow(/OPENAI_RESPONSE_FORMAT/);
    expect(() => parseConfig({ OPENAI_BREAKER_COOLDOWN_MS: '0' })).toThrow(
      /OPENAI_BREAKER_COOLDOWN_MS/,
    );
  });

  it('checks API_KEYS and ADMIN_PASSWORD at start with one line naming the setting and the minimum', () => {
    expect(() => parseConfig({ API_KEYS: 'short:admin' })).toThrow(ConfigError);
    expect(() => parseConfig({ API_KEYS: 'short:admin' })).toThrow(
      /API_KEYS entry 1: a key must be at least 16 characters \(got 5\)/,
    );
    expect(() => parseConfig({ API_KEYS: 'a-long-enough-key-0001:boss' })).toThrow(
      /API_KEYS entry 1: role must be one of/,
    );
    expect(() => parseConfig({ API_KEYS: 'a-long-enough-key-0001:agent:alice:web' })).toThrow(
      /only integration keys take a channel list/,
    );
    expect(() => parseConfig({ ADMIN_PASSWORD: 'short' })).toThrow(
      /ADMIN_PASSWORD: must be at least 8 characters/,
    );
    expect(
      parseConfig({ API_KEYS: 'a-long-enough-key-0001:integration:bot:web|wecom' }).API_KEYS,
    ).toBeDefined();
  });

  it('picks the auth mode: auto by default, never open in production', () => {
    expect(parseConfig({}).AUTH_MODE).toBe('auto');
    expect(parseConfig({ AUTH_MODE: 'open' }).AUTH_MODE).toBe('open');
    expect(parseConfig({ NODE_ENV: 'production' }).AUTH_MODE).toBe('required');
    expect(() => parseConfig({ NODE_ENV: 'production', AUTH_MODE: 'open' })).toThrow(
      /AUTH_MODE=open is refused with NODE_ENV=production/,
    );
    expect(() => parseConfig({ AUTH_MODE: 'maybe' })).toThrow(/AUTH_MODE/);
  });

  it('reads TRUST_PROXY as a boolean', () => {
    expect(parseConfig({}).TRUST_PROXY).toBe(false);
    expect(parseConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(() => parseConfig({ TRUST_PROXY: 'yes please' })).toThrow(
      /TRUST_PROXY: must be true or false/,
    );
  });
});
