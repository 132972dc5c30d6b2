// TreeSHAP against brute-force Shapley values on a hand-built tree, and additivity on trained ensembles.
import { describe, expect, it } from 'vitest';
import { binDataset, type FeatureBins } from '../../src/ml/binning.ts';
import { predictMargin, trainGbt } from '../../src/ml/gbt.ts';
import { type Explainer, LeafTableShap, TreeShap, topDrivers } from '../../src/ml/shap.ts';
import { type CompiledTrees, compileTrees, leafOf, type Tree } from '../../src/ml/tree.ts';
import { randomSet } from './fixtures.ts';

// Three numeric features; f0 has bins 0, 1, 2 (cuts 0.5, 1.5), f1 and f2 bins 0, 1 (cut 0.5).
const binning: FeatureBins[] = [
  { kind: 'numeric', name: 'a', cuts: [0.5, 1.5] },
  { kind: 'numeric', name: 'b', cuts: [0.5] },
  { kind: 'numeric', name: 'c', cuts: [0.5] },
];

// node 0: a <= 0.5 ? 1 : 2 | node 1: b <= 0.5 ? 3 : 4 | node 2: a <= 1.5 ? 5 : 6 (a again)
// node 4: c <= 0.5 ? 7 : 8; leaves 3 (1.0), 5 (3.0), 6 (-1.0), 7 (-2.0), 8 (0.5). Covers sum down.
const tree: Tree = {
  left: [1, 3, 5, -1, 7, -1, -1, -1, -1],
  right: [2, 4, 6, -1, 8, -1, -1, -1, -1],
  feature: [0, 1, 0, -1, 2, -1, -1, -1, -1],
  threshold: [0.5, 0.5, 1.5, null, 0.5, null, null, null, null],
  splitBin: [0, 0, 1, -1, 0, -1, -1, -1, -1],
  leftBins: [null, null, null, null, null, null, null, null, null],
  defaultLeft: [true, true, false, false, true, false, false, false, false],
  value: [0, 0, 0, 1, 0, 3, -1, -2, 0.5],
  cover: [100, 50, 50, 30, 20, 10, 40, 5, 15],
  gain: [1, 1, 1, 0, 1, 0, 0, 0, 0],
};

/** E[f(x) | x_S]: follow x on features in S, average children by cover elsewhere. */
function conditional(c: CompiledTrees, bins: Uint8Array, node: number, inS: (f: number) => boolean): number {
  const f = c.feature[node]!;
  if (f < 0) return c.value[node]!;
  if (inS(f)) {
    const left = c.lut[c.lutBase[node]! + bins[f]!] === 1;
    return conditional(c, bins, left ? c.left[node]! : c.right[node]!, inS);
  }
  const l = c.left[node]!;
  const r = c.right[node]!;
  return (
    (c.cover[l]! * conditional(c, bins, l, inS) + c.cover[r]! * conditional(c, bins, r, inS)) / c.cover[node]!
  );
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/** Shapley values by enumerating every subset of the other features. */
function bruteForce(c: CompiledTrees, bins: Uint8Array, M: number): number[] {
  const phi = new Array<number>(M).fill(0);
  for (let i = 0; i < M; i++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if (mask & (1 << i)) continue;
      let size = 0;
      for (let j = 0; j < M; j++) if (mask & (1 << j)) size++;
      const w = (factorial(size) * factorial(M - size - 1)) / factorial(M);
      const withI = conditional(c, bins, 0, (f) => f === i || (mask & (1 << f)) !== 0);
      const without = conditional(c, bins, 0, (f) => (mask & (1 << f)) !== 0);
      phi[i]! += w * (withI - without);
    }
  }
  return phi;
}

describe('TreeShap', () => {
  const c = compileTrees([tree], binning);

  it('has the cover-weighted mean leaf as expected value', () => {
    // (30 * 1 + 5 * -2 + 15 * 0.5 + 10 * 3 + 40 * -1) / 100 = 0.175
    expect(new TreeShap(c, 0).expectedValue).toBeCloseTo(0.175, 15);
    expect(new TreeShap(c, 2).expectedValue).toBeCloseTo(2.175, 15);
  });

  it.each([
    ['Algorithm 2', (x: CompiledTrees) => new TreeShap(x, 0)],
    ['leaf tables', (x: CompiledTrees) => new LeafTableShap(x, 0)],
  ] as [string, (x: CompiledTrees) => Explainer][])(
    '%s matches brute-force Shapley values on every combination of bins, repeated feature included',
    (_, make) => {
      const shap = make(c);
      const phi = new Float64Array(3);
      for (const a of [0, 1, 2, 3]) {
        for (const b of [0, 1, 2]) {
          for (const d of [0, 1]) {
            const bins = Uint8Array.from([a, b, d]);
            const margin = shap.explain(bins, 0, phi);
            const expected = bruteForce(c, bins, 3);
            for (let f = 0; f < 3; f++) expect(phi[f]).toBeCloseTo(expected[f]!, 12);
            expect(margin).toBeCloseTo(c.value[leafOf(c, 0, bins, 0)]!, 12);
          }
        }
      }
    },
  );

  it('gives the values worked by hand for one row', () => {
    // x = (a bin 0, b bin 1, c bin 0) reaches leaf 7 (-2). Node 4's mean is (5*-2 + 15*0.5)/20 = -0.125,
    // node 2's (10*3 + 40*-1)/50 = -0.2. v({}) = 0.175, v(a) = (30*1 + 20*-0.125)/50 = 0.55,
    // v(b) = 0.5*-0.125 + 0.5*-0.2 = -0.1625, v(c) = 0.5*(30*1 + 20*-2)/50 + 0.5*-0.2 = -0.2,
    // v(a,b) = -0.125, v(a,c) = -0.2, v(b,c) = 0.5*-2 + 0.5*-0.2 = -1.1, v(a,b,c) = -2.
    // phi_a = (2*0.375 + 0.0375 + 0 + 2*-0.9) / 6 = -0.16875.
    const shap = new TreeShap(c, 0);
    const phi = new Float64Array(3);
    shap.explain(Uint8Array.from([0, 1, 0]), 0, phi);
    const fast = new Float64Array(3);
    new LeafTableShap(c, 0).explain(Uint8Array.from([0, 1, 0]), 0, fast);
    expect(fast[0]).toBeCloseTo(-0.16875, 12);
    const v: Record<string, number> = {
      '': 0.175,
      a: 0.55,
      b: -0.1625,
      c: -0.2,
      ab: -0.125,
      ac: -0.2,
      bc: -1.1,
      abc: -2,
    };
    const phiA = ((v.a! - v['']!) * 2 + (v.ab! - v.b!) + (v.ac! - v.c!) + (v.abc! - v.bc!) * 2) / 6;
    expect(phiA).toBeCloseTo(-0.16875, 15);
    expect(phi[0]).toBeCloseTo(phiA, 12);
    expect(phi[0]! + phi[1]! + phi[2]!).toBeCloseTo(-2 - 0.175, 12);
  });

  it('adds up to the margin on trained ensembles with missing values and categories', async () => {
    const { data, label } = randomSet(800, 21);
    const model = await trainGbt(
      { data, label },
      { params: { threads: 1, trees: 25, maxDepth: 5, subsample: 0.8, minSamplesLeaf: 3 } },
    );
    const compiled = compileTrees(model.trees, model.binning);
    const shap = new TreeShap(compiled, model.baseMargin);
    const fast = new LeafTableShap(compiled, model.baseMargin);
    expect(fast.expectedValue).toBe(shap.expectedValue);
    const bins = binDataset(model.binning, data);
    const margin = predictMargin(model, data);
    const phi = new Float64Array(3);
    const phiFast = new Float64Array(3);
    for (let r = 0; r < 200; r++) {
      expect(shap.explain(bins, r, phi)).toBeCloseTo(margin[r]!, 10);
      expect(fast.explain(bins, r, phiFast)).toBeCloseTo(margin[r]!, 10);
      for (let f = 0; f < 3; f++) expect(phiFast[f]).toBeCloseTo(phi[f]!, 10);
    }
  });

  it('ranks drivers by absolute contribution', () => {
    const phi = Float64Array.from([0.1, -0.5, 0, 0.3, -0.3]);
    expect(topDrivers(phi, 5, 3)).toEqual([
      { feature: 1, contribution: -0.5 },
      { feature: 3, contribution: 0.3 },
      { feature: 4, contribution: -0.3 },
    ]);
  });
});
