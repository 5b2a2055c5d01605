/**
 * Wakes the open reply streams of a conversation in this process: the widget's sender calls
 * `wake` when a reply of that conversation is delivered, so a visitor connected here sees it
 * at once. A reply delivered by another instance reaches no listener here; the stream's
 * periodic re-read finds it (stream.ts).
 */

export interface WidgetListeners {
  /** Calls `wake` on every `wake(conversationId)`, until the returned function is called. */
  listen(conversationId: string, wake: () => void): () => void;
  wake(conversationId: string): void;
  /** Wakes every listener (the adapter is stopping: streams end). */
  wakeAll(): void;
  /** Open listeners of one conversation (a visitor's tabs). */
  count(conversationId: string): number;
}

export function createWidgetListeners(): WidgetListeners {
  const byConversation = new Map<string, Set<() => void>>();
  return {
    listen(conversationId, wake) {
      let listeners = byConversation.get(conversationId);
      if (!listeners) byConversation.set(conversationId, (listeners = new Set()));
      listeners.add(wake);
      return function unlisten() {
        listeners.delete(wake);
        if (listeners.size === 0 && byConversation.get(conversationId) === listeners)
          byConversation.delete(conversationId);
      };
    },
    wake(conversationId) {
      for (const wake of byConversation.get(conversationId) ?? []) wake();
    },
    wakeAll() {
      for (const listeners of byConversation.values()) for (const wake of listeners) wake();
    },
    count: (conversationId) => byConversation.get(conversationId)?.size ?? 0,
  };
}
