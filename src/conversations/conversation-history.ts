/**
 * The turns of a conversation before one message, for triage to read a follow-up in context
 * (conversation-context.ts): the most recent ones within a week, oldest first.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/tables.js';
import { type HistoryTurn, MAX_HISTORY_TURNS } from '../triage/conversation-context.js';
import { turnsBefore } from './message.repository.js';

/** Older turns belong to another contact about another matter. */
const HISTORY_WINDOW_MS = 7 * 24 * 3600 * 1000;

export async function conversationHistory(
  db: Kysely<Database> | Transaction<Database>,
  conversationId: string,
  before: { id: string; createdAt: Date },
): Promise<HistoryTurn[]> {
  const rows = await turnsBefore(db, conversationId, {
    id: before.id,
    createdAt: before.createdAt,
    since: new Date(before.createdAt.getTime() - HISTORY_WINDOW_MS),
    limit: MAX_HISTORY_TURNS,
  });
  return rows.reverse().map((row) => ({ author: row.author, text: row.text.slice(0, 4000) }));
}
