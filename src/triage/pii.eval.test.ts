/**
 * Redaction quality on evals/data/pii.jsonl: hand-written Chinese and English customer
 * messages, each labelled with the personal data it holds (`pii`, value as written) and
 * the references that must survive (`keep`: order and tracking numbers, amounts, dates,
 * models). A value counts as recalled only when every non-space character of every
 * occurrence lies inside a finding. Run: npx vitest run src/triage/pii.eval.test.ts
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type PiiFinding, findPersonalData, redactPersonalData } from './pii.js';

const caseSchema = z.object({
  id: z.string().regex(/^p\d{3}$/),
  text: z.string().min(1),
  pii: z.array(z.object({ kind: z.string(), value: z.string().min(1) })),
  keep: z.array(z.string().min(1)),
});
type PiiCase = z.infer<typeof caseSchema>;

const cases: PiiCase[] = readFileSync(
  new URL('../../evals/data/pii.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => caseSchema.parse(JSON.parse(line)));

function occurrences(text: string, value: string): { start: number; end: number }[] {
  const spans = [];
  for (let start = text.indexOf(value); start >= 0; start = text.indexOf(value, start + 1)) {
    spans.push({ start, end: start + value.length });
  }
  return spans;
}

const covered = (findings: PiiFinding[], index: number) =>
  findings.some((finding) => finding.start <= index && index < finding.end);

function isRecalled(text: string, value: string, findings: PiiFinding[]): boolean {
  return occurrences(text, value).every(({ start, end }) => {
    for (let index = start; index < end; index++) {
      if (!/\s/.test(text[index]!) && !covered(findings, index)) return false;
    }
    return true;
  });
}

const scored = cases.map((piiCase) => {
  const findings = findPersonalData(piiCase.text);
  const labelled = piiCase.pii.flatMap((pii) =>
    occurrences(piiCase.text, pii.value).map((span) => ({ ...span, kind: pii.kind })),
  );
  const matching = (finding: PiiFinding) =>
    labelled.filter((label) => finding.start < label.end && label.start < finding.end);
  return {
    piiCase,
    findings,
    redacted: redactPersonalData(piiCase.text).text,
    missed: piiCase.pii.filter((pii) => !isRecalled(piiCase.text, pii.value, findings)),
    falsePositives: findings.filter((finding) => matching(finding).length === 0),
    wrongKind: findings.filter(
      (finding) =>
        matching(finding).length > 0 &&
        !matching(finding).some((label) => label.kind === finding.kind),
    ),
    altered: piiCase.keep.filter((value) =>
      occurrences(piiCase.text, value).some((span) =>
        findings.some((finding) => finding.start < span.end && span.start < finding.end),
      ),
    ),
    redactedChars: findings.reduce((total, finding) => total + finding.end - finding.start, 0),
    redactedLabelledChars: findings.reduce((total, finding) => {
      let inside = 0;
      for (let index = finding.start; index < finding.end; index++) {
        if (labelled.some((label) => label.start <= index && index < label.end)) inside++;
      }
      return total + inside;
    }, 0),
  };
});

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const values = sum(scored.map((row) => row.piiCase.pii.length));
const recall = 1 - sum(scored.map((row) => row.missed.length)) / values;
const findingCount = sum(scored.map((row) => row.findings.length));
const precision = 1 - sum(scored.map((row) => row.falsePositives.length)) / findingCount;
const charPrecision =
  sum(scored.map((row) => row.redactedLabelledChars)) / sum(scored.map((row) => row.redactedChars));
const kindAccuracy =
  1 -
  sum(scored.map((row) => row.wrongKind.length)) /
    (findingCount - sum(scored.map((row) => row.falsePositives.length)));

describe('PII redaction eval (evals/data/pii.jsonl)', () => {
  it('is a data set of the agreed shape and size', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((piiCase) => piiCase.id)).size).toBe(cases.length);
    const withoutPii = cases.filter((piiCase) => piiCase.pii.length === 0).length / cases.length;
    expect(withoutPii).toBeGreaterThan(0.3);
    expect(withoutPii).toBeLessThan(0.5);
    for (const piiCase of cases) {
      for (const value of [...piiCase.pii.map((pii) => pii.value), ...piiCase.keep]) {
        expect(piiCase.text, `${piiCase.id}: "${value}" is not in the text`).toContain(value);
      }
    }
  });

  it('prints recall and precision', () => {
    const details = scored.flatMap((row) => [
      ...row.missed.map(
        (pii) => `  missed ${row.piiCase.id} ${pii.kind} "${pii.value}" -> ${row.redacted}`,
      ),
      ...row.falsePositives.map(
        (finding) =>
          `  extra  ${row.piiCase.id} ${finding.kind} "${row.piiCase.text.slice(finding.start, finding.end)}"`,
      ),
      ...row.wrongKind.map(
        (finding) =>
          `  kind   ${row.piiCase.id} ${finding.kind} "${row.piiCase.text.slice(finding.start, finding.end)}"`,
      ),
    ]);
    console.log(
      [
        `PII eval: ${cases.length} messages, ${values} personal-data values, ${findingCount} findings`,
        `  recall ${recall.toFixed(3)}  precision ${precision.toFixed(3)} (findings)  ${charPrecision.toFixed(3)} (characters)  kind accuracy ${kindAccuracy.toFixed(3)}`,
        ...details,
      ].join('\n'),
    );
    expect(findingCount).toBeGreaterThan(0);
  });

  it('redacts at least 99 % of the personal-data values', () => {
    expect(recall).toBeGreaterThanOrEqual(0.99);
  });

  it('never alters an order number, tracking number, amount, date or model', () => {
    const altered = scored.flatMap((row) =>
      row.altered.map((value) => `${row.piiCase.id}: ${value}`),
    );
    expect(altered).toEqual([]);
    for (const row of scored) {
      for (const value of row.piiCase.keep) expect(row.redacted, row.piiCase.id).toContain(value);
    }
  });
});
