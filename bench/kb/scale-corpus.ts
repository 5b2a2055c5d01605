/**
 * The knowledge-base scale corpus: every distinct text of four public customer-service data
 * sets (AFQMC in Chinese; BANKING77, CLINC150 and Bitext in English), languages interleaved
 * so that every prefix is mixed. 97,400 texts; null (with a message) when a data set is absent.
 */
import { z } from 'zod';
import { readDataset, readLabelledTexts } from '../datasets.js';

export type Locale = 'zh' | 'en';
export interface Text {
  text: string;
  locale: Locale;
}

export function scaleCorpus(): Text[] | null {
  const afqmc = readDataset(
    'afqmc/train.jsonl',
    z.object({ text1: z.string(), text2: z.string() }),
  );
  const banking = readLabelledTexts('banking77/train.jsonl');
  const clinc = readLabelledTexts('clinc150/train.jsonl');
  const bitext = readLabelledTexts('bitext/customer_support.jsonl');
  if (!afqmc || !banking || !clinc || !bitext) return null;
  const seen = new Set<string>();
  const texts: Text[] = [];
  const add = (text: string, locale: Locale) => {
    if (!seen.has(text)) {
      seen.add(text);
      texts.push({ text, locale });
    }
  };
  // Interleave languages so every prefix of the corpus is mixed.
  const english = [...banking, ...clinc, ...bitext].map((row) => row.text);
  const chinese = afqmc.flatMap((row) => [row.text1, row.text2]);
  for (let i = 0; i < Math.max(english.length, chinese.length); i++) {
    if (i < chinese.length) add(chinese[i]!, 'zh');
    if (i < english.length) add(english[i]!, 'en');
  }
  return texts;
}
