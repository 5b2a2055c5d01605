/**
 * The fixed message set the pipeline benchmark and the decision-equivalence check run: the shipped
 * triage and safety suites and the blind sets' triage, emergency, injection and multi-turn files
 * (texts only; the labels are not read). Multi-turn rows become their last customer turn with the
 * turns before it as history, so the follow-up path is exercised too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TriageRequest } from '../../src/triage/triage.js';

export interface BenchMessage {
  id: string;
  request: TriageRequest;
}

const root = join(import.meta.dirname, '..', '..', 'evals', 'data');

function jsonl(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function single(file: string): BenchMessage[] {
  return jsonl(join(root, file)).map((row) => ({
    id: `${file}#${String(row.id)}`,
    request: {
      text: String(row.text),
      ...(typeof row.locale === 'string' ? { locale: row.locale } : {}),
    },
  }));
}

function conversations(file: string): BenchMessage[] {
  return jsonl(join(root, file)).map((row) => {
    const turns = (row.turns as string[]).map((turn) =>
      turn.startsWith('BOT: ')
        ? { author: 'bot' as const, text: turn.slice(5) }
        : { author: 'customer' as const, text: turn },
    );
    const last = turns.map((turn) => turn.author).lastIndexOf('customer');
    return {
      id: `${file}#${String(row.id)}`,
      request: { text: turns[last]!.text, history: turns.slice(0, last) },
    };
  });
}

/** The shipped suites first (the benchmark's default set), then the blind sets. */
export function benchMessages(which: 'shipped' | 'all' = 'all'): BenchMessage[] {
  const shipped = [...single('triage.jsonl'), ...single('safety.jsonl')];
  if (which === 'shipped') return shipped;
  const blind = ['blind-1', 'blind-2', 'blind-3'].flatMap((set) => [
    ...single(`${set}/triage.jsonl`),
    ...single(`${set}/emergency.jsonl`),
    ...single(`${set}/injection.jsonl`),
    ...conversations(`${set}/multiturn.jsonl`),
  ]);
  return [...shipped, ...blind];
}
