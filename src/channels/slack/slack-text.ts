/**
 * Slack's message text is its own markup: `&`, `<` and `>` arrive escaped, and mentions and
 * links are `<...>` tokens ("Formatting text for app surfaces"). Triage reads plain text, and a
 * reply's plain text must be escaped again so that Slack shows it as written.
 */

/** `<@U123>`, `<#C123|general>`, `<!here>`, `<https://x|label>` and the entities, as plain text. */
export function slackTextToPlain(text: string, dropUserIds: ReadonlySet<string> = new Set()) {
  return (
    text
      // Our own bot's mention ("@bot where is my parcel?") is addressing, not content.
      .replace(/<@([A-Z0-9]+)(?:\|[^<>]*)?> ?/g, (token, id: string) =>
        dropUserIds.has(id) ? '' : token,
      )
      .replace(/<([^<>]*)>/g, (_token, inner: string) => {
        const [target = '', label] = inner.split('|', 2) as [string, string | undefined];
        if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
        if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
        if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
        if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
        return label && label !== target ? `${label} (${target})` : target;
      })
      .replace(/&(amp|lt|gt);/g, (_entity, name: string) =>
        name === 'amp' ? '&' : name === 'lt' ? '<' : '>',
      )
      .trim()
  );
}

/** Plain text for chat.postMessage: only the three control characters are escaped. */
export function plainToSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
