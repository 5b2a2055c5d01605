/**
 * WeCom's callback encryption (企业微信 "加解密方案说明", the WXBizMsgCrypt scheme): every
 * callback carries `msg_signature`, the SHA-1 of the sorted concatenation of the Token, the
 * timestamp, the nonce and the encrypted text; the text is AES-256-CBC with the key
 * base64-decoded from EncodingAESKey + "=", the IV its first 16 bytes, PKCS#7 padding to 32-byte
 * blocks, over 16 random bytes + the message length (4 bytes, big-endian) + the message + the
 * receiver id (the corp id, which must be ours).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/** Why a callback was refused: said to the log, never to the caller. */
export class WecomCryptoError extends Error {
  override name = 'WecomCryptoError';
}

export interface WecomCryptoOptions {
  token: string;
  /** 43 characters of base64 (without the trailing "="), set in the WeCom admin. */
  encodingAesKey: string;
  /** The corp id: decrypted messages must name it as their receiver. */
  receiveId: string;
}

export interface WecomCrypto {
  /** True when `signature` is the callback's msg_signature over these values (constant time). */
  verify(signature: string, timestamp: string, nonce: string, encrypted: string): boolean;
  /** The plaintext of an encrypted text; throws WecomCryptoError when it is not ours. */
  decrypt(encrypted: string): string;
  /** Encrypts a message for WeCom (a passive reply; our tests build callbacks with it). */
  encrypt(message: string, random?: Buffer): string;
  sign(timestamp: string, nonce: string, encrypted: string): string;
}

const BLOCK = 32;
const encodingAesKeyPattern = /^[A-Za-z0-9+/]{43}$/;

export function isEncodingAesKey(value: string): boolean {
  return encodingAesKeyPattern.test(value);
}

export function wecomSignature(...values: string[]): string {
  return createHash('sha1')
    .update([...values].sort().join(''))
    .digest('hex');
}

export function createWecomCrypto(options: WecomCryptoOptions): WecomCrypto {
  if (!isEncodingAesKey(options.encodingAesKey))
    throw new WecomCryptoError('EncodingAESKey must be 43 characters of base64');
  const key = Buffer.from(`${options.encodingAesKey}=`, 'base64');
  const iv = key.subarray(0, 16);

  function sign(timestamp: string, nonce: string, encrypted: string): string {
    return wecomSignature(options.token, timestamp, nonce, encrypted);
  }

  return {
    sign,
    verify(signature, timestamp, nonce, encrypted) {
      const expected = Buffer.from(sign(timestamp, nonce, encrypted), 'utf8');
      const given = Buffer.from(signature.toLowerCase(), 'utf8');
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
    decrypt(encrypted) {
      const cipherText = Buffer.from(encrypted, 'base64');
      if (cipherText.length === 0 || cipherText.length % 16 !== 0)
        throw new WecomCryptoError('the encrypted text is not whole AES blocks');
      const decipher = createDecipheriv('aes-256-cbc', key, iv);
      // WeCom pads to 32-byte blocks, which node's PKCS#7 check (16-byte blocks) refuses.
      decipher.setAutoPadding(false);
      const padded = Buffer.concat([decipher.update(cipherText), decipher.final()]);
      const pad = padded[padded.length - 1]!;
      if (pad < 1 || pad > BLOCK || pad > padded.length)
        throw new WecomCryptoError('the padding is malformed');
      const plain = padded.subarray(0, padded.length - pad);
      if (plain.length < 20) throw new WecomCryptoError('the plaintext is too short');
      const length = plain.readUInt32BE(16);
      if (20 + length > plain.length) throw new WecomCryptoError('the message length is wrong');
      const receiveId = plain.subarray(20 + length).toString('utf8');
      if (receiveId !== options.receiveId)
        throw new WecomCryptoError(`the message is for receiver ${receiveId}, not ours`);
      return plain.subarray(20, 20 + length).toString('utf8');
    },
    encrypt(message, random = randomBytes(16)) {
      const body = Buffer.from(message, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.length);
      const plain = Buffer.concat([random, length, body, Buffer.from(options.receiveId, 'utf8')]);
      const pad = BLOCK - (plain.length % BLOCK);
      const cipher = createCipheriv('aes-256-cbc', key, iv);
      cipher.setAutoPadding(false);
      return Buffer.concat([
        cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
        cipher.final(),
      ]).toString('base64');
    },
  };
}
