// The compiled evaluators (range tests and bit sets over bins, in JavaScript and WebAssembly) against
// a plain walk of the saved trees.
import { describe, expect, it } from 'vitest';
import { marginRows } from '../../src/ml/batch.ts';
import { type FeatureBins, missingBin } from '../../src/ml/binning.ts';
import { Random } from '../../src/ml/random.ts';
import { addTreeOutputs, compileTrees, type Tree } from '../../src/ml/tree.ts';
import { wasmBytesNeeded, wasmMargins } from '../../src/ml/wasm-scorer.ts';

/** Node by node from the root, as the saved model reads: missing direction, categorical sets, thresholds. */
function referenceLeaf(tree: Tree, binning: readonly FeatureBins[], row: Uint8Array): number {
  let n = 0;
  while (tree.feature[n]! >= 0) {
    const f = tree.feature[n]!;
    const b = row[f]!;
    const cats = tree.leftBins[n];
    let left: boolean;
    if (cats) left = cats.includes(b);
    else if (b === missingBin(binning[f]!)) left = tree.defaultLeft[n]!;
    else left = b <= tree.splitBin[n]!;
    n = left ? tree.left[n]! : tree.right[n]!;
  }
  return n;
}

function referenceMargins(
  trees: Tree[],
  binning: FeatureBins[],
  bins: Uint8Array,
  base: number,
): Float64Array {
  const F = binning.length;
  const rows = bins.length / F;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let m = base;
    for (const t of trees) m += t.value[referenceLeaf(t, binning, bins.subarray(r * F, (r + 1) * F))]!;
    out[r] = m;
  }
  return out;
}

/** Numeric and categorical features with few to the most bins (missing bin up to 255). */
function randomBinning(rng: Random, F: number, numericShare: number): FeatureBins[] {
  const sizes = [0, 1, 2, 7, 60, 253, 254];
  return Array.from({ length: F }, (_, f): FeatureBins => {
    const k = sizes[rng.int(sizes.length)]!;
    return rng.next() < numericShare
      ? { kind: 'numeric', name: `n${f}`, cuts: Array.from({ length: k }, (_, i) => i) }
      : {
          kind: 'categorical',
          name: `c${f}`,
          levels: Array.from({ length: Math.max(1, k) }, (_, i) => `l${i}`),
        };
  });
}

/** A categorical left set: random, a run of bins, empty, everything, or everything but missing. */
function randomLeftBins(rng: Random, bins: number): number[] {
  const all = Array.from({ length: bins }, (_, b) => b);
  switch (rng.int(5)) {
    case 0: {
      const lo = rng.int(bins);
      const hi = lo + rng.int(bins - lo);
      return all.filter((b) => b < lo || b > hi);
    }
    case 1:
      return [];
    case 2:
      return all;
    case 3:
      return all.slice(0, -1);
    default:
      return all.filter(() => rng.next() < 0.5);
  }
}

/** A random tree in the saved layout: children after their parent, the right child right after the left. */
function randomTree(rng: Random, binning: FeatureBins[], maxDepth: number): Tree {
  const t: Tree = {
    left: [],
    right: [],
    feature: [],
    threshold: [],
    splitBin: [],
    leftBins: [],
    defaultLeft: [],
    value: [],
    cover: [],
    gain: [],
  };
  const add = (): number => {
    t.left.push(-1);
    t.right.push(-1);
    t.feature.push(-1);
    t.threshold.push(null);
    t.splitBin.push(-1);
    t.leftBins.push(null);
    t.defaultLeft.push(false);
    t.value.push(0);
    t.cover.push(1);
    t.gain.push(0);
    return t.feature.length - 1;
  };
  let frontier = [add()];
  for (let depth = 0; frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const n of frontier) {
      if (depth >= maxDepth || (depth > 0 && rng.next() < 0.25)) {
        t.value[n] = rng.next() * 2 - 1;
        continue;
      }
      const f = rng.int(binning.length);
      const fb = binning[f]!;
      t.feature[n] = f;
      t.gain[n] = 1;
      if (fb.kind === 'numeric') {
        // splitBin up to the last value bin: then only missing values can go right.
        t.splitBin[n] = rng.int(fb.cuts.length + 1);
        t.defaultLeft[n] = rng.next() < 0.5;
        t.threshold[n] = fb.cuts[t.splitBin[n]!] ?? 0;
      } else {
        t.leftBins[n] = randomLeftBins(rng, missingBin(fb) + 1);
      }
      const l = add();
      const r = add();
      t.left[n] = l;
      t.right[n] = r;
      next.push(l, r);
    }
    frontier = next;
  }
  return t;
}

/** Valid bins with missing values, the other bin and the edges of every range made common. */
function randomBins(rng: Random, binning: FeatureBins[], rows: number): Uint8Array {
  const F = binning.length;
  const bins = new Uint8Array(rows * F);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < F; f++) {
      const m = missingBin(binning[f]!);
      const u = rng.next();
      bins[r * F + f] = u < 0.15 ? m : u < 0.25 ? 0 : u < 0.3 ? Math.max(0, m - 1) : rng.int(m + 1);
    }
  }
  return bins;
}

describe('addTreeOutputs', () => {
  it('matches a plain walk exactly on random trees with missing values and categorical splits', () => {
    // Seeds 1-6 mix categorical features in (trees with bit sets); 7-12 are numeric only (range tests alone).
    for (let seed = 1; seed <= 12; seed++) {
      const rng = new Random(seed, 7);
      const F = 1 + rng.int(12);
      const binning = randomBinning(rng, F, seed <= 6 ? 0.6 : 1);
      const trees = Array.from({ length: 1 + rng.int(40) }, () => randomTree(rng, binning, rng.int(9)));
      const rows = 1 + rng.int(1500);
      const bins = randomBins(rng, binning, rows);
      const base = rng.next() - 0.5;
      const expected = referenceMargins(trees, binning, bins, base);
      const out = new Float64Array(rows).fill(base);
      const c = compileTrees(trees, binning);
      if (seed > 6) expect(c.treeUsesBits.every((u) => u === 0)).toBe(true);
      addTreeOutputs(c, bins, out);
      expect(out).toEqual(expected);
      // A slice of rows, starting off a multiple of the unrolling, leaves the rest untouched.
      const lo = Math.min(rows, 3);
      const hi = Math.max(lo, rows - 2);
      const part = new Float64Array(rows).fill(base);
      addTreeOutputs(c, bins, part, lo, hi);
      for (let r = 0; r < rows; r++) expect(part[r]).toBe(r >= lo && r < hi ? expected[r] : base);
    }
  });

  it('scores stumps, lone leaves and trees of unequal depth in one ensemble', () => {
    const binning: FeatureBins[] = [
      { kind: 'numeric', name: 'x', cuts: [0.5, 1.5] },
      { kind: 'categorical', name: 'c', levels: ['a', 'b', 'c'] },
    ];
    const leaf: Tree = {
      left: [-1],
      right: [-1],
      feature: [-1],
      threshold: [null],
      splitBin: [-1],
      leftBins: [null],
      defaultLeft: [false],
      value: [0.25],
      cover: [1],
      gain: [0],
    };
    const rng = new Random(3);
    const trees = [
      leaf,
      randomTree(rng, binning, 1),
      randomTree(rng, binning, 5),
      leaf,
      randomTree(rng, binning, 3),
    ];
    // Every combination of bins: x in 0..3 (3 = missing), c in 0..4 (3 = other, 4 = missing).
    const bins = new Uint8Array(4 * 5 * 2);
    for (let x = 0; x < 4; x++) {
      for (let c = 0; c < 5; c++) {
        bins[2 * (5 * x + c)] = x;
        bins[2 * (5 * x + c) + 1] = c;
      }
    }
    const out = new Float64Array(20);
    addTreeOutputs(compileTrees(trees, binning), bins, out);
    expect(out).toEqual(referenceMargins(trees, binning, bins, 0));
  });

  it('falls back to the table walk past 65,536 features', () => {
    const F = 0x10000 + 2;
    const binning: FeatureBins[] = Array.from({ length: F }, (_, f) => ({
      kind: 'numeric',
      name: `x${f}`,
      cuts: [0],
    }));
    const rng = new Random(5);
    const tree = randomTree(rng, binning, 4);
    // Make the root split on the last feature, which a 16-bit index cannot name.
    tree.feature[0] = F - 1;
    const bins = randomBins(rng, binning, 6);
    const c = compileTrees([tree], binning);
    expect(c.step.length).toBe(0);
    expect(wasmBytesNeeded(c, 6)).toBe(-1);
    const out = new Float64Array(6);
    addTreeOutputs(c, bins, out);
    expect(out).toEqual(referenceMargins([tree], binning, bins, 0));
  });
});

describe('wasmMargins', () => {
  it('matches a plain walk exactly, inline and on two workers, with and without categorical splits', async () => {
    let bitTrees = 0;
    for (let seed = 21; seed <= 26; seed++) {
      const rng = new Random(seed, 7);
      const F = 1 + rng.int(12);
      const binning = randomBinning(rng, F, seed % 2 === 0 ? 1 : 0.5);
      const trees = Array.from({ length: 1 + rng.int(30) }, () => randomTree(rng, binning, rng.int(9)));
      // Row counts around the eight-row unrolling and the 512-row blocks.
      const rows = [1, 7, 9, 511, 1029, 3000][seed - 21]!;
      const bins = randomBins(rng, binning, rows);
      const base = rng.next() - 0.5;
      const expected = referenceMargins(trees, binning, bins, base);
      const c = compileTrees(trees, binning);
      expect(wasmBytesNeeded(c, rows)).toBeGreaterThan(0);
      bitTrees += c.treeUsesBits.reduce((a, u) => a + u, 0);
      expect(await wasmMargins(c, base, bins, 1)).toEqual(expected);
      expect(await wasmMargins(c, base, bins, 2)).toEqual(expected);
    }
    expect(bitTrees).toBeGreaterThan(5);
  });

  it('is what marginRows returns for many rows, the same as the JavaScript evaluator', async () => {
    const rng = new Random(40);
    const binning = randomBinning(rng, 9, 0.7);
    const trees = Array.from({ length: 25 }, () => randomTree(rng, binning, 6));
    const rows = 9001;
    const bins = randomBins(rng, binning, rows);
    const c = compileTrees(trees, binning);
    const js = new Float64Array(rows).fill(0.125);
    addTreeOutputs(c, bins, js);
    expect(await marginRows(c, 0.125, bins, 2, { minRowsPerWorker: 1000 })).toEqual(js);
    expect(await marginRows(c, 0.125, bins, 1)).toEqual(js);
    expect(js).toEqual(referenceMargins(trees, binning, bins, 0.125));
  });
});
