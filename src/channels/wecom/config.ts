/**
 * The WeCom customer service (微信客服) channel's settings: the corp id and the 微信客服 secret
 * for the API, the callback Token and EncodingAESKey set in the admin's 回调配置. The channel is
 * on when all four are set.
 */
import { z } from 'zod';
import { apiBaseUrl, channelSettings, optionalSetting } from '../channel-env.js';
import { isEncodingAesKey } from './wecom-crypto.js';

export const wecomEnv = z.object({
  /** 企业ID (我的企业 → 企业信息), also the receiver id every callback must name. */
  WECOM_CORP_ID: optionalSetting,
  /** The 微信客服 secret (微信客服 → API → Secret), or a self-built app's secret with kf access. */
  WECOM_SECRET: optionalSetting,
  /** The callback Token of 回调配置. */
  WECOM_TOKEN: optionalSetting,
  /** The callback EncodingAESKey of 回调配置: 43 characters of base64. */
  WECOM_ENCODING_AES_KEY: optionalSetting.pipe(
    z
      .string()
      .refine(isEncodingAesKey, 'the EncodingAESKey of 回调配置 (43 letters and digits)')
      .optional(),
  ),
  WECOM_API_BASE_URL: apiBaseUrl('https://qyapi.weixin.qq.com'),
});

export interface WecomSettings {
  corpId: string;
  secret: string;
  token: string;
  encodingAesKey: string;
  apiBaseUrl: string;
}

export function wecomSettings(
  env: Readonly<Record<string, string | undefined>>,
): WecomSettings | undefined {
  const values = channelSettings('wecom', wecomEnv, env, [
    'WECOM_CORP_ID',
    'WECOM_SECRET',
    'WECOM_TOKEN',
    'WECOM_ENCODING_AES_KEY',
  ]);
  if (!values) return undefined;
  return {
    corpId: values.WECOM_CORP_ID!,
    secret: values.WECOM_SECRET!,
    token: values.WECOM_TOKEN!,
    encodingAesKey: values.WECOM_ENCODING_AES_KEY!,
    apiBaseUrl: values.WECOM_API_BASE_URL,
  };
}
