import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/env.js';
import { wecomSettings } from './config.js';

const complete = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_SECRET: 'kf-secret',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
};

describe('WeCom settings', () => {
  it('is off without its variables and on with all four, with the public API by default', () => {
    expect(wecomSettings({})).toBeUndefined();
    expect(
      wecomSettings({ WECOM_CORP_ID: '', WECOM_API_BASE_URL: 'http://x.test' }),
    ).toBeUndefined();
    expect(wecomSettings(complete)).toEqual({
      corpId: 'ww1436e0e65a779aee',
      secret: 'kf-secret',
      token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
      encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
      apiBaseUrl: 'https://qyapi.weixin.qq.com',
    });
    expect(
      wecomSettings({ ...complete, WECOM_API_BASE_URL: 'http://127.0.0.1:9/' })?.apiBaseUrl,
    ).toBe('http://127.0.0.1:9');
  });

  it('names what is missing when half set', () => {
    const { WECOM_SECRET: _, ...withoutSecret } = complete;
    expect(() => wecomSettings(withoutSecret)).toThrow(ConfigError);
    expect(() => wecomSettings(withoutSecret)).toThrow(/WECOM_SECRET/);
  });

  it('refuses an EncodingAESKey that is not 43 characters of base64', () => {
    for (const key of [
      'short',
      `${complete.WECOM_ENCODING_AES_KEY}=`,
      `${complete.WECOM_ENCODING_AES_KEY.slice(1)}#`,
    ])
      expect(() => wecomSettings({ ...complete, WECOM_ENCODING_AES_KEY: key })).toThrow(
        /WECOM_ENCODING_AES_KEY/,
      );
  });
});
