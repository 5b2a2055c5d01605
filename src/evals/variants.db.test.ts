/**
 * Variants and imported suites through the real pipeline: thresholds changed per variant
 * move coverage the way they must and are put back afterwards; a variant that changes a
 * setting gets its own service; the feedback export and a promptfoo config run as suites.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/env.js';
import { startService } from '../service.js';
import { openTestDatabase, testDriver } from '../testing/database.js';
import { silentLogger } from '../testing/logger.js';
import { startTestService, type TestService } from '../testing/service.js';
import { datasetsDirectory, repositoryRoot } from './data-files.js';
import { type RunEvalOptions, runEval } from './runner.js';
import { lazyService, runningService } from './service-source.js';

const examples = join(repositoryRoot, 'evals/examples');

describe.skipIf(testDriver !== 'pglite')('variants and imported suites, end to end', () => {
  let service: TestService;
  const run = (extra: Partial<RunEvalOptions> & { suiteFiles: string[] }) =>
    runEval({
      provider: 'local',
      services: runningService(service),
      datasetsDir: datasetsDirectory(undefined),
      concurrency: 1,
      progress: false,
      ...extra,
    });

  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('runs a suite under each threshold variant, compares them with the reference and restores the taxonomy', async () => {
    const taxonomy = structuredClone(service.taxonomy);
    const report = await run({ suiteFiles: [join(examples, 'variants.yaml')], limit: 24 });
    const suite = report.suites[0]!;
    expect(suite.error).toBeUndefined();
    expect(service.taxonomy).toEqual(taxonomy);

    const [configured, loose, strict] = suite.variants!.runs;
    expect(suite.variants!.reference).toBe('configured');
    expect([configured!.name, loose!.name, strict!.name]).toEqual([
      'configured',
      'loose',
      'strict',
    ]);
    // The suite's own figures are the reference's.
    expect(suite.metrics).toEqual(configured!.metrics);
    expect(configured!.deltas).toEqual({});
    expect(configured!.cases).toBeUndefined();
    // A lower bar answers at least as many messages, a higher one at most as many.
    const autoReplies = (cases: { actual: Record<string, unknown> }[]) =>
      cases.filter((item) => item.actual.action === 'auto_reply').length;
    expect(autoReplies(loose!.cases!)).toBeGreaterThanOrEqual(autoReplies(suite.cases));
    expect(autoReplies(strict!.cases!)).toBeLessThan(autoReplies(suite.cases));
    expect(strict!.deltas.autoReplyCoverage).toBeLessThan(0);
    expect(strict!.deltas.autoReplyCoverage).toBeCloseTo(
      (strict!.metrics.autoReplyCoverage as number) -
        (configured!.metrics.autoReplyCoverage as number),
    );
    // Every changed case is one whose pass or outcome differs, and every such case is listed.
    const referenceCases = new Map(suite.cases.map((item) => [item.id, item]));
    const differing = strict!.cases!.filter((item) => {
      const was = referenceCases.get(item.id)!;
      return (
        was.pass !== item.pass ||
        JSON.stringify([was.actual.action, was.actual.citations]) !==
          JSON.stringify([item.actual.action, item.actual.citations])
      );
    });
    expect(strict!.changedCases.map((item) => item.id).sort()).toEqual(
      expect.arrayContaining(differing.map((item) => item.id).sort()),
    );
    expect(strict!.changedCases.length).toBeGreaterThan(0);
    for (const item of strict!.changedCases)
      expect(item.variant.pass).toBe(strict!.cases!.find((c) => c.id === item.id)!.pass);
    // Each variant has its own sweep; the strict one at its own threshold reproduces its run.
    expect(strict!.sweep!.replayAgreement).toBeGreaterThan(0.9);
  });

  it('starts a service of its own for a variant that changes a setting, and records a failing variant without failing the suite', async () => {
    const started: Record<string, string>[] = [];
    const servicesFor = (env: Record<string, string>) => {
      started.push(env);
      return lazyService(async () => {
        if (env.MODEL_PROVIDER === 'openai') parseConfig({ MODEL_PROVIDER: 'openai' }); // throws: no key, as the CLI would
        const config = parseConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...env });
        return startService(config, {
          database: await openTestDatabase(),
          logger: silentLogger(),
          ingest: false,
        });
      });
    };
    const report = await run({
      suiteFiles: [join(repositoryRoot, 'evals/gate.yaml')],
      limit: 8,
      servicesFor,
      variants: [
        { name: 'as-is' },
        { name: 'other-prompts', prompts: join(repositoryRoot, 'prompts') },
        { name: 'gpt', provider: 'openai' },
      ],
    });
    const suite = report.suites[0]!;
    expect(suite.error).toBeUndefined();
    expect(started).toEqual([
      { PROMPTS_DIR: join(repositoryRoot, 'prompts') },
      { MODEL_PROVIDER: 'openai' },
    ]);
    const [asIs, otherPrompts, gpt] = suite.variants!.runs;
    // The local provider reads no prompt: the same results from a second, identical service.
    expect(otherPrompts!.changedCases).toEqual([]);
    expect(otherPrompts!.metrics.categoryAccuracy).toBe(asIs!.metrics.categoryAccuracy);
    expect(
      otherPrompts!.notes.some((note) =>
        note.startsWith("includes starting this variant's service"),
      ),
    ).toBe(true);
    expect(gpt).toMatchObject({ pass: false, error: expect.stringMatching(/OPENAI_API_KEY/) });
    // The gate is the reference's.
    expect(suite.pass).toBe(asIs!.pass);
  });

  it('runs the feedback export and a promptfoo config as triage suites, with the warning in the result', async () => {
    const report = await run({
      suiteFiles: [join(examples, 'feedback.yaml'), join(examples, 'promptfoo.yaml')],
    });
    const [feedback, promptfoo] = report.suites;
    expect(feedback).toMatchObject({ name: 'feedback', caseCount: 7 });
    expect(feedback!.error).toBeUndefined();
    expect(feedback!.metrics.categoryAccuracy).toEqual(expect.any(Number));
    expect(feedback!.notes[0]).toMatch(/^feedback export: 8 records, 7 messages/);
    const cited = feedback!.cases.find((item) => item.id === 'm-1001')!;
    expect(cited.expected).toMatchObject({ category: 'logistics', cites: ['shipping_time'] });

    expect(promptfoo).toMatchObject({ name: 'promptfoo-import', caseCount: 7 });
    expect(promptfoo!.warnings![0]).toMatch(/10 promptfoo assertions not imported/);
    expect(promptfoo!.metrics.replyAssertionPassRate).toEqual(expect.any(Number));
    // "not-icontains: system prompt" from defaultTest holds for every reply.
    for (const item of promptfoo!.cases)
      expect(item.failures.join(' ')).not.toContain('system prompt');
  });
});
