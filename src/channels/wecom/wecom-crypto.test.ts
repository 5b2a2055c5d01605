import { describe, expect, it } from 'vitest';
import { createWecomCrypto, isEncodingAesKey, WecomCryptoError } from './wecom-crypto.js';

/**
 * Published vectors of WeCom's own callback sample: sbzhu/weworkapi_python, callback/Sample.py
 * (the Python SDK WeCom's documentation links to; the same values are in its C++, PHP and Go
 * samples). Example 1 is the URL verification, example 2 a message callback.
 */
const sample = {
  token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  corpId: 'ww1436e0e65a779aee',
  verify: {
    signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
    timestamp: '1476416373',
    nonce: '47744683',
    echostr:
      'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
  },
  message: {
    signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
    timestamp: '1476422779',
    nonce: '1597212914',
    encrypt:
      'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
    plaintext:
      '<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>',
  },
};

const crypto = createWecomCrypto({
  token: sample.token,
  encodingAesKey: sample.encodingAesKey,
  receiveId: sample.corpId,
});

describe('WeCom callback crypto: the published sample', () => {
  it('verifies and decrypts the URL verification (example 1)', () => {
    const { signature, timestamp, nonce, echostr } = sample.verify;
    expect(crypto.sign(timestamp, nonce, echostr)).toBe(signature);
    expect(crypto.verify(signature, timestamp, nonce, echostr)).toBe(true);
    expect(crypto.decrypt(echostr)).toBe('1288432023552776189');
  });

  it('verifies and decrypts the message callback (example 2)', () => {
    const { signature, timestamp, nonce, encrypt, plaintext } = sample.message;
    expect(crypto.verify(signature, timestamp, nonce, encrypt)).toBe(true);
    expect(crypto.decrypt(encrypt)).toBe(plaintext);
  });

  it('encrypts like the reference SDK for a given random prefix', () => {
    // The encryption vector of Tencent's WeChat message-crypto Java sample (cryptoDemo.zip,
    // com/qq/weixin/mp/aes/WXBizMsgCryptTest.java, also in binarywang/WxJava's tests): the same
    // scheme with an app id as the receiver.
    const mp = createWecomCrypto({
      token: 'pamtest',
      encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      receiveId: 'wxb11529c136998cb6',
    });
    const expected =
      'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==';
    expect(mp.encrypt('我是中文abcd123', Buffer.from('aaaabbbbccccdddd'))).toBe(expected);
    expect(mp.decrypt(expected)).toBe('我是中文abcd123');
  });
});

describe('WeCom callback crypto: round trips and refusals', () => {
  it('round-trips messages of every length around the 32-byte padding boundary', () => {
    for (const length of [0, 1, 11, 12, 13, 31, 32, 33, 100, 5000]) {
      const message = '消'.repeat(Math.floor(length / 3)) + 'x'.repeat(length % 3);
      const encrypted = crypto.encrypt(message);
      expect(Buffer.from(encrypted, 'base64').length % 32).toBe(0);
      expect(crypto.decrypt(encrypted)).toBe(message);
    }
  });

  it('uses a fresh random prefix each time', () => {
    expect(crypto.encrypt('same')).not.toBe(crypto.encrypt('same'));
  });

  it('refuses a wrong signature, a changed text, a changed nonce and a wrong token', () => {
    const { signature, timestamp, nonce, encrypt } = sample.message;
    expect(crypto.verify(signature.replace(/^0/, '1'), timestamp, nonce, encrypt)).toBe(false);
    expect(crypto.verify(signature, timestamp, nonce, encrypt.replace(/^K/, 'L'))).toBe(false);
    expect(crypto.verify(signature, timestamp, '1597212915', encrypt)).toBe(false);
    expect(crypto.verify('', timestamp, nonce, encrypt)).toBe(false);
    const otherToken = createWecomCrypto({
      token: 'another-token',
      encodingAesKey: sample.encodingAesKey,
      receiveId: sample.corpId,
    });
    expect(otherToken.verify(signature, timestamp, nonce, encrypt)).toBe(false);
  });

  it('refuses a message for another receiver (corp id)', () => {
    const other = createWecomCrypto({
      token: sample.token,
      encodingAesKey: sample.encodingAesKey,
      receiveId: 'ww0000000000000000',
    });
    expect(() => other.decrypt(sample.message.encrypt)).toThrow(WecomCryptoError);
    expect(() => other.decrypt(crypto.encrypt('hi'))).toThrow(/receiver ww1436e0e65a779aee/);
  });

  it('refuses a text encrypted with another key or cut short', () => {
    const otherKey = createWecomCrypto({
      token: sample.token,
      encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      receiveId: sample.corpId,
    });
    expect(() => otherKey.decrypt(sample.message.encrypt)).toThrow(WecomCryptoError);
    expect(() => crypto.decrypt('')).toThrow(WecomCryptoError);
    expect(() => crypto.decrypt(sample.message.encrypt.slice(0, 30))).toThrow(WecomCryptoError);
  });

  it('accepts only 43 characters of base64 as EncodingAESKey', () => {
    expect(isEncodingAesKey(sample.encodingAesKey)).toBe(true);
    expect(isEncodingAesKey(sample.encodingAesKey.slice(1))).toBe(false);
    expect(isEncodingAesKey(`${sample.encodingAesKey.slice(1)}=`)).toBe(false);
    expect(isEncodingAesKey(`${sample.encodingAesKey.slice(1)}!`)).toBe(false);
    expect(() =>
      createWecomCrypto({ token: 't', encodingAesKey: 'short', receiveId: 'ww1' }),
    ).toThrow(WecomCryptoError);
  });
});
