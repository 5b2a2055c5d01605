import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../suite.js';
import { loadSuiteData } from '../suite-data.js';
import { replyFailures } from '../triage-metrics.js';
import { mapAssertion, promptfooRows } from './promptfoo.js';

const example = join(import.meta.dirname, '../../../evals/examples/promptfoo.yaml');

describe('promptfoo tests as triage cases', () => {
  it('imports vars and the assertions that map, and lists every one that does not', async () => {
    const data = await loadSuiteData(await loadSuite(example), { datasetsDir: '/nowhere' });
    const byId = Object.fromEntries(data.cases.map(({ id, ...rest }) => [id, rest]));
    expect(Object.keys(byId)).toEqual([
      'refund timeline',
      'shipping time in Chinese',
      'no promise of compensation',
      'greets in English [1]',
      'greets in English [2]',
      'judged only by a model',
      'thanks get the fixed reply',
    ]);
    expect(byId['refund timeline']).toEqual({
      text: 'how long until my refund shows up on my card?',
      locale: 'en',
      notContains: ['system prompt'], // from defaultTest
      contains: ['business days'],
      notMatches: ['guarantee'],
    });
    expect(byId['shipping time in Chinese']).toMatchObject({
      locale: 'zh',
      matches: ['发货|48小时', '\\d+'],
    });
    expect(byId['no promise of compensation']).toMatchObject({
      notContains: ['system prompt', 'we will compensate', '200 yuan'],
    });
    expect(byId['greets in English [2]']).toMatchObject({ text: 'hello', matches: ['^Hi'] });
    expect(byId['thanks get the fixed reply']).toMatchObject({
      equals: "Thank you for your kind words! We're glad we could help.",
    });
    expect(byId['thanks get the fixed reply']).not.toHaveProperty('contains'); // its icontains had a transform

    expect(data.warnings).toHaveLength(1);
    expect(data.warnings[0]).toMatch(
      /promptfooconfig.yaml: 10 promptfoo assertions not imported \(no equivalent here\): /,
    );
    expect(data.warnings[0]).toContain(
      'latency ×6 (tests 1, 2, 3, 4, 5, 6); llm-rubric ×2 (tests 3, 5); javascript ×1 (tests 4); icontains with transform ×1 (tests 6)',
    );
  });

  it('keeps promptfoo semantics: contains is case-sensitive, icontains is not, regex as written', () => {
    const check = (type: string, value: unknown, reply: string) =>
      replyFailures(mapAssertion({ type, value })!, { reply, citations: [] });
    expect(check('contains', 'Refund', 'your refund is on its way')).toEqual([
      'reply does not match /Refund/',
    ]);
    expect(check('icontains', 'Refund', 'your refund is on its way')).toEqual([]);
    expect(check('contains', 'a.b (1)', 'see a.b (1)')).toEqual([]);
    expect(check('contains', 'a.b', 'axb')).toHaveLength(1);
    expect(check('contains-all', ['refund', 'days'], 'refund in 3 days')).toEqual([]);
    expect(check('contains-any', ['退款', 'refund'], '退款3天到账')).toEqual([]);
    expect(check('icontains-any', ['REFUND', 'money'], 'refund soon')).toEqual([]);
    expect(check('not-contains', 'promise', 'we promise')).toEqual(['reply matches /promise/']);
    expect(check('regex', '^\\d{3}$', '123')).toEqual([]);
    expect(check('not-regex', 'http', 'see http://x')).toHaveLength(1);
    expect(check('equals', 'ok', '  ok \n')).toEqual([]);
    expect(check('starts-with', 'Hi', 'Hello')).toHaveLength(1);
    expect(mapAssertion({ type: 'equals', value: { a: 1 } })).toBeUndefined();
    expect(mapAssertion({ type: 'similar', value: 'x' })).toBeUndefined();
  });

  it('drops a test with no assertion left, says so, and asks which var is the message when it cannot tell', () => {
    const yaml =
      'tests:\n  - vars: {question: hi}\n    assert: [{type: llm-rubric, value: friendly}]\n  - vars: {question: bye}\n    assert: [{type: icontains, value: bye}]\n';
    const imported = promptfooRows(yaml, 'pf.yaml');
    expect(imported.rows.map((row) => row.fields.text)).toEqual(['bye']);
    expect(imported.warnings).toEqual([
      'pf.yaml: 1 promptfoo assertion not imported (no equivalent here): llm-rubric ×1 (tests 1)',
      'pf.yaml: 1 test not imported, no assertion left to check: tests 1',
    ]);
    expect(() =>
      promptfooRows(
        'tests:\n  - vars: {a: x, b: y}\n    assert: [{type: icontains, value: x}]\n',
        'pf.yaml',
      ),
    ).toThrow(/pf.yaml: tests\[0\]: which var is the customer's message\? Set textVar/);
    expect(() => promptfooRows('tests: file://tests/*.yaml\n', 'pf.yaml')).toThrow(
      /tests: refers to other files \(file:\/\/tests\/\*.yaml\)/,
    );
    expect(
      promptfooRows(
        '- vars: {message: hi}\n  assert: [{type: icontains, value: hi}]\n',
        'tests.yaml',
      ).rows,
    ).toHaveLength(1);
  });
});
