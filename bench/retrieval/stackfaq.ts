/**
 * StackFAQ retrieval (Karan & Snajder 2018): 1,249 user paraphrases against 719 FAQ
 * question-answer pairs; a query's relevant FAQs are all FAQs of its thread; MAP over
 * queries. The local embedder is fitted on the FAQ texts only (no query text).
 * Published reference: BM25 over the question field, MAP 0.665.
 *
 *   npx tsx bench/retrieval/stackfaq.ts [--dimension 256] [--answer-weight 0.3]
 */
import { buildKeywordIndex, reciprocalRankFusion, type KeywordIndex } from './keyword-index.js';
import { fitLocalEmbedder, type LocalEmbedderOptions } from '../../src/models/local/embedder.js';
import { sparseDot } from './sparse-dot.js';
import { searchTokens } from '../../src/text/tokenize.js';
import { flag, readJsonLines } from './datasets.js';
import { averagePrecision, mean, rankByScore } from './metrics.js';

type Faq = { id: string; thread: string; question: string; answer: string };
type Query = { text: string; thread: string };
const faqs = readJsonLines<Faq>('stackfaq/faqs.jsonl');
const queries = readJsonLines<Query>('stackfaq/queries.jsonl');
if (!faqs || !queries) process.exit(0);

const options: LocalEmbedderOptions = { dimension: Number(flag('dimension', '256')) };
const answerWeight = Number(flag('answer-weight', '0.3'));
const ids = faqs.map((faq) => faq.id);
const relevant = new Map<string, Set<string>>();
for (const faq of faqs)
  relevant.set(faq.thread, (relevant.get(faq.thread) ?? new Set()).add(faq.id));

const corpus = [...new Set(faqs.flatMap((faq) => [faq.question, faq.answer]))];
let cpu = process.cpuUsage();
const embedder = fitLocalEmbedder(corpus, options);
const fitSeconds = process.cpuUsage(cpu).user / 1e6;
console.log(
  `fitted ${embedder.model} on ${corpus.length} FAQ texts in ${fitSeconds.toFixed(1)} s CPU`,
);

const timed = <T>(
  texts: string[],
  embed: (text: string) => T,
): { values: T[]; perSecond: number } => {
  const started = process.cpuUsage();
  const values = texts.map(embed);
  return { values, perSecond: texts.length / (process.cpuUsage(started).user / 1e6) };
};
const queryVectors = timed(
  queries.map((q) => q.text),
  embedder.embedOne,
);
const answerVectors = timed(
  faqs.map((faq) => faq.answer),
  embedder.embedOne,
);
console.log(
  `embedding: ${queryVectors.perSecond.toFixed(0)} queries/s (avg ${mean(queries.map((q) => q.text.length)).toFixed(0)} chars), ` +
    `${answerVectors.perSecond.toFixed(0)} answers/s (avg ${mean(faqs.map((f) => f.answer.length)).toFixed(0)} chars)`,
);
const questionVectors = faqs.map((faq) => embedder.embedOne(faq.question));
const joinedVectors = faqs.map((faq) => embedder.embedOne(`${faq.question}\n${faq.answer}`));
const querySparse = queries.map((q) => embedder.sparseVector(q.text));
const questionSparse = faqs.map((faq) => embedder.sparseVector(faq.question));
const answerSparse = faqs.map((faq) => embedder.sparseVector(faq.answer));
cpu = process.cpuUsage();

type Scorer = (q: number) => Float64Array;
const dot = (a: Float32Array, b: Float32Array): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
};
const perFaq =
  (score: (q: number, f: number) => number): Scorer =>
  (q) =>
    Float64Array.from(faqs, (_, f) => score(q, f));
const combine =
  (...parts: Array<[Scorer, number]>): Scorer =>
  (q) => {
    const out = new Float64Array(faqs.length);
    for (const [scorer, weight] of parts)
      scorer(q).forEach((value, f) => (out[f] = out[f]! + weight * value));
    return out;
  };
const keyword =
  (index: KeywordIndex): Scorer =>
  (q) => {
    const scores = new Map(
      index.search(searchTokens(queries[q]!.text)).map(({ id, score }) => [id, score]),
    );
    return Float64Array.from(ids, (id) => scores.get(id) ?? 0);
  };
const fused =
  (...scorers: Scorer[]): Scorer =>
  (q) => {
    const lists = scorers.map((scorer) =>
      rankByScore(ids, scorer(q)).map((id) => ({ id, score: 0 })),
    );
    const scores = new Map(reciprocalRankFusion(lists).map(({ id, score }) => [id, score]));
    return Float64Array.from(ids, (id) => scores.get(id)!);
  };

const denseQuestion = perFaq((q, f) => dot(queryVectors.values[q]!, questionVectors[f]!));
const denseAnswer = perFaq((q, f) => dot(queryVectors.values[q]!, answerVectors.values[f]!));
const lexicalQuestion = perFaq((q, f) => sparseDot(querySparse[q]!, questionSparse[f]!));
const lexicalAnswer = perFaq((q, f) => sparseDot(querySparse[q]!, answerSparse[f]!));
const bm25Question = keyword(
  buildKeywordIndex(faqs.map((faq) => ({ id: faq.id, tokens: searchTokens(faq.question) }))),
);
const bm25Joined = keyword(
  buildKeywordIndex(
    faqs.map((faq) => ({ id: faq.id, tokens: searchTokens(`${faq.question} ${faq.answer}`) })),
  ),
);
const denseFields = combine([denseQuestion, 1], [denseAnswer, answerWeight]);
const lexicalFields = combine([lexicalQuestion, 1], [lexicalAnswer, answerWeight]);

const rows: Array<[string, Scorer]> = [
  ['BM25 question (searchTokens)', bm25Question],
  ['BM25 question+answer', bm25Joined],
  ['dense question', denseQuestion],
  ['dense answer', denseAnswer],
  [
    'dense question+answer as one text',
    perFaq((q, f) => dot(queryVectors.values[q]!, joinedVectors[f]!)),
  ],
  [
    'dense max(question, answer)',
    perFaq((q, f) =>
      Math.max(
        dot(queryVectors.values[q]!, questionVectors[f]!),
        dot(queryVectors.values[q]!, answerVectors.values[f]!),
      ),
    ),
  ],
  [`dense question + ${answerWeight} answer`, denseFields],
  ['lexical (sparse TF-IDF) question', lexicalQuestion],
  [`lexical question + ${answerWeight} answer`, lexicalFields],
  [
    `dense + lexical, question + ${answerWeight} answer`,
    combine([denseFields, 1], [lexicalFields, 1]),
  ],
  ['RRF(dense q, BM25 q)', fused(denseQuestion, bm25Question)],
  [`RRF(dense q+${answerWeight}a, BM25 q)`, fused(denseFields, bm25Question)],
  [`RRF(dense, lexical, BM25 q)`, fused(denseFields, lexicalFields, bm25Question)],
];
console.log(`\n${'ranking'.padEnd(44)} MAP`);
for (const [name, scorer] of rows) {
  const map = mean(
    queries.map((query, q) =>
      averagePrecision(rankByScore(ids, scorer(q)), relevant.get(query.thread)!),
    ),
  );
  console.log(`${name.padEnd(44)} ${map.toFixed(3)}`);
}
