import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPassword } from './password-prompt.js';

function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  let shown = '';
  const output = new PassThrough();
  output.on('data', (chunk) => (shown += chunk.toString()));
  return { input, output, shown: () => shown };
}

describe('readPassword', () => {
  it('asks on a terminal, twice, without echoing what is typed', async () => {
    const { input, output, shown } = terminal();
    const answer = readPassword('alice', input, output);
    input.write('s3cret-pass\r');
    await new Promise((resolve) => setImmediate(resolve));
    input.write('s3cret-pass\r');
    expect(await answer).toBe('s3cret-pass');
    expect(shown()).toContain('Password for alice: ');
    expect(shown()).toContain('Repeat the password: ');
    expect(shown()).not.toContain('s3cret');
  });

  it('refuses two different answers', async () => {
    const { input, output } = terminal();
    const answer = readPassword('alice', input, output);
    input.write('first-password\r');
    await new Promise((resolve) => setImmediate(resolve));
    input.write('other-password\r');
    await expect(answer).rejects.toThrow(/differ/);
  });

  it('reads piped input whole, for scripts', async () => {
    expect(await readPassword('bob', Readable.from(['piped-password\n']), new PassThrough())).toBe(
      'piped-password',
    );
  });
});
