import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { evalReportSchema } from '../evals/report/report.js';
import { type EvalCommandOptions, evalCommand } from './eval.js';

const train = [
  ['where is my parcel', 'shipping'],
  ['my package has not arrived yet', 'shipping'],
  ['when will my order be delivered', 'shipping'],
  ['tracking number shows no update', 'shipping'],
  ['how long does delivery take', 'shipping'],
  ['the courier lost my parcel', 'shipping'],
  ['I want my money back', 'refund'],
  ['when will I get my refund', 'refund'],
  ['refund has not reached my card', 'refund'],
  ['please refund the payment', 'refund'],
  ['how long do refunds take', 'refund'],
  ['cancel and refund my money', 'refund'],
];
const cases = [
  ['my parcel has not arrived', 'shipping'],
  ['where is my delivery', 'shipping'],
  ['I still have not received my refund', 'refund'],
  ['I want a refund of my money', 'refund'],
];

function suiteYaml(name: string, thresholds: string): string {
  const list = (rows: string[][]) =>
    rows.map(([text, label]) => `  - { text: "${text}", label: ${label} }`).join('\n');
  return `name: ${name}\nkind: classification\ntrain:\n${list(train)}\ncases:\n${list(cases)}\nthresholds:\n${thresholds}\n`;
}

describe('triage eval, end to end on a classification suite', () => {
  const directory = mkdtempSync(join(tmpdir(), 'eval-cli-'));
  const options = (extra: Partial<EvalCommandOptions> = {}): EvalCommandOptions => ({
    dataDir: 'memory://',
    history: true,
    historyDir: join(directory, 'history'),
    cache: false,
    cacheDir: join(directory, 'cache'),
    progress: false,
    ...extra,
  });
  const env = { LOG_LEVEL: 'silent', DATASETS_DIR: join(directory, 'no-datasets') };

  beforeEach(() => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    process.exitCode = undefined;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('trains on the inline examples, measures the cases, writes JSON, HTML and Markdown, exits 0', async () => {
    const file = join(directory, 'intents.yaml');
    writeFileSync(file, suiteYaml('intents', '  accuracy: ">= 0.75"\n  macroF1: 0.5'));
    const paths = {
      json: join(directory, 'out/r.json'),
      html: join(directory, 'out/r.html'),
      markdown: join(directory, 'out/r.md'),
    };
    const report = await evalCommand([file], options(paths), env);

    expect(process.exitCode).toBe(0);
    const suite = report.suites[0]!;
    expect(suite).toMatchObject({
      name: 'intents',
      kind: 'classification',
      pass: true,
      caseCount: 4,
    });
    expect(suite.metrics.accuracy).toBeGreaterThanOrEqual(0.75);
    expect(suite.thresholds.map((check) => check.metric)).toEqual(['accuracy', 'macroF1']);
    expect(suite.cases).toHaveLength(4);

    const written = evalReportSchema.parse(JSON.parse(readFileSync(paths.json, 'utf8')));
    expect(written.suites[0]!.metrics.confusion).toMatchObject({ labels: ['refund', 'shipping'] });
    const html = readFileSync(paths.html, 'utf8');
    expect(html).toContain('<table class="confusion">');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(readFileSync(paths.markdown, 'utf8')).toContain('| ✅ | intents | classification | 4 |');
  });

  it('exits 1 when a threshold fails, and compares with the previous run', async () => {
    const file = join(directory, 'strict.yaml');
    writeFileSync(file, suiteYaml('strict', '  accuracy: "> 1"'));
    const first = await evalCommand([file], options(), env);
    expect(process.exitCode).toBe(1);
    expect(first.pass).toBe(false);
    expect(first.suites[0]!.thresholds[0]).toMatchObject({
      metric: 'accuracy',
      op: '>',
      value: 1,
      pass: false,
    });

    const second = await evalCommand([file], options(), env);
    expect(second.suites[0]!.comparison).toMatchObject({
      previousStartedAt: first.startedAt,
      newlyFailing: [],
      newlyPassing: [],
    });
    expect(second.suites[0]!.comparison!.deltas.accuracy).toBe(0);
  });

  it('skips a suite whose public data set is absent, without failing', async () => {
    const file = join(directory, 'public.yaml');
    writeFileSync(
      file,
      'name: public\nkind: classification\ntrain: ${DATASETS_DIR}/clinc150/train.jsonl\nsplit: {}\nthresholds: {accuracy: ">= 0.9"}\n',
    );
    const report = await evalCommand([file], options({ history: false }), env);
    expect(process.exitCode).toBe(0);
    expect(report.suites[0]!.skipped).toMatch(/data set clinc150\/train.jsonl not found/);
  });

  it('runs a suite that trains its own classifier once under --variant, and says why', async () => {
    const file = join(directory, 'variants.yaml');
    writeFileSync(file, suiteYaml('variants', '  accuracy: ">= 0.5"'));
    const report = await evalCommand(
      [file],
      options({ history: false, variant: ['a', 'b:retrievalThreshold=0.9'] }),
      env,
    );
    expect(process.exitCode).toBe(0);
    expect(report.suites[0]!.variants).toBeUndefined();
    expect(report.suites[0]!.notes).toContain(
      '--variant does not apply: this suite does not run through the service',
    );
  });

  it('exits 2 when a suite file is invalid, naming the field', async () => {
    const file = join(directory, 'broken.yaml');
    writeFileSync(
      file,
      'name: broken\nkind: classification\ncases: [{text: a, label: b}]\nthresholds: {accuracy: high}\n',
    );
    const report = await evalCommand([file], options({ history: false }), env);
    expect(process.exitCode).toBe(2);
    expect(report.suites[0]!.error).toMatch(/thresholds.accuracy/);
  });
});
