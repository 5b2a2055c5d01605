/**
 * WeCom's callback URL, `/channels/wecom/callback`. GET is the URL check of 回调配置: the
 * decrypted echostr is the answer. POST carries an encrypted event; for 微信客服 it only says
 * which kf account has news (`kf_msg_or_event`), so the handler notes it, answers at once (WeCom
 * waits 5 s, then retries) and fetches the messages after answering (kf-sync.ts).
 */
import type { Context, Hono } from 'hono';
import { errorResponse } from '../../http/errors.js';
import type { ChannelContext } from '../channel-module.js';
import { MalformedXmlError, readXmlFields } from './callback-xml.js';
import type { KfSync } from './kf-sync.js';
import type { WecomCrypto } from './wecom-crypto.js';

/**
 * How far a callback's timestamp may be from our clock. A replayed callback could only make us
 * sync again (harmless), but a bound keeps a captured one from being useful for long.
 */
const TIMESTAMP_TOLERANCE_SECONDS = 600;

export interface WecomRoutesOptions {
  crypto: WecomCrypto;
  sync: KfSync;
  context: ChannelContext;
}

export function registerWecomRoutes(router: Hono, options: WecomRoutesOptions): void {
  const { crypto, sync, context } = options;
  const { logger } = context;

  const codes = {
    400: 'validation_failed',
    401: 'unauthorized',
    413: 'payload_too_large',
  } as const;

  function refuse(c: Context, status: 400 | 401 | 413, reason: string) {
    logger.warn({ reason }, 'wecom callback refused');
    return errorResponse(c, codes[status], `WeCom callback refused: ${reason}.`);
  }

  type SignedQuery = { signature: string; timestamp: string; nonce: string };
  type Refusal = { status: 400 | 401; reason: string };

  /** The signed query every callback carries, or why it is unusable. */
  function signedQuery(c: Context): SignedQuery | Refusal {
    const signature = c.req.query('msg_signature');
    const timestamp = c.req.query('timestamp');
    const nonce = c.req.query('nonce');
    if (!signature || !timestamp || !nonce)
      return { status: 400, reason: 'msg_signature, timestamp and nonce are required' };
    const seconds = Number(timestamp);
    const skew = Math.abs(context.clock.now().getTime() / 1000 - seconds);
    if (!Number.isFinite(seconds) || skew > TIMESTAMP_TOLERANCE_SECONDS)
      return { status: 401, reason: 'the timestamp is too far from now' };
    return { signature, timestamp, nonce };
  }

  function decrypt(encrypted: string): string | undefined {
    try {
      return crypto.decrypt(encrypted);
    } catch (error) {
      logger.warn({ err: error }, 'wecom callback not decryptable');
      return undefined;
    }
  }

  router.get('/callback', (c) => {
    const query = signedQuery(c);
    if ('reason' in query) return refuse(c, query.status, query.reason);
    // A '+' of base64 left unescaped in the query arrives as a space.
    const echostr = c.req.query('echostr')?.replaceAll(' ', '+');
    if (!echostr) return refuse(c, 400, 'echostr is required');
    if (!crypto.verify(query.signature, query.timestamp, query.nonce, echostr))
      return refuse(c, 401, 'the signature does not match');
    const plain = decrypt(echostr);
    if (plain === undefined) return refuse(c, 401, 'the echostr is not for this corp');
    return c.text(plain);
  });

  router.post('/callback', async (c) => {
    const query = signedQuery(c);
    if ('reason' in query) return refuse(c, query.status, query.reason);
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > context.maxBodyBytes) return refuse(c, 413, 'the body is too large');
    const body = await c.req.text();
    if (Buffer.byteLength(body, 'utf8') > context.maxBodyBytes)
      return refuse(c, 413, 'the body is too large');

    let encrypted: string | undefined;
    try {
      encrypted = readXmlFields(body).fields.Encrypt;
    } catch (error) {
      if (error instanceof MalformedXmlError) return refuse(c, 400, 'the body is not WeCom XML');
      throw error;
    }
    if (!encrypted) return refuse(c, 400, 'the body has no <Encrypt>');
    if (!crypto.verify(query.signature, query.timestamp, query.nonce, encrypted))
      return refuse(c, 401, 'the signature does not match');
    const plain = decrypt(encrypted);
    if (plain === undefined) return refuse(c, 401, 'the message is not for this corp');

    let event: Record<string, string>;
    try {
      event = readXmlFields(plain).fields;
    } catch (error) {
      if (error instanceof MalformedXmlError)
        return refuse(c, 400, 'the decrypted message is not XML');
      throw error;
    }
    if (event.MsgType !== 'event' || event.Event !== 'kf_msg_or_event' || !event.OpenKfId) {
      // Other events of the same app (or an app message): nothing for this channel.
      logger.debug({ msgType: event.MsgType, event: event.Event }, 'wecom callback ignored');
      return c.body(null, 200);
    }
    const openKfId = event.OpenKfId;
    // Noted before answering: if this process stops now, start() or the timer fetches.
    await sync.noteCallback(openKfId, event.Token || undefined);
    void sync.request(openKfId, event.Token || undefined);
    // WeCom's callback docs: answer 200 with an empty body when there is nothing to reply.
    return c.body(null, 200);
  });
}
