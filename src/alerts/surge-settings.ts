/** The detector's settings, from the configuration (src/config/env.ts), checked as a whole. */
import { type Config, ConfigError } from '../config/env.js';
import type { SurgeThresholds } from './surge-test.js';

export interface SurgeSettings {
  /** How often a run starts; 0: the detector never runs by itself. */
  intervalMs: number;
  windowMs: number;
  baselineMs: number;
  thresholds: SurgeThresholds;
  webhook?: { url: string; secret: string };
}

export function surgeSettings(config: Config): SurgeSettings {
  const url = config.ALERT_WEBHOOK_URL;
  const secret = config.ALERT_WEBHOOK_SECRET;
  if (url && !secret)
    throw new ConfigError(
      'Invalid configuration. ALERT_WEBHOOK_URL needs ALERT_WEBHOOK_SECRET (the receiver checks the signature with it).',
    );
  if (secret && !url)
    throw new ConfigError(
      'Invalid configuration. ALERT_WEBHOOK_SECRET is set without ALERT_WEBHOOK_URL: set both or neither.',
    );
  return {
    intervalMs: config.SURGE_CHECK_INTERVAL_SECONDS * 1000,
    windowMs: config.SURGE_WINDOW_MINUTES * 60_000,
    baselineMs: config.SURGE_BASELINE_DAYS * 24 * 3_600_000,
    thresholds: {
      pValue: config.SURGE_P_VALUE,
      minCount: config.SURGE_MIN_CONVERSATIONS,
      minRatio: config.SURGE_MIN_RATIO,
      minBaseline: config.SURGE_MIN_BASELINE,
    },
    ...(url && secret ? { webhook: { url, secret } } : {}),
  };
}
