/**
 * The channels this service speaks: one line per channel module. At start every module reads
 * its settings from the environment; a configured one is created and gives its routes (mounted
 * under `/channels/<name>/`), its sender (the outbox delivers its channel's replies through it)
 * and its background work. A channel whose settings are absent is off.
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ConversationReader } from '../conversations/conversation.reader.js';
import { inboundMessageSchema } from '../conversations/message-contract.js';
import type { MessageIntake } from '../conversations/message-intake.js';
import {
  recordPlatformAgentReply,
  recordPlatformResolution,
  type TicketSolver,
} from '../conversations/platform-reply.js';
import type { Database } from '../db/tables.js';
import { InvalidError } from '../errors/domain-errors.js';
import type { Clock } from '../time/clock.js';
import type { ChannelDirectory } from './channel.js';
import type { ChannelAdapter, ChannelContext, ChannelModule } from './channel-module.js';
import {
  claimChannelEvent,
  purgeChannelEvents,
  readChannelState,
  releaseChannelEvent,
  writeChannelState,
} from './channel-state.repository.js';
import { chatwootChannel } from './chatwoot/index.js';
import { slackChannel } from './slack/index.js';
import { telegramChannel } from './telegram/index.js';
import { webhookChannel } from './webhook/index.js';
import { wecomChannel } from './wecom/index.js';
import { widgetChannel } from './widget/index.js';

/** Every channel module: add a line to add a channel. */
export const channelModules: readonly ChannelModule<any>[] = [
  webhookChannel,
  chatwootChannel,
  slackChannel,
  widgetChannel,
  telegramChannel,
  wecomChannel,
];

export interface ChannelRegistryOptions {
  environment: Readonly<Record<string, string | undefined>>;
  db: Kysely<Database>;
  /** Read when a message arrives: the intake is built after the registry (it needs the senders). */
  intake: () => Pick<MessageIntake, 'receive'>;
  conversations: ConversationReader;
  /** Read when a platform resolves a conversation (the ticket service is built after the registry). */
  tickets: () => TicketSolver;
  clock: Clock;
  logger: Logger;
  maxTextChars: number;
  maxBodyBytes: number;
  /** Tests replace the list. */
  modules?: readonly ChannelModule<any>[];
}

export interface ChannelRegistry {
  /** The configured channels by name. */
  readonly active: ReadonlyMap<string, ChannelAdapter>;
  /** Which adapter sends a channel's replies. */
  directory: ChannelDirectory;
  /** True for a name a platform adapter owns: integrations may not post under it. */
  ownsChannel(channel: string): boolean;
  /** Mounts every configured channel's routes (called by createApp). */
  mount(app: Hono<any>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Event ids are kept a day: platforms stop retrying within minutes (Slack after ~1 h). */
const EVENT_MEMORY_MS = 24 * 3_600_000;

export function createChannelRegistry(options: ChannelRegistryOptions): ChannelRegistry {
  const { db, clock } = options;
  const modules = options.modules ?? channelModules;
  const inbound = inboundMessageSchema(options.maxTextChars);
  const active = new Map<string, ChannelAdapter>();
  let lastPurge = 0;

  function contextFor(channel: string): ChannelContext {
    return {
      channel,
      async receive(message) {
        const parsed = inbound.safeParse({ ...message, channel });
        if (!parsed.success) {
          throw new InvalidError(
            `The ${channel} message does not fit the message contract: ${parsed.error.issues
              .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
              .join('; ')}.`,
          );
        }
        return options.intake().receive(parsed.data);
      },
      async firstDelivery(eventId) {
        const now = clock.now();
        if (now.getTime() - lastPurge > 3_600_000) {
          lastPurge = now.getTime();
          await purgeChannelEvents(db, new Date(now.getTime() - EVENT_MEMORY_MS));
        }
        return claimChannelEvent(db, { channel, eventId, now });
      },
      forgetDelivery: (eventId) => releaseChannelEvent(db, { channel, eventId }),
      readState: (key) => readChannelState(db, channel, key),
      writeState: (key, value) => writeChannelState(db, { channel, key, value, now: clock.now() }),
      recordAgentReply: (reply) => recordPlatformAgentReply(db, { ...reply, channel }, clock.now()),
      recordResolution: (resolution) =>
        recordPlatformResolution(db, options.tickets(), { ...resolution, channel }, clock.now()),
      conversations: options.conversations,
      maxTextChars: options.maxTextChars,
      maxBodyBytes: options.maxBodyBytes,
      clock,
      logger: options.logger.child({ channel }),
    };
  }

  for (const module of modules) {
    const settings = module.settings(options.environment);
    if (settings === undefined) continue;
    active.set(module.name, module.create(settings, contextFor(module.name)));
  }
  // A platform adapter owns its name; a generic one (the webhook) serves names it is given.
  const platformNames = new Set(
    [...active].filter(([, adapter]) => !adapter.serves).map(([name]) => name),
  );

  return {
    active,
    directory(channel) {
      const own = active.get(channel);
      if (own?.sender && platformNames.has(channel)) return own.sender;
      if (platformNames.has(channel)) return undefined;
      for (const adapter of active.values())
        if (adapter.sender && adapter.serves?.(channel)) return adapter.sender;
      return undefined;
    },
    ownsChannel: (channel) => platformNames.has(channel),
    mount(app) {
      for (const [name, adapter] of active) {
        if (adapter.routes) {
          const router = new Hono();
          adapter.routes(router);
          app.route(`/channels/${name}`, router);
        }
        adapter.rootRoutes?.(app);
      }
    },
    async start() {
      for (const adapter of active.values()) await adapter.start?.();
    },
    async stop() {
      for (const adapter of active.values()) await adapter.stop?.();
    },
  };
}
