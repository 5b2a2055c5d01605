/**
 * Pulls the JSON object out of a chat answer from servers without json_schema support,
 * which may wrap it in a Markdown fence or precede it with a <think> block (Qwen3, DeepSeek-R1
 * served by Ollama or vLLM).
 */

/** Returns the parsed value; throws SyntaxError when there is no JSON object to parse. */
export function parseJsonObjectAnswer(content: string): unknown {
  let text = content.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(text);
  if (fenced) text = (fenced[1] ?? '').trim();
  if (!text.startsWith('{')) {
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    if (start === -1 || end <= start) throw new SyntaxError('no JSON object in the answer');
    text = text.slice(start, end + 1);
  }
  return JSON.parse(text);
}
