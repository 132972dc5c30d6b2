// Model files: a round trip keeps every field, and damaged or foreign files are refused with the reason.
import { describe, expect, it } from 'vitest';
import { explainRows, marginRows } from '../../src/ml/batch.ts';
import { binDataset } from '../../src/ml/binning.ts';
import { fitPlatt } from '../../src/ml/calibration.ts';
import { trainGbt } from '../../src/ml/gbt.ts';
import { fitLogistic } from '../../src/ml/logistic.ts';
import {
  parseModel,
  predictSaved,
  readModel,
  type SavedModel,
  serializeModel,
} from '../../src/ml/model-file.ts';
import { LeafTableShap } from '../../src/ml/shap.ts';
import { compileTrees } from '../../src/ml/tree.ts';
import { randomSet } from './fixtures.ts';

async function saved(): Promise<SavedModel> {
  const { data, label } = randomSet(500, 31);
  const gbt = await trainGbt({ data, label }, { params: { threads: 1, trees: 8, maxDepth: 3 } });
  return {
    format: 'claimlens-model',
    version: 1,
    name: 'denial',
    features: gbt.binning.map((b) => ({ column: `f_${b.name}`, name: b.name, kind: b.kind })),
    gbt,
    calibration: fitPlatt(Float64Array.from([-1, -1, 1, 1]), Float64Array.from([0, 0, 1, 1])),
    baseline: fitLogistic(data, label),
    metadata: { source: { table: 'marts.ml_denial_features' } },
  };
}

describe('model files', () => {
  it('read back exactly what was written', async () => {
    const m = await saved();
    const text = serializeModel(m);
    const back = parseModel(text, 'm.json');
    expect(serializeModel(back)).toBe(text);
    const { data } = randomSet(50, 32);
    expect(predictSaved(back, data)).toEqual(predictSaved(m, data));
  });

  it('refuse other formats, other versions and broken trees, naming the file', async () => {
    const m = await saved();
    expect(() => parseModel('{', 'm.json')).toThrow(/^not a model file \(invalid JSON/);
    expect(() => parseModel('{"format":"xgboost"}', 'm.json')).toThrow(
      'not a claimlens model file (format is "xgboost")',
    );
    const v2 = serializeModel({ ...m, version: 2 as 1 });
    expect(() => parseModel(v2, 'm.json')).toThrow(
      'model format version 2 is not supported (this claimlens reads version 1); retrain the model',
    );
    const broken = JSON.parse(serializeModel(m));
    broken.gbt.trees[0].left[0] = 0;
    expect(() => parseModel(JSON.stringify(broken), 'm.json')).toThrow(
      'invalid model file: tree 0 node 0 has invalid children',
    );
    const short = JSON.parse(serializeModel(m));
    short.gbt.trees[1].value.pop();
    expect(() => parseModel(JSON.stringify(short), 'm.json')).toThrow(
      'tree 1 has arrays of different lengths',
    );
    try {
      parseModel('{', 'models/x.json');
    } catch (err) {
      expect((err as { describe(): string }).describe()).toMatch(/^models\/x\.json: not a model file/);
    }
    expect(() => readModel('/nonexistent/denial.model.json')).toThrow(/no model file here/);
  });

  it('score and explain the same on worker threads as inline', async () => {
    const m = await saved();
    const { data } = randomSet(4500, 33);
    const trees = compileTrees(m.gbt.trees, m.gbt.binning);
    const bins = binDataset(m.gbt.binning, data);
    const margins = await marginRows(trees, m.gbt.baseMargin, bins, 2, { minRowsPerWorker: 1000 });
    expect(margins).toEqual(predictSaved(m, data).margin);
    const two = await explainRows(trees, m.gbt.baseMargin, bins, 2);
    const one = await explainRows(trees, m.gbt.baseMargin, bins, 1);
    expect(two).toEqual(one);
    const phi = new Float64Array(3);
    new LeafTableShap(trees, m.gbt.baseMargin).explain(bins, 4499, phi);
    expect([...one.subarray(4499 * 3)]).toEqual([...phi]);
  });
});
