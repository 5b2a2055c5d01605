/**
 * Reads a password for the CLI: on a terminal it asks ("Password for alice: ") without
 * echoing what is typed, and asks again to catch typos; piped input (scripts) is read whole.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CredentialsError } from '../auth/credentials.js';

interface PromptInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

/** Asks one question on a terminal; the answer is not echoed. */
export function askHidden(
  question: string,
  input: PromptInput,
  output: NodeJS.WritableStream,
): Promise<string> {
  let muted = false;
  // readline echoes keystrokes through its output: this one passes the question and drops the rest.
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) output.write(chunk);
      callback();
    },
  });
  const lines = createInterface({ input, output: sink, terminal: true });
  return new Promise((resolve, reject) => {
    lines.on('SIGINT', () => {
      lines.close();
      output.write('\n');
      reject(new CredentialsError('cancelled'));
    });
    lines.question(question, (answer) => {
      lines.close();
      output.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) text += chunk;
  return text;
}

export async function readPassword(
  username: string,
  input: PromptInput = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  if (!input.isTTY) return (await readAll(input)).trim();
  const password = await askHidden(`Password for ${username}: `, input, output);
  const again = await askHidden('Repeat the password: ', input, output);
  if (password !== again) throw new CredentialsError('the two passwords differ; nothing was saved');
  return password;
}
