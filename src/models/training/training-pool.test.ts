import { afterEach, describe, expect, it } from 'vitest';
import { entryModelFoldJob, entryModelJob } from '../../kb/entry-model.js';
import { answerabilityModelJob } from '../../triage/answerability.js';
import { inTrainingThread, setTrainingThreads } from './training-pool.js';

const paraphrases = [
  ...['how long does a refund take', 'when will my refund arrive', '退款多久到账'].map(
    (question) => ({ entryId: 'refund', locale: 'en', question }),
  ),
  ...['how do I track my parcel', 'where is my tracking number', '怎么查物流'].map((question) => ({
    entryId: 'tracking',
    locale: 'en',
    question,
  })),
];
const examples = paraphrases.map((p) => ({ text: p.question, label: p.entryId }));

afterEach(() => setTrainingThreads(2));

/** A state without its training time (the one figure two runs never share). */
function untimed(state: ReturnType<typeof entryModelJob>) {
  return { ...state!, training: { ...state!.training, trainingMs: 0 } };
}

describe('training threads', () => {
  it('compute exactly what the calling thread computes', async () => {
    setTrainingThreads(2);
    const [state, fold] = await Promise.all([
      inTrainingThread(entryModelJob, { examples, seed: 5 }),
      inTrainingThread(entryModelFoldJob, { paraphrases, extra: [], folds: 2, fold: 1, seed: 5 }),
    ]);
    expect(untimed(state)).toEqual(untimed(entryModelJob({ examples, seed: 5 })));
    expect(state!.model.weights).toBeInstanceOf(Float32Array);
    expect(fold).toEqual(entryModelFoldJob({ paraphrases, extra: [], folds: 2, fold: 1, seed: 5 }));
  });

  it('pass a job’s own error back', async () => {
    const nothing = {
      version: 1 as const,
      unanswered: {},
      person_action: { zh: [], en: [] },
      money_dispute: { zh: [], en: [] },
    };
    await expect(
      inTrainingThread(answerabilityModelJob, { questions: [], file: nothing }),
    ).rejects.toThrow(/at least two labels/);
  });

  it('run on the calling thread when threads are off', async () => {
    setTrainingThreads(0);
    expect(untimed(await inTrainingThread(entryModelJob, { examples, seed: 5 }))).toEqual(
      untimed(entryModelJob({ examples, seed: 5 })),
    );
  });
});
