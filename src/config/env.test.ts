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
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must start with postgres/);
    expect(() => parseConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('picks the cascade provider when an API key is set and refuses openai without one', () => {
    expect(parseConfig({ OPENAI_API_KEY: 'sk-test' }).provider).toBe('cascade');
    expect(() => parseConfig({ MODEL_PROVIDER: 'openai' })).toThrow(/OPENAI_API_KEY/);
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', OPENAI_API_KEY: '' }).provider).toBe('local');
  });
});
