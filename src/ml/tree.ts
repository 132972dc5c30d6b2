// Regression trees as saved (plain arrays per node, readable in the model JSON) and compiled for
// prediction: each split becomes a 256-entry "goes left" table over a feature's bins (for SHAP and
// training), and for scoring a packed range test on the bin (numeric splits with their missing
// direction, and categorical splits whose right bins are a run) or a 256-bit set (other splits).
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
   * Per node two words for walking (see `addTreeOutputs`): the split test `feature | lo << 16 |
   * span << 24`, where a row goes right when its bin is in `[lo, lo + span)`, and the left child; a
   * leaf tests nothing (span 0) and is its own left child, so every row of a tree takes exactly the
   * tree's depth in steps, with no branch. Empty when there are more than 65,536 features.
   */
  step: Int32Array;
  /**
   * Per node the offset in `rightBits` of its 256-bit "goes right" set, for splits whose right bins
   * are not one range (most categorical splits); 0, an empty set, for the others.
   */
  bitsAt: Int32Array;
  rightBits: Int32Array;
  /** Per tree 1 when any of its splits uses `rightBits`. */
  treeUsesBits: Uint8Array;
}

/** Most features the packed split test can name (16 bits). */
const MAX_STEP_FEATURES = 0x10000;

/**
 * The packed range test equivalent to a split's table on every bin the binning produces
 * (`0..lastBin`, the missing bin last), or -1 when the split's right bins there are not one range
 * of at most 255 bins. Bytes past the missing bin never come out of `binDataset` and are not tested.
 */
function rangeTest(f: number, lut: Uint8Array, lastBin: number): number {
  let lo = -1;
  let hi = -1;
  for (let b = 0; b <= lastBin; b++) {
    if (lut[b]) continue;
    if (lo < 0) lo = b;
    else if (hi !== b - 1) return -1;
    hi = b;
  }
  if (lo < 0) return f;
  const span = hi - lo + 1;
  return span > 255 ? -1 : (f | (lo << 16) | (span << 24)) >>> 0;
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
    lut: new Uint8Array(internal * 256),
    maxDepth: 0,
    treeDepth: new Int32Array(trees.length),
    step: new Int32Array(binning.length <= MAX_STEP_FEATURES ? nodes * 2 : 0),
    bitsAt: new Int32Array(nodes),
    rightBits: new Int32Array(8),
    treeUsesBits: new Uint8Array(trees.length),
  };
  const packed = c.step.length > 0;
  const bits: Int32Array[] = [c.rightBits];
  let bitsAt = 8;
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
        if (packed) c.step[2 * g + 1] = g;
        if (depth[n]! > c.treeDepth[ti]!) c.treeDepth[ti] = depth[n]!;
        continue;
      }
      c.left[g] = base + t.left[n]!;
      c.right[g] = base + t.right[n]!;
      depth[t.left[n]!] = depth[n]! + 1;
      depth[t.right[n]!] = depth[n]! + 1;
      c.lutBase[g] = lutAt;
      const table = splitTable(t, n, binning[f]!);
      c.lut.set(table, lutAt);
      lutAt += 256;
      if (!packed) continue;
      c.step[2 * g + 1] = c.left[g]!;
      const test = rangeTest(f, table, missingBin(binning[f]!));
      if (test >= 0) {
        c.step[2 * g] = test;
        continue;
      }
      // Not a range: test nothing (span 0) and look the bin up in a 256-bit set instead.
      c.step[2 * g] = f;
      const set = new Int32Array(8);
      for (let b = 0; b < 256; b++) if (!table[b]) set[b >>> 5]! |= 1 << (b & 31);
      bits.push(set);
      c.bitsAt[g] = bitsAt;
      bitsAt += 8;
      c.treeUsesBits[ti] = 1;
    }
    base += t.feature.length;
    if (c.treeDepth[ti]! > c.maxDepth) c.maxDepth = c.treeDepth[ti]!;
  });
  if (bits.length > 1) {
    c.rightBits = new Int32Array(bitsAt);
    bits.forEach((set, i) => {
      c.rightBits.set(set, 8 * i);
    });
  }
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

/** Rows scored together: their bins (30 features: 15 KB) and sums stay in the first-level cache. */
const BLOCK = 512;

/**
 * Adds the trees' outputs for binned rows [lo, hi) to `out` (margin scale), each row's trees summed
 * in tree order. Rows go in blocks, tree by tree over a block (the tree's nodes and the block's bins
 * stay in cache), four rows at a time whose node steps do not wait on each other, so the processor
 * overlaps their loads. A step is a range test on the row's bin, with no branch and no table.
 */
export function addTreeOutputs(
  c: CompiledTrees,
  bins: Uint8Array,
  out: Float64Array,
  lo = 0,
  hi = out.length,
): void {
  const F = c.features;
  if (c.step.length === 0 && c.trees > 0) {
    for (let r = lo; r < hi; r++) for (let t = 0; t < c.trees; t++) out[r] += c.value[leafOf(c, t, bins, r)]!;
    return;
  }
  const { roots, treeDepth, treeUsesBits, step, value } = c;
  // Sums stay in a local block (writes to a shared output are slower) and go out once per block.
  const sum = new Float64Array(BLOCK);
  for (let b0 = lo; b0 < hi; b0 += BLOCK) {
    const n = Math.min(hi, b0 + BLOCK) - b0;
    for (let i = 0; i < n; i++) sum[i] = out[b0 + i]!;
    for (let t = 0; t < c.trees; t++) {
      if (treeUsesBits[t]) addTreeWithBits(c, t, bins, b0 * F, n, sum);
      else addTree(step, value, roots[t]!, treeDepth[t]!, bins, b0 * F, F, n, sum);
    }
    for (let i = 0; i < n; i++) out[b0 + i] = sum[i]!;
  }
}

/*
 * One step from node x with split test w = step[2x] on bin v: the row goes right when
 * lo <= v < lo + span, that is when (v - lo) & 511 (negative differences wrap above 255) is below
 * span, which is the sign bit of ((v - lo) & 511) - span. The right child follows the left one.
 */

/** Adds one tree's leaf values to `sum` for `n` rows starting at bin offset `row0`. */
function addTree(
  step: Int32Array,
  value: Float64Array,
  root: number,
  depth: number,
  bins: Uint8Array,
  row0: number,
  F: number,
  n: number,
  sum: Float64Array,
): void {
  let i = 0;
  for (let r0 = row0; i + 4 <= n; i += 4, r0 += 4 * F) {
    const r1 = r0 + F;
    const r2 = r1 + F;
    const r3 = r2 + F;
    let a = root;
    let b = root;
    let c = root;
    let d = root;
    for (let s = 0; s < depth; s++) {
      const wa = step[2 * a]!;
      const wb = step[2 * b]!;
      const wc = step[2 * c]!;
      const wd = step[2 * d]!;
      a =
        step[2 * a + 1]! + ((((bins[r0 + (wa & 0xffff)]! - ((wa >>> 16) & 255)) & 511) - (wa >>> 24)) >>> 31);
      b =
        step[2 * b + 1]! + ((((bins[r1 + (wb & 0xffff)]! - ((wb >>> 16) & 255)) & 511) - (wb >>> 24)) >>> 31);
      c =
        step[2 * c + 1]! + ((((bins[r2 + (wc & 0xffff)]! - ((wc >>> 16) & 255)) & 511) - (wc >>> 24)) >>> 31);
      d =
        step[2 * d + 1]! + ((((bins[r3 + (wd & 0xffff)]! - ((wd >>> 16) & 255)) & 511) - (wd >>> 24)) >>> 31);
    }
    sum[i] += value[a]!;
    sum[i + 1] += value[b]!;
    sum[i + 2] += value[c]!;
    sum[i + 3] += value[d]!;
  }
  for (let r0 = row0 + i * F; i < n; i++, r0 += F) {
    let a = root;
    for (let s = 0; s < depth; s++) {
      const wa = step[2 * a]!;
      a =
        step[2 * a + 1]! + ((((bins[r0 + (wa & 0xffff)]! - ((wa >>> 16) & 255)) & 511) - (wa >>> 24)) >>> 31);
    }
    sum[i] += value[a]!;
  }
}

/** `addTree` for a tree with splits that are not ranges: the bin's bit in the node's set also sends it right. */
function addTreeWithBits(
  ct: CompiledTrees,
  t: number,
  bins: Uint8Array,
  row0: number,
  n: number,
  sum: Float64Array,
): void {
  const { step, value, bitsAt, rightBits } = ct;
  const F = ct.features;
  const root = ct.roots[t]!;
  const depth = ct.treeDepth[t]!;
  for (let i = 0, r0 = row0; i < n; i++, r0 += F) {
    let a = root;
    for (let s = 0; s < depth; s++) {
      const w = step[2 * a]!;
      const v = bins[r0 + (w & 0xffff)]!;
      const inRange = (((v - ((w >>> 16) & 255)) & 511) - (w >>> 24)) >>> 31;
      a = step[2 * a + 1]! + (inRange | ((rightBits[bitsAt[a]! + (v >>> 5)]! >>> (v & 31)) & 1));
    }
    sum[i] += value[a]!;
  }
}
