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
import { type TextClassifier, trainTextClassifier } from '../models/local/text-classifier.js';

export const hazardKinds = [
  'fire', 'electrical', 'battery', 'injury', 'illness', 'food', 'cosmetic', 'child', 'medical', 'scam', 'repeat_fury', 'threat',
] as const;

const exampleSchema = z.object({ text: z.string().min(1), language: z.enum(['zh', 'en']), kind: z.enum(hazardKinds) });
export const hazardFileSchema = z.object({
  version: z.literal(1),
  examples: z.object({ report: z.array(exampleSchema).min(10), lookalike: z.array(exampleSchema).min(10) }),
});
export type HazardFile = z.infer<typeof hazardFileSchema>;

export async function loadHazardFile(path: string): Promise<HazardFile> {
  return hazardFileSchema.parse(parse(await readFile(path, 'utf8')));
}

/**
 * Words of harm in either language. An ordinary training message that has one is left out of the
 * "ordinary" class, so the model never learns that a burn or a rash is routine.
 */
const HARM_WORDS =
  /火|烟|焦|烧|爆|炸|电到|触电|漏电|麻|跳闸|短路|鼓|胀|漏液|烫|伤|血|疼|痛|肿|吐|拉肚子|腹泻|晕|过敏|疹|痒|中毒|异物|玻璃|虫|霉|变质|吞|卡住|窒息|医院|急诊|医生|救护|120|骗|诈|转账|报警|律师|起诉|12315|消协|曝光|媒体|第[三四五六七八九十\d]+次|fire|smok|spark|burn|melt|shock|zap|tingl|swell|swollen|bulg|leak|hot|injur|hurt|cut|bleed|blood|pain|ache|sick|vomit|threw up|diarr|dizz|allerg|rash|hive|itch|poison|glass|insect|bug|mou?ld|swallow|chok|hospital|doctor|\ber\b|ambulance|scam|fraud|transfer|police|lawyer|sue|court|media|times/iu;

/** Above this model probability a message counts as a report. Recall first: low, and fixed on the training data's folds. */
export const HAZARD_THRESHOLD = 0.35;

export interface HazardAssessment {
  reported: boolean;
  /** The model's calibrated probability that harm or danger is reported. */
  probability: number;
}

export interface HazardModel {
  assess(text: string): HazardAssessment;
  readonly classifier: TextClassifier;
}

export function trainHazardModel(file: HazardFile, ordinaryMessages: readonly string[], threshold = HAZARD_THRESHOLD): HazardModel {
  const examples = [
    ...file.examples.report.map((example) => ({ text: example.text, label: 'report' })),
    ...file.examples.lookalike.map((example) => ({ text: example.text, label: 'lookalike' })),
    ...ordinaryMessages.filter((text) => !HARM_WORDS.test(text)).map((text) => ({ text, label: 'ordinary' })),
  ];
  const classifier = trainTextClassifier(examples, { seed: 17, folds: 3, svmWeight: 0, bayesWeight: 0.1 });
  classifier.outOfScopeThreshold = 0;
  return {
    classifier,
    assess(text) {
      const probability = classifier.predict(text).find((score) => score.label === "report")?.probability ?? 0;
      return { reported: probability >= threshold, probability };
    },
  };
}
