// Regression trees as saved (plain arrays per node, readable in the model JSON) and compiled for
// prediction: each split becomes a 256-entry "goes left" table over a feature's bins, so numeric,
// categorical and missing-value routing are one lookup on the binned row.
import { type FeatureBins, missingBin } from './binning.ts';

/** One tree; node 0 is the root, children come after their parent and the right child right after the left. */
export interface Tree {
  /** Child node ids, -1 at leaves. */
  left: number[];
  right: number[];
  /** Feature index of the split, -1 at leaves. */
  feature: number[];
  /** Numeric split: a row goes left when its value is <= threshold; null for other nodes. */
  threshold: (number | null)[];
  /** Numeric split: the last bin that goes left; -1 for other nodes. */
  splitBin: number[];
  /** Categorical split: the bins that go left (level index, other = levels.length, missing = levels.length + 1). */
  leftBins: (number[] | null)[];
  /** Numeric split: where missing values go (learned, or the larger child when training saw none). */
  defaultLeft: boolean[];
  /** Leaf output on the margin scale, learning rate applied; 0 at internal nodes. */
  value: number[];
  /** Training rows (after row subsampling) that reached the node. */
  cover: number[];
  /** Loss reduction of the split (Chen & Guestrin 2016, eq. 7); 0 at leaves. */
  gain: number[];
}

/** The bins a split sends left, as a 256-entry table (1 = left). */
export function splitTable(tree: Tree, node: number, bins: FeatureBins): Uint8Array {
  const lut = new Uint8Array(256);
  const cats = tree.leftBins[node];
  if (cats) {
    for (const b of cats) lut[b] = 1;
    return lut;
  }
  const t = tree.splitBin[node]!;
  for (let b = 0; b <= t; b++) lut[b] = 1;
  lut[missingBin(bins)] = tree.defaultLeft[node] ? 1 : 0;
  return lut;
}

/** Trees flattened into typed arrays for fast prediction and explanation. */
export interface CompiledTrees {
  trees: number;
  features: number;
  roots: Int32Array;
  feature: Int32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  cover: Float64Array;
  /** Offset of the node's 256-entry table in `lut`, -1 at leaves. */
  lutBase: Int32Array;
  lut: Uint8Array;
  /** Deepest leaf over all trees (root = 0). */
  maxDepth: number;
  /** Deepest leaf of each tree. */
  treeDepth: Int32Array;
  /**
   * Per node (feature, table offset, left child) for walking: a leaf points to itself through an
   * all-left table, so every row takes exactly the tree's depth in steps, with no branch.
   */
  walk: Int32Array;
}

export function compileTrees(trees: readonly Tree[], binning: readonly FeatureBins[]): CompiledTrees {
  let nodes = 0;
  let internal = 0;
  for (const t of trees) {
    nodes += t.feature.length;
    for (const f of t.feature) if (f >= 0) internal++;
  }
  const c: CompiledTrees = {
    trees: trees.length,
    features: binning.length,
    roots: new Int32Array(trees.length),
    feature: new Int32Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    value: new Float64Array(nodes),
    cover: new Float64Array(nodes),
    lutBase: new Int32Array(nodes),
    lut: new Uint8Array((internal + 1) * 256),
    maxDepth: 0,
    treeDepth: new Int32Array(trees.length),
    walk: new Int32Array(nodes * 3),
  };
  const allLeft = internal * 256;
  c.lut.fill(1, allLeft);
  let base = 0;
  let lutAt = 0;
  trees.forEach((t, ti) => {
    c.roots[ti] = base;
    const depth = new Int32Array(t.feature.length);
    for (let n = 0; n < t.feature.length; n++) {
      const g = base + n;
      const f = t.feature[n]!;
      c.feature[g] = f;
      c.value[g] = t.value[n]!;
      c.cover[g] = t.cover[n]!;
      if (f < 0) {
        c.left[g] = -1;
        c.right[g] = -1;
        c.lutBase[g] = -1;
        c.walk[3 * g] = 0;
        c.walk[3 * g + 1] = allLeft;
        c.walk[3 * g + 2] = g;
        if (depth[n]! > c.treeDepth[ti]!) c.treeDepth[ti] = depth[n]!;
        continue;
      }
      c.left[g] = base + t.left[n]!;
      c.right[g] = base + t.right[n]!;
      c.walk[3 * g] = f;
      c.walk[3 * g + 1] = lutAt;
      c.walk[3 * g + 2] = c.left[g]!;
      depth[t.left[n]!] = depth[n]! + 1;
      depth[t.right[n]!] = depth[n]! + 1;
      c.lutBase[g] = lutAt;
      c.lut.set(splitTable(t, n, binning[f]!), lutAt);
      lutAt += 256;
    }
    base += t.feature.length;
    if (c.treeDepth[ti]! > c.maxDepth) c.maxDepth = c.treeDepth[ti]!;
  });
  return c;
}

/** The leaf (global node id) that binned row `r` reaches in tree `t`. */
export function leafOf(c: CompiledTrees, t: number, bins: Uint8Array, r: number): number {
  const F = c.features;
  let node = c.roots[t]!;
  while (c.feature[node]! >= 0) {
    node = c.lut[c.lutBase[node]! + bins[r * F + c.feature[node]!]!] ? c.left[node]! : c.right[node]!;
  }
  return node;
}

const BLOCK = 1024;

/**
 * Adds the trees' outputs for binned rows [lo, hi) to `out` (margin scale). Rows go in blocks, and
 * within a tree all rows of a block take one step together: the steps of different rows do not
 * wait on each other, so the processor overlaps their loads instead of chasing one path at a time.
 */
export function addTreeOutputs(
  c: CompiledTrees,
  bins: Uint8Array,
  out: Float64Array,
  lo = 0,
  hi = out.length,
): void {
  const { roots, walk, value, lut, treeDepth } = c;
  const F = c.features;
  const node = new Int32Array(BLOCK);
  // Sums stay in a local block (writes to a shared output are slower) and go out once per block.
  const sum = new Float64Array(BLOCK);
  for (let b0 = lo; b0 < hi; b0 += BLOCK) {
    const n = Math.min(hi, b0 + BLOCK) - b0;
    for (let i = 0; i < n; i++) sum[i] = out[b0 + i]!;
    for (let t = 0; t < c.trees; t++) {
      node.fill(roots[t]!, 0, n);
      const depth = treeDepth[t]!;
      for (let step = 0; step < depth; step++) {
        for (let i = 0, row = b0 * F; i < n; i++, row += F) {
          const k = 3 * node[i]!;
          node[i] = walk[k + 2]! + 1 - lut[walk[k + 1]! + bins[row + walk[k]!]!]!;
        }
      }
      for (let i = 0; i < n; i++) sum[i] += value[node[i]!]!;
    }
    for (let i = 0; i < n; i++) out[b0 + i] = sum[i]!;
  }
}
