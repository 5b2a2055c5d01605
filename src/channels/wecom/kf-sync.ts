/**
 * Fetches a kf account's new messages with `kf/sync_msg` and stores them. WeCom's callback only
 * says "something arrived for open_kfid X"; the messages are read from a cursor kept in the
 * database, which advances only after a page's messages are stored. So nothing is lost when the
 * process stops between acknowledging a callback and fetching: the callback leaves a pending
 * mark first, and start() (every account) and a timer (accounts with a pending mark) sync again.
 * In this process one sync per account runs at a time and callbacks arriving meanwhile fold into
 * one more run; another instance fetching the same page at once is harmless, since the intake
 * recognises a repeated msgid.
 */
import { z } from 'zod';
import { BusyError, InvalidError } from '../../errors/domain-errors.js';
import type { ChannelContext } from '../channel-module.js';
import { kfAction, syncMsgResponseSchema } from './kf-messages.js';
import type { WecomApi } from './wecom-api.js';

/** The callback's token lets sync_msg skip its strict rate limit for 10 minutes. */
const CALLBACK_TOKEN_MS = 9 * 60_000;
/** WeCom refuses replies 48 h after the customer's last message: older ones are not triaged. */
const REPLY_WINDOW_MS = 48 * 3_600_000;
/** A page is at most 1000 entries; this bounds one run should has_more never turn 0. */
const MAX_PAGES = 50;

const accountsSchema = z.array(z.string()).catch([]);
const cursorSchema = z.object({ cursor: z.string() });
const pendingSchema = z.object({ token: z.string().optional(), at: z.iso.datetime() }).nullable();

const accountsKey = 'accounts';
const cursorKey = (openKfId: string) => `cursor:${openKfId}`;
const pendingKey = (openKfId: string) => `pending:${openKfId}`;

/** What the sync uses of the channel context. */
export type KfSyncContext = Pick<
  ChannelContext,
  'receive' | 'recordAgentReply' | 'readState' | 'writeState' | 'maxTextChars' | 'clock' | 'logger'
>;

export interface KfSyncOptions {
  api: WecomApi;
  context: KfSyncContext;
  /** How often accounts with a pending mark are synced again; 0 turns the timer off. */
  catchUpIntervalMs?: number;
}

export interface KfSync {
  /** Records the callback (known account, pending mark): done before WeCom gets its answer. */
  noteCallback(openKfId: string, token: string | undefined): Promise<void>;
  /** Syncs the account now, or once more after the run in progress. Never rejects. */
  request(openKfId: string, token?: string): Promise<void>;
  /** Syncs every known account (start-up catch-up) and starts the catch-up timer. */
  start(): Promise<void>;
  /** Stops the timer and waits for the runs in progress. */
  stop(): Promise<void>;
  /** Resolves when no run is in progress (tests). */
  idle(): Promise<void>;
}

interface Runner {
  done: Promise<void>;
  again: boolean;
  token: string | undefined;
}

export function createKfSync(options: KfSyncOptions): KfSync {
  const { api, context } = options;
  const { logger, clock } = context;
  const runners = new Map<string, Runner>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const retryTimers = new Set<NodeJS.Timeout>();

  async function knownAccounts(): Promise<string[]> {
    return accountsSchema.parse((await context.readState(accountsKey)) ?? []);
  }

  async function readPending(openKfId: string) {
    const parsed = pendingSchema.safeParse(await context.readState(pendingKey(openKfId)));
    return parsed.success ? parsed.data : null;
  }

  /**
   * Stores one entry. A number stops the run: the milliseconds after which to fetch the page
   * again (the cursor has not moved past it).
   */
  async function store(entry: unknown, now: Date): Promise<number | undefined> {
    const action = kfAction(entry);
    if (action.kind === 'skip') {
      logger.debug({ msgid: action.msgid, reason: action.reason }, 'wecom entry skipped');
      return undefined;
    }
    if (action.kind === 'servicer_reply') {
      const outcome = await context.recordAgentReply({
        conversationId: action.conversationId,
        externalMessageId: action.msgid,
        agentId: action.servicerId,
        text: action.text,
      });
      logger.debug({ msgid: action.msgid, outcome }, 'wecom servicer message');
      return undefined;
    }
    if (now.getTime() - action.sentAt.getTime() > REPLY_WINDOW_MS) {
      logger.info({ msgid: action.msgid }, 'wecom message older than 48 h not triaged');
      return undefined;
    }
    const text =
      action.text.length > context.maxTextChars
        ? action.text.slice(0, context.maxTextChars)
        : action.text;
    try {
      await context.receive({
        externalMessageId: action.msgid,
        conversationId: action.conversationId,
        customer: { id: action.customerId },
        text,
        sentAt: action.sentAt.toISOString(),
      });
      return undefined;
    } catch (error) {
      if (error instanceof InvalidError) {
        // It will never fit: holding the cursor for it would stop the account for good.
        logger.warn({ msgid: action.msgid, err: error }, 'wecom message refused by the intake');
        return undefined;
      }
      if (error instanceof BusyError) {
        logger.warn({ retryAfterSeconds: error.retryAfterSeconds }, 'wecom sync paused: busy');
        return Math.max(1, error.retryAfterSeconds) * 1000;
      }
      throw error;
    }
  }

  /** One run: pages from the stored cursor until has_more is 0. */
  async function syncOnce(openKfId: string, token: string | undefined): Promise<void> {
    const startedAt = clock.now();
    const stored = await context.readState(cursorKey(openKfId));
    let cursor = cursorSchema.safeParse(stored).data?.cursor;
    let useToken = token;
    if (!useToken) {
      const pending = await readPending(openKfId);
      if (pending?.token && startedAt.getTime() - Date.parse(pending.at) < CALLBACK_TOKEN_MS)
        useToken = pending.token;
    }
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = syncMsgResponseSchema.parse(
        await api.post('/cgi-bin/kf/sync_msg', {
          ...(cursor ? { cursor } : {}),
          ...(useToken ? { token: useToken } : {}),
          limit: 1000,
          open_kfid: openKfId,
        }),
      );
      const now = clock.now();
      for (const entry of answer.msg_list) {
        const retryInMs = await store(entry, now);
        if (retryInMs !== undefined) {
          scheduleRetry(openKfId, retryInMs);
          return;
        }
      }
      const moved = Boolean(answer.next_cursor) && answer.next_cursor !== cursor;
      if (moved) {
        cursor = answer.next_cursor;
        await context.writeState(cursorKey(openKfId), { cursor });
      }
      // "More" from a cursor that did not move would ask for the same page again and again.
      if (!answer.has_more || !moved) break;
    }
    // Clear the pending mark unless a callback came after this run began.
    const pending = await readPending(openKfId);
    if (pending && Date.parse(pending.at) <= startedAt.getTime())
      await context.writeState(pendingKey(openKfId), null);
  }

  function scheduleRetry(openKfId: string, delayMs: number) {
    if (stopped) return;
    const retry = setTimeout(() => {
      retryTimers.delete(retry);
      void request(openKfId);
    }, delayMs);
    retry.unref();
    retryTimers.add(retry);
  }

  function request(openKfId: string, token?: string): Promise<void> {
    const running = runners.get(openKfId);
    if (running) {
      running.again = true;
      running.token = token ?? running.token;
      return running.done;
    }
    const runner: Runner = { done: Promise.resolve(), again: true, token };
    runner.done = (async () => {
      try {
        while (runner.again && !stopped) {
          runner.again = false;
          const runToken = runner.token;
          runner.token = undefined;
          try {
            await syncOnce(openKfId, runToken);
          } catch (error) {
            // The pending mark stays: the timer or the next callback tries again.
            logger.warn({ err: error, openKfId }, 'wecom sync_msg failed');
          }
        }
      } finally {
        runners.delete(openKfId);
      }
    })();
    runners.set(openKfId, runner);
    return runner.done;
  }

  async function noteCallback(openKfId: string, token: string | undefined) {
    const accounts = await knownAccounts();
    if (!accounts.includes(openKfId))
      await context.writeState(accountsKey, [...accounts, openKfId]);
    await context.writeState(pendingKey(openKfId), {
      ...(token ? { token } : {}),
      at: clock.now().toISOString(),
    });
  }

  async function catchUp() {
    for (const openKfId of await knownAccounts()) {
      const pending = await readPending(openKfId);
      // A fresh mark belongs to a run that is likely still going: leave it a minute.
      if (pending && clock.now().getTime() - Date.parse(pending.at) > 60_000)
        await request(openKfId);
    }
  }

  return {
    noteCallback,
    request,
    async start() {
      stopped = false;
      // In the background: an unreachable WeCom must not hold up the service's start.
      for (const openKfId of await knownAccounts()) void request(openKfId);
      const interval = options.catchUpIntervalMs ?? 60_000;
      if (interval > 0 && !timer) {
        timer = setInterval(() => {
          catchUp().catch((error: unknown) => logger.warn({ err: error }, 'wecom catch-up failed'));
        }, interval);
        timer.unref();
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      for (const retry of retryTimers) clearTimeout(retry);
      retryTimers.clear();
      await Promise.all([...runners.values()].map((runner) => runner.done));
    },
    async idle() {
      while (runners.size > 0) await Promise.all([...runners.values()].map((r) => r.done));
    },
  };
}
