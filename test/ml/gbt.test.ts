// Boosted trees on toy sets whose splits, leaf values and gains are worked out by hand.
import { describe, expect, it } from 'vitest';
import { ClaimlensError } from '../../src/errors.ts';
import { categorical, dataset, numeric } from '../../src/ml/dataset.ts';
import { predictGbt, predictMargin, trainGbt } from '../../src/ml/gbt.ts';
import { serializeModel } from '../../src/ml/model-file.ts';
import { randomSet } from './fixtures.ts';

const exact = { threads: 1, minSamplesLeaf: 1, minChildWeight: 0, learningRate: 1, earlyStoppingRounds: 0 };

describe('trainGbt', () => {
  it('learns a stump on a separable set: threshold between the classes, leaves -G/(H + lambda)', async () => {
    // Squared error, base 0.5, so g = [0.5, 0.5, -0.5, -0.5], h = 1. Best cut x <= 2.5:
    // GL = 1, HL = 2 -> leaf -1/3; GR = -1, HR = 2 -> leaf 1/3; gain = (1/3 + 1/3 - 0) / 2 = 1/3.
    const data = dataset([numeric('x', [1, 2, 3, 4])]);
    const label = Float64Array.from([0, 0, 1, 1]);
    const model = await trainGbt(
      { data, label },
      { params: { ...exact, objective: 'squared_error', trees: 1, maxDepth: 1, lambda: 1 } },
    );
    expect(model.baseMargin).toBe(0.5);
    const [tree] = model.trees;
    expect(tree!.feature).toEqual([0, -1, -1]);
    expect(tree!.threshold[0]).toBe(2.5);
    expect(tree!.value[1]).toBeCloseTo(-1 / 3, 15);
    expect(tree!.value[2]).toBeCloseTo(1 / 3, 15);
    expect(tree!.gain[0]).toBeCloseTo(1 / 3, 15);
    expect(tree!.cover).toEqual([4, 2, 2]);
    expect([...predictGbt(model, data)].map((v) => v * 6)).toEqual(
      [1, 1, 5, 5].map((v) => expect.closeTo(v, 12)),
    );
  });

  it('fits a second tree to what the first left: leaves shrink by H / (H + lambda)', async () => {
    // After tree 1 the predictions are 1/6 and 5/6; g = [1/6, 1/6, -1/6, -1/6]; leaf -(2/6)/3 = -1/9.
    const data = dataset([numeric('x', [1, 2, 3, 4])]);
    const model = await trainGbt(
      { data, label: Float64Array.from([0, 0, 1, 1]) },
      { params: { ...exact, objective: 'squared_error', trees: 2, maxDepth: 1, lambda: 1 } },
    );
    expect(model.trees[1]!.value[1]).toBeCloseTo(-1 / 9, 15);
    expect(predictGbt(model, data)[0]).toBeCloseTo(1 / 6 - 1 / 9, 15);
  });

  it('uses log-loss gradients for binary labels: g = p - y, h = p(1 - p)', async () => {
    // Base margin logit(0.5) = 0, g = +-0.5, h = 0.25: leaf -(1)/(0.5 + 1) = -2/3, gain (2/3 + 2/3) / 2.
    const data = dataset([numeric('x', [1, 2, 3, 4])]);
    const model = await trainGbt(
      { data, label: Float64Array.from([0, 0, 1, 1]) },
      { params: { ...exact, trees: 1, maxDepth: 1, lambda: 1 } },
    );
    const t = model.trees[0]!;
    expect(model.baseMargin).toBe(0);
    expect(t.threshold[0]).toBe(2.5);
    expect(t.value[1]).toBeCloseTo(-2 / 3, 15);
    expect(t.value[2]).toBeCloseTo(2 / 3, 15);
    expect(t.gain[0]).toBeCloseTo(2 / 3, 15);
    expect(predictMargin(model, data)[3]).toBeCloseTo(2 / 3, 15);
  });

  it('learns where missing values go', async () => {
    // Missing rows are positives like x >= 3: x <= 2.5 with missing right. Base 2/3; left g = 2/3
    // twice -> leaf -(4/3)/3 = -4/9; right g = -1/3 four times -> leaf (4/3)/5 = 4/15.
    const data = dataset([numeric('x', [1, 2, null, null, 3, 4])]);
    const model = await trainGbt(
      { data, label: Float64Array.from([0, 0, 1, 1, 1, 1]) },
      { params: { ...exact, objective: 'squared_error', trees: 1, maxDepth: 1, lambda: 1 } },
    );
    const t = model.trees[0]!;
    expect(t.threshold[0]).toBe(2.5);
    expect(t.defaultLeft[0]).toBe(false);
    expect(t.value[1]).toBeCloseTo(-4 / 9, 15);
    expect(t.value[2]).toBeCloseTo(4 / 15, 15);
    expect(t.gain[0]).toBeCloseTo(64 / 135, 14);
    // A missing value at scoring follows the learned direction.
    const p = predictGbt(model, dataset([numeric('x', [null])]));
    expect(p[0]).toBeCloseTo(2 / 3 + 4 / 15, 15);
  });

  it('sends missing values to the larger child when training saw none', async () => {
    const data = dataset([numeric('x', [1, 2, 3, 4, 5])]);
    const model = await trainGbt(
      { data, label: Float64Array.from([0, 0, 1, 1, 1]) },
      { params: { ...exact, objective: 'squared_error', trees: 1, maxDepth: 1, lambda: 0 } },
    );
    const t = model.trees[0]!;
    expect(t.threshold[0]).toBe(2.5);
    expect(t.defaultLeft[0]).toBe(false);
    expect(predictGbt(model, dataset([numeric('x', [null])]))[0]).toBeCloseTo(1, 15);
  });

  it('splits categories by sorted gradient ratio; unseen levels follow the larger side', async () => {
    // Five levels of two rows each, positives in b and d. Base 0.4: g = -0.6 (b, d) and 0.4 (a, c, e).
    // Sorted by G/(H + 1): {b, d} first. Left GL = -2.4, HL = 4 -> leaf 0.48; right GR = 2.4, HR = 6 -> -2.4/7.
    const levels = ['a', 'b', 'c', 'd', 'e'];
    const data = dataset([
      categorical(
        'c',
        levels.flatMap((l) => [l, l]),
      ),
    ]);
    const label = Float64Array.from(levels.flatMap((l) => (l === 'b' || l === 'd' ? [1, 1] : [0, 0])));
    const model = await trainGbt(
      { data, label },
      { params: { ...exact, objective: 'squared_error', trees: 1, maxDepth: 1, lambda: 1 } },
    );
    const t = model.trees[0]!;
    expect(model.binning[0]).toEqual({ kind: 'categorical', name: 'c', levels });
    expect(t.leftBins[0]).toEqual([1, 3]);
    expect(t.value[1]).toBeCloseTo(0.48, 15);
    expect(t.value[2]).toBeCloseTo(-2.4 / 7, 15);
    expect(t.gain[0]).toBeCloseTo((2.88 * 12) / 35, 14);
    const p = predictGbt(model, dataset([categorical('c', ['d', 'zzz', null])]));
    expect(p[0]).toBeCloseTo(0.88, 15);
    expect(p[1]).toBeCloseTo(0.4 - 2.4 / 7, 15);
    expect(p[2]).toBeCloseTo(0.4 - 2.4 / 7, 15);
  });

  it('splits one level against the rest when few levels are present', async () => {
    // Levels x (4 rows, all 1) and y, z (2 rows each, all 0): base 0.5; {x} vs rest: GL = -2, HL = 4.
    const data = dataset([categorical('c', ['x', 'x', 'x', 'x', 'y', 'y', 'z', 'z'])]);
    const label = Float64Array.from([1, 1, 1, 1, 0, 0, 0, 0]);
    const model = await trainGbt(
      { data, label },
      { params: { ...exact, objective: 'squared_error', trees: 1, maxDepth: 1, lambda: 0 } },
    );
    expect(model.trees[0]!.leftBins[0]).toEqual([0, 3, 4]);
    expect(model.trees[0]!.value[1]).toBeCloseTo(0.5, 15);
    expect(model.trees[0]!.value[2]).toBeCloseTo(-0.5, 15);
  });

  it('respects max depth, max leaves and min samples per leaf', async () => {
    const { data, label } = randomSet(400, 3);
    const deep = await trainGbt(
      { data, label },
      { params: { threads: 1, trees: 1, maxDepth: 3, minSamplesLeaf: 1 } },
    );
    expect(Math.max(...depths(deep.trees[0]!))).toBe(3);
    const capped = await trainGbt(
      { data, label },
      { params: { threads: 1, trees: 1, maxDepth: 6, maxLeaves: 5, minSamplesLeaf: 1 } },
    );
    expect(capped.trees[0]!.feature.filter((f) => f < 0).length).toBe(5);
    const big = await trainGbt(
      { data, label },
      { params: { threads: 1, trees: 1, maxDepth: 6, minSamplesLeaf: 60 } },
    );
    const t = big.trees[0]!;
    for (let n = 0; n < t.feature.length; n++)
      if (t.feature[n]! < 0) expect(t.cover[n]).toBeGreaterThanOrEqual(60);
  });

  it('stops early when validation loss stops improving and keeps the best round', async () => {
    const { data, label } = randomSet(600, 5);
    const val = randomSet(300, 6);
    const model = await trainGbt(
      { data, label },
      { params: { threads: 1, trees: 300, learningRate: 0.5, earlyStoppingRounds: 5 }, validation: val },
    );
    const losses = model.validationLoss;
    const best = losses.indexOf(Math.min(...losses));
    expect(model.trees.length).toBe(best + 1);
    expect(losses.length).toBe(best + 1 + 5);
  });

  it('gives byte-identical models for the same seed, with subsampling, inline or on workers', async () => {
    const { data, label } = randomSet(3000, 7);
    const params = { trees: 15, subsample: 0.7, colsample: 0.6, seed: 11, maxDepth: 4 };
    const a = serializeModel(wrap(await trainGbt({ data, label }, { params: { ...params, threads: 1 } })));
    const b = serializeModel(wrap(await trainGbt({ data, label }, { params: { ...params, threads: 1 } })));
    const c = serializeModel(wrap(await trainGbt({ data, label }, { params: { ...params, threads: 2 } })));
    const d = serializeModel(
      wrap(await trainGbt({ data, label }, { params: { ...params, threads: 1, seed: 12 } })),
    );
    const e = serializeModel(wrap(await trainGbt({ data, label }, { params: { ...params, threads: 3 } })));
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(e).toBe(a);
    expect(d).not.toBe(a);
  });

  it('refuses an empty training set and a constant target with a clear error', async () => {
    const empty = trainGbt({ data: dataset([numeric('x', [])]), label: new Float64Array(0) });
    await expect(empty).rejects.toThrow(ClaimlensError);
    await expect(empty).rejects.toThrow(/no training rows/);
    const constant = trainGbt({
      data: dataset([numeric('x', [1, 2, 3])]),
      label: Float64Array.from([1, 1, 1]),
    });
    await expect(constant).rejects.toThrow(/label is constant \(every row is 1\)/);
    const notBinary = trainGbt({ data: dataset([numeric('x', [1, 2])]), label: Float64Array.from([0, 2]) });
    await expect(notBinary).rejects.toThrow(/binary labels must be 0 or 1/);
  });
});

function depths(t: { left: number[]; right: number[]; feature: number[] }): number[] {
  const d = t.feature.map(() => 0);
  t.feature.forEach((f, n) => {
    if (f >= 0) d[t.left[n]!] = d[t.right[n]!] = d[n]! + 1;
  });
  return d;
}

function wrap(gbt: Awaited<ReturnType<typeof trainGbt>>) {
  return {
    format: 'claimlens-model' as const,
    version: 1 as const,
    name: 't',
    features: gbt.binning.map((b) => ({ column: `f_${b.name}`, name: b.name, kind: b.kind })),
    gbt,
    calibration: null,
    baseline: null,
    metadata: {},
  };
}
