/**
 * Loads a versioned prompt file (prompts/<id>.v<version>.md): YAML front matter validated
 * with zod, then a body split into chat messages by `<!-- message: system|user -->` markers,
 * with `{{variable}}` placeholders rendered in a single pass.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const promptFrontMatterSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/),
  version: z.int().positive(),
  description: z.string().min(1),
  temperature: z.number().min(0).max(2).optional(),
  /** Every placeholder the body uses, and nothing else. */
  variables: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).min(1),
});
export type PromptFrontMatter = z.infer<typeof promptFrontMatterSchema>;

export type PromptRole = 'system' | 'user';

export interface PromptFile {
  frontMatter: PromptFrontMatter;
  /** `<id>.v<version>`, recorded with every result so answers can be traced to a prompt. */
  promptVersion: string;
  messages: { role: PromptRole; template: string }[];
}

export interface RenderedMessage {
  role: PromptRole;
  content: string;
}

const placeholderPattern = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;
const messageMarkerPattern = /^<!--\s*message:\s*(system|user)\s*-->\s*$/gm;

export function loadPromptFile(path: string): PromptFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read prompt file ${path}: set promptsDir to the folder holding it.`, {
      cause: error,
    });
  }
  const prompt = parsePromptFile(text, path);
  const expectedName = `${prompt.promptVersion}.md`;
  if (basename(path) !== expectedName) {
    throw new Error(
      `Prompt file ${path} declares ${prompt.promptVersion}: name it ${expectedName}.`,
    );
  }
  return prompt;
}

export function parsePromptFile(text: string, source = 'prompt'): PromptFile {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!match)
    throw new Error(`${source}: expected YAML front matter between --- lines at the top.`);
  const [, yamlText = '', body = ''] = match;
  const parsed = promptFrontMatterSchema.safeParse(parseYaml(yamlText));
  if (!parsed.success)
    throw new Error(`${source}: invalid front matter: ${z.prettifyError(parsed.error)}`);
  const frontMatter = parsed.data;

  const messages = splitMessages(body, source);
  const used = new Set(
    messages.flatMap((message) =>
      [...message.template.matchAll(placeholderPattern)].map((m) => m[1] ?? ''),
    ),
  );
  const declared = new Set(frontMatter.variables);
  const undeclared = [...used].filter((name) => !declared.has(name));
  const unused = [...declared].filter((name) => !used.has(name));
  if (undeclared.length > 0)
    throw new Error(`${source}: placeholders not declared in variables: ${undeclared.join(', ')}`);
  if (unused.length > 0)
    throw new Error(`${source}: variables never used in the body: ${unused.join(', ')}`);

  return { frontMatter, promptVersion: `${frontMatter.id}.v${frontMatter.version}`, messages };
}

function splitMessages(body: string, source: string): PromptFile['messages'] {
  const markers = [...body.matchAll(messageMarkerPattern)];
  if (markers.length === 0)
    throw new Error(`${source}: no <!-- message: system|user --> markers in the body.`);
  if (body.slice(0, markers[0]?.index).trim() !== '') {
    throw new Error(`${source}: text before the first <!-- message: ... --> marker.`);
  }
  return markers.map((marker, index) => {
    const start = (marker.index ?? 0) + marker[0].length;
    const end = markers[index + 1]?.index ?? body.length;
    const template = body.slice(start, end).trim();
    if (template === '') throw new Error(`${source}: empty ${marker[1]} message.`);
    return { role: marker[1] as PromptRole, template };
  });
}

/**
 * Fills the placeholders. One pass over the template: a value that itself contains
 * `{{something}}` (customer text can) is inserted verbatim, never expanded.
 */
export function renderPrompt(
  prompt: PromptFile,
  values: Readonly<Record<string, string>>,
): RenderedMessage[] {
  const missing = prompt.frontMatter.variables.filter((name) => values[name] === undefined);
  if (missing.length > 0)
    throw new Error(`${prompt.promptVersion}: missing values for ${missing.join(', ')}`);
  return prompt.messages.map((message) => ({
    role: message.role,
    content: message.template.replace(
      placeholderPattern,
      (_whole, name: string) => values[name] ?? '',
    ),
  }));
}
