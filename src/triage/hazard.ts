/**
 * The emergency detector: does the customer report harm that happened or a danger present now
 * (fire, smoke, sparks, shocks, swelling batteries, injuries, illness or reactions after using or
 * eating a product, a child at risk, a scam, furious repeat contact), as opposed to asking whether
 * something could happen ("会不会…", "is it safe for…")? Recall comes first: a missed emergency is
 * a child's injury scored "normal".
 *
 * Two parts, either of which makes a report: a lexicon of reports (signals.ts) and a linear text
 * model trained at start-up on `knowledge-base/hazards.yaml` (reports against look-alikes, written
 * from the trade's standards) plus ordinary after-sales messages (the taxonomy's examples without
 * words of harm) so routine questions stay low.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  loadTextClassifier,
  type TextClassifier,
  trainTextClassifier,
} from '../models/local/text-classifier.js';
import { textClassifierStateSchema } from '../models/local/text-classifier-state.js';

export const hazardKinds = [
  'fire',
  'electrical',
  'battery',
  'injury',
  'illness',
  'food',
  'cosmetic',
  'child',
  'medical',
  'scam',
  'repeat_fury',
  'threat',
] as const;

const exampleSchema = z.object({
  text: z.string().min(1),
  language: z.enum(['zh', 'en']),
  kind: z.enum(hazardKinds),
});
export const hazardFileSchema = z.object({
  version: z.literal(1),
  examples: z.object({
    report: z.array(exampleSchema).min(10),
    lookalike: z.array(exampleSchema).min(10),
  }),
});
export type HazardFile = z.infer<typeof hazardFileSchema>;

export async function loadHazardFile(path: string): Promise<HazardFile> {
  return parseHazardFile(await readFile(path, 'utf8'));
}

export function parseHazardFile(source: string): HazardFile {
  return hazardFileSchema.parse(parse(source));
}

/**
 * Words of harm in either language. An ordinary training message that has one is left out of the
 * "ordinary" class, so the model never learns that a burn or a rash is routine.
 */
const HARM_WORDS =
  /火|烟|焦|烧|爆|炸|电到|触电|漏电|麻|跳闸|短路|鼓|胀|漏液|烫|伤|血|疼|痛|肿|吐|拉肚子|腹泻|晕|过敏|疹|痒|中毒|异物|玻璃|虫|霉|变质|吞|卡住|窒息|医院|急诊|医生|救护|120|骗|诈|转账|报警|律师|起诉|12315|消协|曝光|媒体|第[三四五六七八九十\d]+次|fire|smok|spark|burn|melt|shock|zap|tingl|swell|swollen|bulg|leak|hot|injur|hurt|cut|bleed|blood|pain|ache|sick|vomit|threw up|diarr|dizz|allerg|rash|hive|itch|poison|glass|insect|bug|mou?ld|swallow|chok|hospital|doctor|\ber\b|ambulance|scam|fraud|transfer|police|lawyer|sue|court|media|times/iu;

/**
 * At or above this probability of a report a message counts as one. Chosen by
 * `npx tsx bench/triage/hazard-cv.ts` (3-fold CV on the training data: the lowest expected cost
 * with a missed emergency weighted as 20 false alarms; the cost is flat from 0.25 to 0.35 and the
 * higher end raises fewer false alarms). The model is the second net under the report lexicon in
 * signals.ts, not the only one.
 */
export const HAZARD_THRESHOLD = 0.35;

export type HazardKind = (typeof hazardKinds)[number];

export interface HazardAssessment {
  reported: boolean;
  /** The model's calibrated probability that harm, a present danger, a scam, a threat or escalating contact is reported. */
  probability: number;
  /** The likeliest kind of report (meaningful when reported). */
  kind: HazardKind;
}

export interface HazardModel {
  assess(text: string): HazardAssessment;
  readonly classifier: TextClassifier;
  /** Both classifiers and the threshold, for the model cache (`loadHazardModel` restores it). */
  toJSON(): HazardModelState;
}

export const hazardModelStateSchema = z.object({
  classifier: textClassifierStateSchema,
  kinds: textClassifierStateSchema,
  threshold: z.number(),
});
export type HazardModelState = z.infer<typeof hazardModelStateSchema>;

const REPORT = 'report:';

export function hazardExamples(file: HazardFile, ordinaryMessages: readonly string[]) {
  return [
    ...file.examples.report.map((example) => ({ text: example.text, label: `${REPORT}any` })),
    ...file.examples.lookalike.map((example) => ({ text: example.text, label: 'lookalike' })),
    ...ordinaryMessages
      .filter((text) => !HARM_WORDS.test(text))
      .map((text) => ({ text, label: 'ordinary' })),
  ];
}

export function trainHazardModel(
  file: HazardFile,
  ordinaryMessages: readonly string[],
  options: { threshold?: number; seed?: number } = {},
): HazardModel {
  // Report or not is one class against two: the kinds, 20-30 examples each, are too few to split
  // the report probability well. A second model, on reports only, names the kind.
  const classifier = trainTextClassifier(hazardExamples(file, ordinaryMessages), {
    seed: options.seed ?? 17,
    folds: 3,
    svmWeight: 0,
    bayesWeight: 0.1,
  });
  classifier.outOfScopeThreshold = 0;
  const kinds = trainTextClassifier(
    file.examples.report.map((example) => ({ text: example.text, label: example.kind })),
    { seed: (options.seed ?? 17) + 1, folds: 2, svmWeight: 0, bayesWeight: 0.1 },
  );
  kinds.outOfScopeThreshold = 0;
  return hazardModel(classifier, kinds, options.threshold ?? HAZARD_THRESHOLD);
}

/** A hazard model stored with `toJSON()` (parsed with `hazardModelStateSchema`). */
export function loadHazardModel(state: HazardModelState): HazardModel {
  return hazardModel(
    loadTextClassifier(state.classifier),
    loadTextClassifier(state.kinds),
    state.threshold,
  );
}

function hazardModel(
  classifier: TextClassifier,
  kinds: TextClassifier,
  threshold: number,
): HazardModel {
  return {
    classifier,
    assess(text) {
      const probability =
        classifier.predict(text).find((score) => score.label === `${REPORT}any`)?.probability ?? 0;
      const reported = probability >= threshold;
      const kind = (reported ? kinds.predict(text)[0]?.label : undefined) ?? 'injury';
      return { reported, probability, kind: kind as HazardKind };
    },
    toJSON: () => ({ classifier: classifier.toJSON(), kinds: kinds.toJSON(), threshold }),
  };
}
