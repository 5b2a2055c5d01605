/**
 * Measures the product on a blind set folder (evals/data/blind-N/): end-to-end triage, emergencies
 * and look-alikes, the last turn of multi-turn conversations, injection attacks and personal data,
 * each per language. Prints a table and, with --json, writes the figures.
 *
 *   npx tsx bench/blind/measure.ts evals/data/blind-1 [--only triage,pii] [--json out.json]
 *
 * Runs the shipped pipeline on a throwaway in-memory database with the local models. Blind sets are
 * for measuring only: never train, tune or write rules from their texts (see the folder's README).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseConfig } from '../../src/config/env.js';
import { outcomeOf } from '../../src/evals/kinds/triage.js';
import {
  safetyMetrics,
  type TriageOutcome,
  triageMetrics,
} from '../../src/evals/triage-metrics.js';
import { startService } from '../../src/service.js';
import { silentLogger } from '../../src/testing/logger.js';
import { findPersonalData, type PiiFinding } from '../../src/triage/pii.js';

const language = z.enum(['zh', 'en']);
const action = z.enum(['auto_reply', 'handoff']);
const urgency = z.enum(['low', 'normal', 'high', 'critical']);
const triageRow = z.object({
  id: z.string(),
  text: z.string(),
  language,
  category: z.string(),
  action,
  urgency,
  entry: z.string().nullable(),
});
const emergencyRow = z.object({
  id: z.string(),
  text: z.string(),
  language,
  critical: z.boolean(),
  kind: z.string(),
});
const multiturnRow = z.object({
  id: z.string(),
  language,
  turns: z.array(z.string()).min(2),
  category: z.string(),
  action,
  urgency,
  entry: z.string().nullable(),
});
const injectionRow = z.object({
  id: z.string(),
  text: z.string(),
  language,
  technique: z.string(),
});
const piiRow = z.object({
  id: z.string(),
  text: z.string(),
  language,
  pii: z.array(z.object({ kind: z.string(), value: z.string() })),
  keep: z.array(z.string()),
});

/** `--name value` from the command line. */
const option = (args: string[], name: string) =>
  args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
/** The files named by `--only` (all when absent). */
const only = option(process.argv.slice(2), '--only')?.split(',');
const wanted = (file: string) => !only || only.includes(file.replace('.jsonl', ''));

function rows<T>(folder: string, file: string, schema: z.ZodType<T>): T[] {
  const path = join(folder, file);
  if (!existsSync(path) || !wanted(file)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success)
        throw new Error(`${path}:${index + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

const round = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? '-' : value.toFixed(3);
const byLanguage = <T extends { language: 'zh' | 'en' }>(items: T[]) => ({
  zh: items.filter((item) => item.language === 'zh'),
  en: items.filter((item) => item.language === 'en'),
  all: items,
});

/** Character spans of each occurrence of a labelled value; recalled when every non-space character is inside a finding. */
function recalled(text: string, value: string, findings: PiiFinding[]): boolean {
  for (let start = text.indexOf(value); start >= 0; start = text.indexOf(value, start + 1)) {
    for (let index = start; index < start + value.length; index++) {
      if (
        !/\s/.test(text[index]!) &&
        !findings.some((finding) => finding.start <= index && index < finding.end)
      )
        return false;
    }
  }
  return true;
}
const touched = (text: string, value: string, findings: PiiFinding[]) => {
  const start = text.indexOf(value);
  return findings.some((finding) => finding.start < start + value.length && start < finding.end);
};

async function main() {
  const [folder, ...rest] = process.argv.slice(2);
  if (!folder) throw new Error('usage: measure.ts <blind set folder> [--json out.json]');
  const jsonOut = option(rest, '--json');
  // Personal data is measured on the redactor alone; the rest needs the whole service.
  const needsService = [
    'triage.jsonl',
    'emergency.jsonl',
    'multiturn.jsonl',
    'injection.jsonl',
  ].some((file) => wanted(file) && existsSync(join(folder, file)));
  const service = needsService
    ? await startService(parseConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }), {
        logger: silentLogger(),
      })
    : undefined;
  const triage = async (text: string): Promise<TriageOutcome> =>
    outcomeOf(await service!.triage.triage({ text }));
  const report: Record<string, unknown> = {};

  const triageCases = rows(folder, 'triage.jsonl', triageRow);
  if (triageCases.length) {
    const scored = [];
    for (const item of triageCases)
      scored.push({ language: item.language, expected: item, outcome: await triage(item.text) });
    const parts = byLanguage(scored);
    report.triage = Object.fromEntries(
      Object.entries(parts).map(([key, part]) => [key, { n: part.length, ...triageMetrics(part) }]),
    );
  }

  const emergencies = rows(folder, 'emergency.jsonl', emergencyRow);
  if (emergencies.length) {
    const scored = [];
    for (const item of emergencies)
      scored.push({ ...item, level: (await triage(item.text)).urgency });
    report.emergency = Object.fromEntries(
      Object.entries(byLanguage(scored)).map(([key, part]) => {
        const critical = part.filter((item) => item.critical);
        const lookalikes = part.filter((item) => !item.critical);
        return [
          key,
          {
            critical: `${critical.filter((item) => item.level === 'critical').length}/${critical.length}`,
            lookalikesCritical: `${lookalikes.filter((item) => item.level === 'critical').length}/${lookalikes.length}`,
          },
        ];
      }),
    );
  }

  const conversations = rows(folder, 'multiturn.jsonl', multiturnRow);
  if (conversations.length) {
    const scored = [];
    for (const item of conversations) {
      // The last customer turn, with the turns before it as the conversation's history.
      const turns = item.turns.map((turn) =>
        turn.startsWith('BOT: ')
          ? { author: 'bot' as const, text: turn.slice(5) }
          : { author: 'customer' as const, text: turn },
      );
      const last = turns.map((turn) => turn.author).lastIndexOf('customer');
      const outcome = outcomeOf(
        await service!.triage.triage({ text: turns[last]!.text, history: turns.slice(0, last) }),
      );
      const right =
        outcome.category === item.category &&
        outcome.action === item.action &&
        (item.action === 'handoff' ||
          item.entry === null ||
          outcome.citations.includes(item.entry));
      scored.push({ language: item.language, right, expected: item, outcome });
    }
    report.multiturn = Object.fromEntries(
      Object.entries(byLanguage(scored)).map(([key, part]) => [
        key,
        {
          right: `${part.filter((item) => item.right).length}/${part.length}`,
          ...triageMetrics(part),
        },
      ]),
    );
  }

  const attacks = rows(folder, 'injection.jsonl', injectionRow);
  if (attacks.length) {
    const scored = [];
    for (const item of attacks)
      scored.push({
        language: item.language,
        expected: { action: 'handoff' as const, notContains: [], contains: [], flags: [] },
        outcome: await triage(item.text),
      });
    report.injection = Object.fromEntries(
      Object.entries(byLanguage(scored)).map(([key, part]) => [
        key,
        {
          answered: `${part.filter((item) => item.outcome.action === 'auto_reply').length}/${part.length}`,
          flagged: `${part.filter((item) => item.outcome.flags.includes('prompt_injection')).length}/${part.length}`,
          ...safetyMetrics(part),
        },
      ]),
    );
  }

  const personal = rows(folder, 'pii.jsonl', piiRow);
  if (personal.length) {
    const scored = personal.map((item) => {
      const findings = findPersonalData(item.text);
      return {
        language: item.language,
        items: item.pii.length,
        found: item.pii.filter((pii) => recalled(item.text, pii.value, findings)).length,
        keep: item.keep.length,
        kept: item.keep.filter((value) => !touched(item.text, value, findings)).length,
      };
    });
    report.pii = Object.fromEntries(
      Object.entries(byLanguage(scored)).map(([key, part]) => {
        const sum = (field: 'items' | 'found' | 'keep' | 'kept') =>
          part.reduce((total, item) => total + item[field], 0);
        return [
          key,
          {
            recall: round(sum('found') / sum('items')),
            found: `${sum('found')}/${sum('items')}`,
            kept: `${sum('kept')}/${sum('keep')}`,
          },
        ];
      }),
    );
  }
  await service?.close();

  const show = (value: unknown) => (typeof value === 'number' ? round(value) : String(value));
  for (const [section, parts] of Object.entries(report)) {
    console.log(`\n## ${section}`);
    for (const [part, metrics] of Object.entries(
      parts as Record<string, Record<string, unknown>>,
    )) {
      const wanted = Object.entries(metrics).filter(
        ([key, value]) => typeof value !== 'object' && !/^(macro|weighted)/.test(key),
      );
      console.log(
        `${part.padEnd(4)} ${wanted.map(([key, value]) => `${key} ${show(value)}`).join('  ')}`,
      );
    }
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(report, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
