/**
 * The local models from the model cache predict exactly what the freshly trained ones do, and a
 * changed training file is never answered from the cache.
 */
import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createModelCache } from '../cache/model-cache.js';
import { loadHazardFile } from '../../triage/hazard.js';
import { loadTaxonomy } from '../../triage/taxonomy.js';
import {
  cachedLocalTriageModels,
  loadSentimentExamples,
  type LocalTriageModels,
  trainLocalTriageModels,
} from './local-models.js';

const shipped = join(import.meta.dirname, '../../../knowledge-base');
const folder = mkdtempSync(join(tmpdir(), 'local-models-cache-'));
for (const file of ['taxonomy.yaml', 'sentiment.yaml', 'hazards.yaml'])
  copyFileSync(join(shipped, file), join(folder, file));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function fromFiles(cache: ReturnType<typeof createModelCache>) {
  return cachedLocalTriageModels(cache, await loadTaxonomy(join(folder, 'taxonomy.yaml')), {
    sentiment: join(folder, 'sentiment.yaml'),
    hazards: join(folder, 'hazards.yaml'),
  });
}

const texts = [
  '快递三天了还没到',
  'my parcel says delivered but I never got it',
  '充电器插上就冒烟了，还有焦味',
  'the kettle sparked and burned my hand',
  '可以开发票吗',
  'I want a refund, the sizes are wrong and the agent was rude!!!',
  '谢谢你们，东西很好用',
  'asdf qwerty zxcv',
  '',
  '退货地址是哪里？运费谁出',
];

function outputs(models: LocalTriageModels) {
  return Promise.all(
    texts.map(async (text) => ({
      category: models.category.predict(text),
      categoryDecision: await models.category.classify(text),
      intent: models.intent.predict(text),
      sentiment: await models.sentiment.classify(text),
      hazard: models.hazard!.assess(text),
      hazardScores: models.hazard!.classifier.predict(text),
    })),
  );
}

describe('local triage models in the model cache', () => {
  const cache = createModelCache(join(folder, 'model-cache'));
  let trained: LocalTriageModels;

  it('are trained the first time and loaded the second, predicting exactly the same', async () => {
    // Trained here, on this thread, without any cache or state in between.
    trained = trainLocalTriageModels(
      await loadTaxonomy(join(folder, 'taxonomy.yaml')),
      await loadSentimentExamples(join(folder, 'sentiment.yaml')),
      await loadHazardFile(join(folder, 'hazards.yaml')),
    );
    const first = await fromFiles(cache);
    expect(first.source).toBe('trained');
    const second = await fromFiles(cache);
    expect(second.source).toBe('cache');
    const loaded = second.model;
    // Exact equality: every probability to the last bit, every ranking and decision.
    expect(await outputs(loaded)).toEqual(await outputs(trained));
    expect(loaded.category.outOfScopeThreshold).toBe(trained.category.outOfScopeThreshold);
    expect(loaded.category.labels).toEqual(trained.category.labels);
    expect({ ...loaded.category.training, trainingMs: 0 }).toEqual({
      ...trained.category.training,
      trainingMs: 0,
    });
    // And the loaded models store the same state again.
    expect(loaded.category.toJSON().model).toEqual(trained.category.toJSON().model);
    expect(loaded.hazard!.toJSON().kinds.dictionary).toEqual(
      trained.hazard!.toJSON().kinds.dictionary,
    );
  });

  it('are trained again when a training file changes', async () => {
    appendFileSync(join(folder, 'sentiment.yaml'), '    - 质量很好，下次还来\n');
    const changed = await fromFiles(cache);
    expect(changed.source).toBe('trained');
    expect(changed.model.sentiment.training.examples).toBe(trained.sentiment.training.examples + 1);
    expect((await fromFiles(cache)).source).toBe('cache');
  });
});
