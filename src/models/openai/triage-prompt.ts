/**
 * Turns a triage input into the prompt's variables. Every piece of data is escaped so that
 * no customer or knowledge-base text can close (or open) a delimiting tag of the prompt.
 */
import { z } from 'zod';
import type { llmTriageInputSchema } from './triage-schema.js';

type TriageInput = z.output<typeof llmTriageInputSchema>;
/** `json_schema` (strict structured output) or `json_object` (JSON mode, the schema in the prompt). */
export const structuredOutputModeSchema = z.enum(['json_schema', 'json_object']);
export type StructuredOutputMode = z.infer<typeof structuredOutputModeSchema>;

/** `<`, `>` and `&` become entities: data can then contain no tag at all, ours or another. */
export function escapeData(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeData(text)
    .replace(/"/g, '&quot;')
    .replace(/[\r\n]+/g, ' ');
}

export function triagePromptValues(
  input: TriageInput,
  mode: StructuredOutputMode,
  outputSchema: z.ZodType,
): Record<string, string> {
  return {
    categories: input.categories
      .map((category) => `- ${escapeData(category.key)}: ${escapeData(category.description)}`)
      .join('\n'),
    output_format: outputFormatInstructions(mode, outputSchema),
    language: escapeAttribute(input.language),
    examples:
      input.examples.length === 0
        ? '(none)'
        : input.examples
            .map(
              (example) =>
                `<example label="${escapeAttribute(example.label)}">${escapeData(example.text)}</example>`,
            )
            .join('\n'),
    candidates:
      input.candidates.length === 0
        ? '(none: no entry matches; write a holding reply and cite nothing)'
        : input.candidates
            .map(
              (candidate) =>
                `<entry id="${escapeAttribute(candidate.id)}">\n<title>${escapeData(candidate.title)}</title>\n` +
                `<answer>\n${escapeData(candidate.answer)}\n</answer>\n</entry>`,
            )
            .join('\n'),
    entities:
      Object.keys(input.entities).length === 0
        ? '(none)'
        : escapeData(JSON.stringify(input.entities, null, 2)),
    customer_message: escapeData(input.text),
  };
}

function outputFormatInstructions(mode: StructuredOutputMode, outputSchema: z.ZodType): string {
  const fields =
    'Answer with one JSON object with the fields category, confidence, outOfScope, sentiment, ' +
    'injectionSuspected, riskFlags, citations and reply.';
  if (mode === 'json_schema') return `${fields} The response format gives its exact JSON schema.`;
  // Servers without json_schema support only see the schema here. DeepSeek and DashScope
  // refuse json_object mode unless the messages contain the word "json" (lower case here, to
  // be safe with servers that match it case-sensitively).
  const schema = JSON.stringify(z.toJSONSchema(outputSchema, { target: 'draft-7' }), null, 2);
  return (
    `${fields} Output json only: no text before or after it, no Markdown fence. ` +
    `It must validate against this JSON Schema:\n${schema}`
  );
}
