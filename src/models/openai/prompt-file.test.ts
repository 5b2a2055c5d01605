import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPromptFile, parsePromptFile, renderPrompt } from './prompt-file.js';
import { defaultPromptsDir } from './triage-model.js';

const minimal = (frontMatter: string, body: string) => `---\n${frontMatter}\n---\n${body}`;
const header = 'id: demo\nversion: 2\ndescription: A demo prompt.\nvariables: [name, text]';
const body =
  '<!-- message: system -->\nHello {{name}}.\n<!-- message: user -->\n<text>{{ text }}</text>\n';

describe('prompt files', () => {
  it('loads prompts/triage.v1.md with its front matter and two messages', () => {
    const prompt = loadPromptFile(join(defaultPromptsDir, 'triage.v1.md'));

    expect(prompt.promptVersion).toBe('triage.v1');
    expect(prompt.frontMatter.temperature).toBe(0.1);
    expect(prompt.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(prompt.messages[1]?.template).toContain(
      '<customer_message language="{{language}}">\n{{customer_message}}\n</customer_message>',
    );
  });

  it('renders placeholders in one pass: values are never expanded', () => {
    const prompt = parsePromptFile(minimal(header, body));

    const messages = renderPrompt(prompt, { name: 'Ann {{text}}', text: 'x' });

    expect(messages).toEqual([
      { role: 'system', content: 'Hello Ann {{text}}.' },
      { role: 'user', content: '<text>x</text>' },
    ]);
    expect(() => renderPrompt(prompt, { name: 'Ann' })).toThrow(/missing values for text/);
  });

  it('rejects invalid front matter with the field named', () => {
    expect(() =>
      parsePromptFile(minimal('id: demo\ndescription: d\nvariables: [name, text]', body)),
    ).toThrow(/version/);
    expect(() => parsePromptFile(minimal(`${header}\ntemperature: 5`, body))).toThrow(
      /temperature/,
    );
    expect(() => parsePromptFile(minimal(`${header}\nextra: 1`, body))).toThrow(/extra/);
    expect(() => parsePromptFile(body)).toThrow(/front matter/);
  });

  it('rejects placeholders that are not declared, and declared variables never used', () => {
    expect(() => parsePromptFile(minimal(header, `${body}{{secret}}`))).toThrow(
      /not declared.*secret/,
    );
    expect(() =>
      parsePromptFile(minimal(header.replace('[name, text]', '[name, text, extra]'), body)),
    ).toThrow(/never used.*extra/);
  });

  it('requires message markers and a file name matching id and version', () => {
    expect(() => parsePromptFile(minimal(header, 'Hello {{name}} {{text}}'))).toThrow(/markers/);
    const directory = mkdtempSync(join(tmpdir(), 'prompt-file-'));
    writeFileSync(join(directory, 'demo.v1.md'), minimal(header, body));
    writeFileSync(join(directory, 'demo.v2.md'), minimal(header, body));

    expect(() => loadPromptFile(join(directory, 'demo.v1.md'))).toThrow(/name it demo\.v2\.md/);
    expect(loadPromptFile(join(directory, 'demo.v2.md')).promptVersion).toBe('demo.v2');
  });
});
