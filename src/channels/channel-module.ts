/**
 * What a channel folder exports, and what the service gives it. A platform channel
 * (`src/channels/<name>/`) is one `ChannelModule`: its settings from the environment (zod,
 * off when its settings are absent), and `create`, which returns the inbound routes mounted
 * under `/channels/<name>/`, the outbound sender for the deliveries of its channel name, and
 * background work if it has any. Adding a channel is a new folder and one line in registry.ts.
 */
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ConversationReader } from '../conversations/conversation.reader.js';
import type { ReceiveResult } from '../conversations/message-intake.js';
import type { InboundMessage } from '../conversations/message-contract.js';
import type {
  PlatformAgentReply,
  PlatformReplyOutcome,
  PlatformResolutionOutcome,
} from '../conversations/platform-reply.js';
import type { Clock } from '../time/clock.js';
import type { ChannelSender } from './channel.js';

/** What the service lends a channel: the intake, a little durable state, the clock. */
export interface ChannelContext {
  /** The channel name this adapter stores messages and sends deliveries under. */
  readonly channel: string;
  /**
   * Checks the mapped message against the `POST /v1/messages` contract (InvalidError when it
   * breaks it), stores it and acknowledges; triage follows in the background and its answer
   * comes back through the adapter's sender. A repeat of `externalMessageId` is `duplicate`.
   * Throws BusyError when the backlog is full: answer the platform so that it retries.
   */
  receive(message: Omit<InboundMessage, 'channel'>): Promise<ReceiveResult>;
  /** True the first time this channel sees the platform's event id (any instance); false on a repeat. */
  firstDelivery(eventId: string): Promise<boolean>;
  /**
   * Forgets an event id taken by firstDelivery, when what it announced could not be stored
   * (backlog full, a failure): the platform's retry of that event is then taken, not dropped.
   */
  forgetDelivery(eventId: string): Promise<void>;
  /** A value per key kept in the database (a platform cursor); the adapter parses what it stored. */
  readState(key: string): Promise<unknown | undefined>;
  writeState(key: string, value: unknown): Promise<void>;
  /** An agent answered on the platform itself: stored, and the bot stays silent in that conversation. */
  recordAgentReply(reply: Omit<PlatformAgentReply, 'channel'>): Promise<PlatformReplyOutcome>;
  /**
   * The platform's agents resolved the conversation: its open ticket is solved (as in the
   * console) and the bot answers the conversation again.
   */
  recordResolution(resolution: {
    conversationId: string;
    agentId: string;
  }): Promise<PlatformResolutionOutcome>;
  /** Conversations with their messages (the widget shows its visitor theirs). */
  conversations: ConversationReader;
  /** The longest customer text accepted (MAX_TEXT_CHARS). */
  readonly maxTextChars: number;
  /** The most a platform's request body may be (MAX_BODY_BYTES). */
  readonly maxBodyBytes: number;
  clock: Clock;
  logger: Logger;
}

/** What a configured channel gives the service. */
export interface ChannelAdapter {
  /** Sends the deliveries of this channel's name (omitted: replies stay in the database). */
  sender?: ChannelSender;
  /**
   * Registers the inbound routes on a router mounted at `/channels/<name>`; they are public
   * (the platform signs its requests, the adapter checks) and never reach the API's sign-in.
   */
  routes?(router: Hono): void;
  /**
   * Other channel names this adapter sends for (the generic webhook serves the names that
   * integrations post under); a platform adapter sends only for its own name.
   */
  serves?(channel: string): boolean;
  /** Routes outside `/channels/<name>` (the widget's script at `/widget.js`), on the app root. */
  rootRoutes?(router: Hono): void;
  /** Background work (polling, timers); stopped before the database closes. */
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export interface ChannelModule<Settings = unknown> {
  /** The channel name: the route segment and the `channel` of its stored messages. */
  readonly name: string;
  /** The environment variables this channel reads (`.env.example` and the docs list them). */
  readonly env: z.ZodObject;
  /**
   * The settings from the parsed environment, or undefined when the channel is off (none of its
   * required variables set). Throws an Error naming the variable when they are half set.
   */
  settings(env: Readonly<Record<string, string | undefined>>): Settings | undefined;
  create(settings: Settings, context: ChannelContext): ChannelAdapter;
}

/** Declares a module with its settings type checked against `create`. */
export function defineChannel<Settings>(module: ChannelModule<Settings>): ChannelModule<Settings> {
  return module;
}
