// Exact per-prediction explanations for tree ensembles: path-dependent TreeSHAP (Lundberg, Erion &
// Lee 2018, Algorithm 2; Lundberg et al. 2020). For each row the feature contributions plus the
// expected value add up to the row's margin (log-odds for binary models). `TreeShap` runs
// Algorithm 2 as published; `LeafTableShap` gives the same values several times faster by
// precomputing, per leaf, Algorithm 2's result for every pattern of which path features the row
// agrees with (the idea of Fast TreeSHAP v2, Yang 2021), so explaining many rows costs a tree walk
// and table lookups instead of path arithmetic.
import type { CompiledTrees } from './tree.ts';

/** The unique path of Algorithm 2, as parallel arrays; a node's copy lives at an offset. */
interface Path {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

function newPath(maxDepth: number): Path {
  const d = maxDepth + 2;
  const size = ((d + 1) * (d + 2)) / 2 + d + 1;
  return {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
  };
}

/** 1/k for path lengths up to 64 (trees are at most 16 deep). */
const INV = Float64Array.from({ length: 66 }, (_, k) => (k === 0 ? 0 : 1 / k));

/** EXTEND: adds a feature with its zero and one fractions to the path, updating subset weights. */
function extendPath(
  p: Path,
  base: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  f: number,
): void {
  const w = p.weight;
  p.feature[base + depth] = f;
  p.zero[base + depth] = zeroFraction;
  p.one[base + depth] = oneFraction;
  w[base + depth] = depth === 0 ? 1 : 0;
  // Divisions are the cost here: one reciprocal per call, the rest are products.
  const inv = INV[depth + 1]!;
  const o = oneFraction * inv;
  const z = zeroFraction * inv;
  for (let i = depth - 1; i >= 0; i--) {
    const wi = w[base + i]!;
    w[base + i + 1] += o * wi * (i + 1);
    w[base + i] = z * wi * (depth - i);
  }
}

/** UNWIND: removes path element `k`, inverting EXTEND. */
function unwindPath(p: Path, base: number, depth: number, k: number): void {
  const w = p.weight;
  const one = p.one[base + k]!;
  const zero = p.zero[base + k]!;
  let next = w[base + depth]!;
  if (one !== 0) {
    const a = (depth + 1) / one;
    const z = zero * INV[depth + 1]!;
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = w[base + i]!;
      const wi = next * a * INV[i + 1]!;
      w[base + i] = wi;
      next = tmp - wi * z * (depth - i);
    }
  } else {
    const a = (depth + 1) / zero;
    for (let i = depth - 1; i >= 0; i--) w[base + i] = w[base + i]! * a * INV[depth - i]!;
  }
  for (let i = k; i < depth; i++) {
    p.feature[base + i] = p.feature[base + i + 1]!;
    p.zero[base + i] = p.zero[base + i + 1]!;
    p.one[base + i] = p.one[base + i + 1]!;
  }
}

/** The total weight of the path with element `k` unwound, without changing the path. */
function unwoundPathSum(p: Path, base: number, depth: number, k: number): number {
  const w = p.weight;
  const one = p.one[base + k]!;
  const zero = p.zero[base + k]!;
  let total = 0;
  if (one !== 0) {
    const a = (depth + 1) / one;
    const z = zero * INV[depth + 1]!;
    let next = w[base + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = next * a * INV[i + 1]!;
      total += tmp;
      next = w[base + i]! - tmp * z * (depth - i);
    }
  } else {
    const a = (depth + 1) / zero;
    for (let i = depth - 1; i >= 0; i--) total += w[base + i]! * a * INV[depth - i]!;
  }
  return total;
}

/** Base margin plus each tree's cover-weighted mean leaf: the mean prediction over training rows. */
export function expectedMargin(c: CompiledTrees, baseMargin: number): number {
  const mean = (node: number): number => {
    if (c.feature[node]! < 0) return c.value[node]!;
    const l = c.left[node]!;
    const r = c.right[node]!;
    return (c.cover[l]! * mean(l) + c.cover[r]! * mean(r)) / c.cover[node]!;
  };
  let e = baseMargin;
  for (let t = 0; t < c.trees; t++) e += mean(c.roots[t]!);
  return e;
}

/** Explains rows of binned features: SHAP values per feature, adding up to the margin. */
export interface Explainer {
  readonly expectedValue: number;
  /**
   * Writes the SHAP value of each feature for binned row `r` into `phi[0..F)` and returns the
   * margin they imply (expected value + their sum), which equals the model's margin for the row.
   */
  explain(bins: Uint8Array, r: number, phi: Float64Array): number;
  /** SHAP values of rows [lo, hi) into `out` (row-major, `(hi - lo) x F`). */
  explainBlock(bins: Uint8Array, lo: number, hi: number, out: Float64Array): void;
}

/** Algorithm 2 as published: a recursion over each tree carrying the unique path. */
export class TreeShap implements Explainer {
  private readonly path: Path;
  private phi: Float64Array = new Float64Array(0);
  private bins: Uint8Array = new Uint8Array(0);
  private row = 0;
  readonly expectedValue: number;

  constructor(
    private readonly c: CompiledTrees,
    baseMargin: number,
  ) {
    this.path = newPath(c.maxDepth);
    this.expectedValue = expectedMargin(c, baseMargin);
  }

  explain(bins: Uint8Array, r: number, phi: Float64Array): number {
    phi.fill(0, 0, this.c.features);
    this.phi = phi;
    this.bins = bins;
    this.row = r * this.c.features;
    for (let t = 0; t < this.c.trees; t++) this.recurse(this.c.roots[t]!, 0, 0, 1, 1, -1);
    let m = this.expectedValue;
    for (let f = 0; f < this.c.features; f++) m += phi[f]!;
    return m;
  }

  explainBlock(bins: Uint8Array, lo: number, hi: number, out: Float64Array): void {
    const F = this.c.features;
    for (let r = lo; r < hi; r++) this.explain(bins, r, out.subarray((r - lo) * F, (r - lo + 1) * F));
  }

  /**
   * Algorithm 2's RECURSE. The path of the node at `depth` lives at `base` in the buffers; a child's
   * copy goes right after it, so no allocation happens per node.
   */
  private recurse(
    node: number,
    depth: number,
    parentBase: number,
    zeroFraction: number,
    oneFraction: number,
    featureIndex: number,
  ): void {
    const c = this.c;
    const p = this.path;
    const base = parentBase + depth + 1;
    if (depth > 0) {
      p.feature.copyWithin(base, parentBase, parentBase + depth);
      p.zero.copyWithin(base, parentBase, parentBase + depth);
      p.one.copyWithin(base, parentBase, parentBase + depth);
      p.weight.copyWithin(base, parentBase, parentBase + depth);
    }
    extendPath(p, base, depth, zeroFraction, oneFraction, featureIndex);
    const split = c.feature[node]!;
    if (split < 0) {
      const v = c.value[node]!;
      for (let i = 1; i <= depth; i++) {
        const w = unwoundPathSum(p, base, depth, i);
        this.phi[p.feature[base + i]!] += w * (p.one[base + i]! - p.zero[base + i]!) * v;
      }
      return;
    }
    const goesLeft = c.lut[c.lutBase[node]! + this.bins[this.row + split]!] === 1;
    const hot = goesLeft ? c.left[node]! : c.right[node]!;
    const cold = goesLeft ? c.right[node]! : c.left[node]!;
    const cover = c.cover[node]!;
    let incomingZero = 1;
    let incomingOne = 1;
    let d = depth;
    // A feature already on the path is undone so this split can redo it with both fractions.
    for (let k = 1; k <= d; k++) {
      if (p.feature[base + k] === split) {
        incomingZero = p.zero[base + k]!;
        incomingOne = p.one[base + k]!;
        unwindPath(p, base, d, k);
        d--;
        break;
      }
    }
    this.recurse(hot, d + 1, base, (c.cover[hot]! / cover) * incomingZero, incomingOne, split);
    this.recurse(cold, d + 1, base, (c.cover[cold]! / cover) * incomingZero, 0, split);
  }
}

/** Longest unique path (distinct features root to leaf) the leaf tables accept: 2^12 patterns per leaf. */
export const MAX_TABLE_PATH = 12;

/**
 * Algorithm 2's leaf contributions tabulated. For a leaf whose root path tests d distinct features,
 * each with zero fraction z (product of cover ratios of its splits, fixed) and one fraction o (1 when
 * the row follows all of its splits, else 0), the leaf adds v * (o_i - z_i) * UNWOUND_SUM_i to each
 * feature i, a function of the d bits o only. The table holds it for all 2^d patterns; a row's
 * pattern per leaf comes from one top-down pass over the tree.
 */
export class LeafTableShap implements Explainer {
  readonly expectedValue: number;
  /** Per node: bit of its split feature within the path to it, and whether that is the feature's first split on the path. */
  private readonly bit: Int32Array;
  private readonly first: Uint8Array;
  /** Per leaf (global node id): distinct path features in bit order, and where its table starts. */
  private readonly leafFeatures: Int32Array;
  private readonly leafFeatureAt: Int32Array;
  private readonly leafDepth: Int32Array;
  private readonly tableAt: Int32Array;
  private readonly table: Float64Array;
  private readonly mask: Int32Array;

  constructor(
    private readonly c: CompiledTrees,
    baseMargin: number,
  ) {
    this.expectedValue = expectedMargin(c, baseMargin);
    const nodes = c.feature.length;
    this.bit = new Int32Array(nodes);
    this.first = new Uint8Array(nodes);
    this.leafFeatureAt = new Int32Array(nodes).fill(-1);
    this.leafDepth = new Int32Array(nodes);
    this.tableAt = new Int32Array(nodes);
    this.mask = new Int32Array(nodes);
    const features: number[] = [];
    const entries: number[] = [];
    const path = newPath(MAX_TABLE_PATH + 1);
    // Walks each tree keeping the distinct features on the path and their zero fractions.
    const walk = (node: number, feats: number[], zeros: number[]): void => {
      const f = c.feature[node]!;
      if (f < 0) {
        const d = feats.length;
        if (d > MAX_TABLE_PATH) throw new Error(`a leaf path has ${d} distinct features; use TreeShap`);
        this.leafFeatureAt[node] = features.length;
        this.leafDepth[node] = d;
        this.tableAt[node] = entries.length;
        features.push(...feats);
        const v = c.value[node]!;
        for (let mask = 0; mask < 1 << d; mask++) {
          extendPath(path, 0, 0, 1, 1, -1);
          for (let j = 0; j < d; j++) extendPath(path, 0, j + 1, zeros[j]!, (mask >> j) & 1, feats[j]!);
          for (let j = 0; j < d; j++) {
            const w = unwoundPathSum(path, 0, d, j + 1);
            entries.push(w * (((mask >> j) & 1) - zeros[j]!) * v);
          }
        }
        return;
      }
      let at = feats.indexOf(f);
      this.first[node] = at < 0 ? 1 : 0;
      if (at < 0) at = feats.length;
      this.bit[node] = 1 << at;
      const l = c.left[node]!;
      const r = c.right[node]!;
      for (const child of [l, r]) {
        const ratio = c.cover[child]! / c.cover[node]!;
        const nf = [...feats];
        const nz = [...zeros];
        if (at === feats.length) {
          nf.push(f);
          nz.push(ratio);
        } else nz[at] = zeros[at]! * ratio;
        walk(child, nf, nz);
      }
    };
    for (let t = 0; t < c.trees; t++) walk(c.roots[t]!, [], []);
    this.leafFeatures = Int32Array.from(features);
    this.table = Float64Array.from(entries);
  }

  explain(bins: Uint8Array, r: number, phi: Float64Array): number {
    const F = this.c.features;
    this.explainBlock(bins, r, r + 1, phi);
    let m = this.expectedValue;
    for (let f = 0; f < F; f++) m += phi[f]!;
    return m;
  }

  /**
   * Tree by tree over the block's rows: a tree's tables (tens of KB) stay in cache while every row
   * of the block looks them up, instead of one cache miss per leaf per row.
   */
  explainBlock(bins: Uint8Array, lo: number, hi: number, out: Float64Array): void {
    const c = this.c;
    const F = c.features;
    out.fill(0, 0, (hi - lo) * F);
    const { feature, left, lut, lutBase } = c;
    const { bit, first, mask, leafFeatures, leafFeatureAt, leafDepth, tableAt, table } = this;
    const nodes = feature.length;
    for (let t = 0; t < c.trees; t++) {
      const root = c.roots[t]!;
      const end = t + 1 < c.trees ? c.roots[t + 1]! : nodes;
      for (let r = lo; r < hi; r++) {
        const row = r * F;
        const o = (r - lo) * F;
        mask[root] = 0;
        // Children follow their parent in node order, so one forward pass sets every pattern.
        for (let n = root; n < end; n++) {
          const f = feature[n]!;
          const m = mask[n]!;
          if (f < 0) {
            const d = leafDepth[n]!;
            const fa = leafFeatureAt[n]!;
            const at = tableAt[n]! + m * d;
            for (let j = 0; j < d; j++) out[o + leafFeatures[fa + j]!] += table[at + j]!;
            continue;
          }
          const b = bit[n]!;
          // The right child follows the left one, so the row's side picks the slots without a branch.
          const side = lut[lutBase[n]! + bins[row + f]!]!;
          const l = left[n]!;
          mask[l + 1 - side] = m | (first[n]! ? b : 0);
          mask[l + side] = m & ~b;
        }
      }
    }
  }
}

/** The fastest exact explainer for these trees: leaf tables when paths are short enough. */
export function explainerFor(c: CompiledTrees, baseMargin: number): Explainer {
  return c.maxDepth <= MAX_TABLE_PATH ? new LeafTableShap(c, baseMargin) : new TreeShap(c, baseMargin);
}

export interface Driver {
  feature: number;
  contribution: number;
}

/** The `k` features with the largest absolute contribution, largest first (ties: lower index). */
export function topDrivers(phi: Float64Array, features: number, k: number): Driver[] {
  const out: Driver[] = [];
  for (let f = 0; f < features; f++) {
    const v = phi[f]!;
    if (v === 0) continue;
    let at = out.length;
    while (at > 0 && Math.abs(out[at - 1]!.contribution) < Math.abs(v)) at--;
    if (at >= k) continue;
    out.splice(at, 0, { feature: f, contribution: v });
    if (out.length > k) out.pop();
  }
  return out;
}
