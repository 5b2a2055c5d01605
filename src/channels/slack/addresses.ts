/**
 * How a Slack thread is named in our store. The conversation id is `<channel id>:<thread ts>`
 * (the thread's parent ts, or the message's own ts when it starts one), so the reply is posted
 * into that thread; a message id is `<channel id>:<ts>`, which is the same whether Slack
 * delivered the message as `message` or as `app_mention`, so the intake stores it once.
 */

export function slackConversationId(channel: string, threadTs: string): string {
  return `${channel}:${threadTs}`;
}

export function slackMessageId(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

/** The channel and thread to post a reply into; undefined for an id this channel did not make. */
export function parseSlackConversationId(
  conversationId: string,
): { channel: string; threadTs: string } | undefined {
  const match = /^([A-Z0-9]+):(\d+\.\d+)$/.exec(conversationId);
  return match ? { channel: match[1]!, threadTs: match[2]! } : undefined;
}
