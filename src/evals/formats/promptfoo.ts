/**
 * promptfoo test files as triage cases: each of `tests:` (with `defaultTest:` merged in)
 * becomes a case whose text is one var, and whose assertions on the output become
 * assertions on the reply. Assertions with no equivalent here are listed in a warning,
 * never dropped silently; a test left with no assertion is not imported and is listed too.
 *
 * | promptfoo | here |
 * |---|---|
 * | contains, contains-all, starts-with, regex | matches (case-sensitive, as in promptfoo) |
 * | icontains, icontains-all | contains (case- and width-insensitive) |
 * | contains-any, icontains-any | matches one alternation (`i` for icontains-any) |
 * | not-contains, not-contains-any, not-starts-with, not-regex | notMatches |
 * | not-icontains, not-icontains-any | notContains |
 * | equals (a string) | equals (the reply, trimmed) |
 */
import { parse } from 'yaml';
import { z } from 'zod';
import type { Row } from '../data-files.js';
import { SuiteError } from '../suite.js';

const assertionSchema = z.looseObject({
  type: z.string().min(1),
  value: z.unknown().optional(),
  transform: z.unknown().optional(),
});
const testSchema = z.looseObject({
  description: z.string().optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
  assert: z.array(assertionSchema).optional(),
});
const fileSchema = z.looseObject({
  defaultTest: testSchema.optional(),
  tests: z.union([z.array(testSchema), z.string(), z.array(z.string())]).optional(),
});
type Assertion = z.infer<typeof assertionSchema>;

/** Vars that usually hold the user's message, in the order they are tried. */
const TEXT_VARS = [
  'message',
  'customer_message',
  'text',
  'query',
  'input',
  'question',
  'prompt',
  'content',
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const strings = (value: unknown): string[] | undefined => {
  const list = Array.isArray(value) ? value : [value];
  return list.length > 0 && list.every((item) => typeof item === 'string' && item !== '')
    ? (list as string[])
    : undefined;
};

type Mapped = {
  contains?: string[];
  notContains?: string[];
  matches?: string[];
  notMatches?: string[];
  equals?: string;
};

/** The assertion as fields of a triage case, or undefined when it has no equivalent. */
export function mapAssertion(assertion: Assertion): Mapped | undefined {
  if (assertion.transform !== undefined) return undefined; // it tests a transformed output we do not compute
  const values = strings(assertion.value);
  if (!values) return undefined;
  const one = values.length === 1 ? values[0] : undefined;
  switch (assertion.type) {
    case 'contains':
    case 'contains-all':
      return { matches: values.map(escape) };
    case 'icontains':
    case 'icontains-all':
      return { contains: values };
    case 'contains-any':
      return { matches: [values.map(escape).join('|')] };
    case 'icontains-any':
      return { matches: [`/${values.map(escape).join('|')}/i`] };
    case 'starts-with':
      return one === undefined ? undefined : { matches: [`^${escape(one)}`] };
    case 'regex':
      return one === undefined ? undefined : { matches: [one] };
    case 'not-contains':
    case 'not-contains-any':
      return { notMatches: values.map(escape) };
    case 'not-icontains':
    case 'not-icontains-any':
      return { notContains: values };
    case 'not-starts-with':
      return one === undefined ? undefined : { notMatches: [`^${escape(one)}`] };
    case 'not-regex':
      return one === undefined ? undefined : { notMatches: [one] };
    case 'equals':
      return one === undefined ? undefined : { equals: one };
    default:
      return undefined;
  }
}

function textVarOf(
  vars: Record<string, unknown>,
  configured: string | undefined,
  where: string,
): string {
  if (configured) {
    if (!(configured in vars))
      throw new SuiteError(
        `${where}: has no var ${configured} (textVar); its vars are ${Object.keys(vars).join(', ') || 'none'}`,
      );
    return configured;
  }
  const names = Object.keys(vars);
  if (names.length === 1) return names[0]!;
  const known = TEXT_VARS.find((name) => name in vars);
  if (known) return known;
  throw new SuiteError(
    `${where}: which var is the customer's message? Set textVar in the suite (vars: ${names.join(', ') || 'none'})`,
  );
}

export interface PromptfooImport {
  rows: Row[];
  /** Assertions and tests that could not be imported, one line each. */
  warnings: string[];
  notes: string[];
}

/** A promptfoo config (or tests file) as triage case rows. `name` is the file as shown in messages. */
export function promptfooRows(
  source: string,
  name: string,
  options: { textVar?: string } = {},
): PromptfooImport {
  let document: unknown;
  try {
    document = parse(source);
  } catch (error) {
    throw new SuiteError(`${name}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  // A tests file is a bare list; a config has `tests:`.
  const parsed = fileSchema.safeParse(Array.isArray(document) ? { tests: document } : document);
  if (!parsed.success)
    throw new SuiteError(
      `${name}: not a promptfoo config: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  const { tests, defaultTest } = parsed.data;
  if (tests === undefined) throw new SuiteError(`${name}: has no tests:`);
  if (!Array.isArray(tests) || tests.some((test) => typeof test === 'string')) {
    throw new SuiteError(
      `${name}: tests: refers to other files (${[tests].flat().join(', ')}); point the suite at that file instead`,
    );
  }

  const unmapped = new Map<string, number[]>();
  const empty: number[] = [];
  const rows: Row[] = [];
  const ids = new Set<string>();
  (tests as z.infer<typeof testSchema>[]).forEach((test, index) => {
    const number = index + 1;
    const where = `${name}: tests[${index}]${test.description ? ` (${test.description})` : ''}`;
    const vars = { ...defaultTest?.vars, ...test.vars };
    const textVar = textVarOf(vars, options.textVar, where);
    const assertions = [...(defaultTest?.assert ?? []), ...(test.assert ?? [])];
    const fields: Mapped = {};
    for (const assertion of assertions) {
      const mapped = mapAssertion(assertion);
      if (!mapped) {
        const label =
          assertion.transform !== undefined ? `${assertion.type} with transform` : assertion.type;
        unmapped.set(label, [...(unmapped.get(label) ?? []), number]);
        continue;
      }
      for (const [key, value] of Object.entries(mapped) as [keyof Mapped, string | string[]][]) {
        if (key === 'equals') fields.equals = value as string;
        else fields[key] = [...(fields[key] ?? []), ...(value as string[])];
      }
    }
    if (Object.keys(fields).length === 0) {
      empty.push(number);
      return;
    }
    // promptfoo runs a test once per value of a var given as a list.
    const texts = Array.isArray(vars[textVar]) ? (vars[textVar] as unknown[]) : [vars[textVar]];
    texts.forEach((text, position) => {
      if (typeof text !== 'string' || text.trim() === '')
        throw new SuiteError(`${where}: vars.${textVar} must be a text`);
      const base = test.description?.trim() || `test-${number}`;
      let id = texts.length > 1 ? `${base} [${position + 1}]` : base;
      if (ids.has(id)) id = `${id} (#${number})`;
      ids.add(id);
      const locale =
        typeof vars.locale === 'string'
          ? vars.locale
          : typeof vars.language === 'string'
            ? vars.language
            : undefined;
      rows.push({
        origin: `${name} tests[${index}]`,
        fields: { id, text, ...(locale ? { locale } : {}), ...fields },
      });
    });
  });

  const warnings: string[] = [];
  if (unmapped.size) {
    const total = [...unmapped.values()].reduce((sum, tests) => sum + tests.length, 0);
    const list = [...unmapped.entries()]
      .map(([type, tests]) => `${type} ×${tests.length} (tests ${tests.join(', ')})`)
      .join('; ');
    warnings.push(
      `${name}: ${total} promptfoo assertion${total > 1 ? 's' : ''} not imported (no equivalent here): ${list}`,
    );
  }
  if (empty.length)
    warnings.push(
      `${name}: ${empty.length} test${empty.length > 1 ? 's' : ''} not imported, no assertion left to check: tests ${empty.join(', ')}`,
    );
  return { rows, warnings, notes: [`promptfoo: ${rows.length} cases from ${tests.length} tests`] };
}
