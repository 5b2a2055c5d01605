import { beforeAll, describe, expect, it } from 'vitest';
import { categoryExamples, loadTaxonomy } from './taxonomy.js';
import { type HazardModel, loadHazardFile, trainHazardModel } from './hazard.js';

// Texts written for this test, in no training file and no eval set.
describe('hazard model (knowledge-base/hazards.yaml + ordinary messages)', () => {
  let model: HazardModel;
  beforeAll(async () => {
    const root = new URL('../../knowledge-base/', import.meta.url).pathname;
    const taxonomy = await loadTaxonomy(`${root}taxonomy.yaml`);
    model = trainHazardModel(
      await loadHazardFile(`${root}hazards.yaml`),
      categoryExamples(taxonomy).map((example) => example.text),
    );
  });

  it('takes everyday reports of harm for emergencies, in both languages', () => {
    for (const text of [
      '台灯开关一按就闪出蓝光 还有啪的一声 手指头现在还发麻',
      '昨晚给孩子用了你们的沐浴露 今天早上背上全是小红点 一直在挠',
      '女儿玩的那个发光球裂开了 里面的小电池不见了 她一直咳嗽 我们正往儿童医院赶',
      'the hair straightener plate came loose and landed on my wrist, there is a big blister now',
      'my dad ate two of the protein bars and has been throwing up all night',
      'the e-bike battery under my desk puffed up and smells like chemicals',
    ]) {
      expect(model.assess(text).reported, text).toBe(true);
    }
  });

  it('keeps hypothetical questions and routine messages apart', () => {
    for (const text of [
      '这个暖风机放卧室整晚开着安全吗',
      '请问奶瓶是什么材质的 能用开水烫吗',
      '快递三天了还没到 帮我看看',
      'does the kettle switch itself off when it boils dry?',
      'how do I get an invoice for my order',
    ]) {
      expect(model.assess(text).reported, text).toBe(false);
    }
  });

  it('reads compatibility questions about chargers and devices, alone or with their topic, as no report', () => {
    for (const text of [
      '买的那个移动电源能给游戏机充吗\n那蓝牙音箱呢',
      'which cable do I need for the camera?\nand the drone batteries, same plug?',
    ]) {
      expect(model.assess(text).reported, text).toBe(false);
    }
  });
});
