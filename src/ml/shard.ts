// One shard of the training rows: it keeps its rows partitioned by tree node, builds gradient
// histograms of the nodes it is asked for (Ke et al. 2017) and updates margins and gradients after
// each tree. Runs inline or inside a worker over shared memory; each histogram cell is summed by one
// shard in row order, so a model does not depend on how shards are spread over threads.
import { gradients, lossSum, type Objective } from './objective.ts';
import { Random } from './random.ts';

export interface ShardLayout {
  objective: Objective;
  rows: number;
  valRows: number;
  features: number;
  shards: number;
  /** First bin of each feature in a histogram, and bins per feature. */
  binOffset: Int32Array;
  binCounts: Int32Array;
  totalBins: number;
  /** Histogram slots per shard in the arena (the most nodes built in one level). */
  slots: number;
  maxNodes: number;
  subsample: number;
  seed: number;
}

/** Arrays shared by every shard (SharedArrayBuffer-backed when workers are used). */
export interface ShardMemory {
  /** Row-major binned features, `rows x features`, for histograms (a row's bytes together). */
  bins: Uint8Array;
  /** The same bins column-major, `features x rows`, for partitions (a feature's bytes together). */
  columns: Uint8Array;
  label: Float64Array;
  margin: Float64Array;
  /** Interleaved gradient and hessian per row. */
  gh: Float64Array;
  /** Row ids grouped by node within each shard's range; `scratch` is its partition buffer. */
  order: Uint32Array;
  scratch: Uint32Array;
  /** 1 when the row is in this tree's subsample. */
  sampled: Uint8Array;
  valBins: Uint8Array;
  valLabel: Float64Array;
  valMargin: Float64Array;
  /** Histogram arena: `slots x shards` blocks of `totalBins x 3` (gradient, hessian, count). */
  hist: Float64Array;
}

export interface LevelSplit {
  node: number;
  feature: number;
  /** 256-entry table over the feature's bins: 1 = goes left. */
  table: Uint8Array;
  left: number;
  right: number;
  /** Build the histogram of the left child (else the right one); the other comes by subtraction. */
  buildLeft: boolean;
  /** Arena slot for the histogram; -1 when neither child will split again. */
  slot: number;
}

/** A single tree in compiled form, for routing validation rows. */
export interface RoutingTree {
  feature: Int32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  lutBase: Int32Array;
  lut: Uint8Array;
}

export type ShardJob =
  | { kind: 'init'; base: number }
  | { kind: 'start'; tree: number; features: Int32Array }
  | { kind: 'level'; splits: LevelSplit[]; features: Int32Array }
  | { kind: 'end'; leaves: Int32Array; values: Float64Array; tree: RoutingTree };

export function shardBounds(total: number, shards: number, k: number): [number, number] {
  return [Math.floor((k * total) / shards), Math.floor(((k + 1) * total) / shards)];
}

export class HistShard {
  private readonly lo: number;
  private readonly hi: number;
  private readonly valLo: number;
  private readonly valHi: number;
  private readonly nodeLo: Int32Array;
  private readonly nodeHi: Int32Array;
  private readonly stride: number;

  constructor(
    private readonly layout: ShardLayout,
    private readonly mem: ShardMemory,
    private readonly index: number,
  ) {
    [this.lo, this.hi] = shardBounds(layout.rows, layout.shards, index);
    [this.valLo, this.valHi] = shardBounds(layout.valRows, layout.shards, index);
    this.nodeLo = new Int32Array(layout.maxNodes);
    this.nodeHi = new Int32Array(layout.maxNodes);
    this.stride = layout.totalBins * 3;
  }

  /** Runs one job; returns this shard's validation loss sum for `init` and `end`, else 0. */
  run(job: ShardJob): number {
    switch (job.kind) {
      case 'init':
        return this.init(job.base);
      case 'start':
        this.startTree(job.tree, job.features);
        return 0;
      case 'level':
        this.level(job.splits, job.features);
        return 0;
      case 'end':
        return this.endTree(job.leaves, job.values, job.tree);
    }
  }

  private init(base: number): number {
    const { margin, valMargin, label, gh, valLabel } = this.mem;
    margin.fill(base, this.lo, this.hi);
    valMargin.fill(base, this.valLo, this.valHi);
    gradients(this.layout.objective, label, margin, gh, this.lo, this.hi);
    return lossSum(this.layout.objective, valLabel, valMargin, this.valLo, this.valHi);
  }

  private startTree(tree: number, features: Int32Array): void {
    const { order, sampled } = this.mem;
    for (let r = this.lo; r < this.hi; r++) order[r] = r;
    if (this.layout.subsample < 1) {
      // A stream per (tree, shard): the sample does not depend on how shards map to threads.
      const rng = new Random(this.layout.seed, 0x5eed0000 + tree * this.layout.shards + this.index);
      const p = this.layout.subsample;
      for (let r = this.lo; r < this.hi; r++) sampled[r] = rng.next() < p ? 1 : 0;
    }
    this.nodeLo[0] = this.lo;
    this.nodeHi[0] = this.hi;
    this.build(this.lo, this.hi, 0, features);
  }

  private level(splits: LevelSplit[], features: Int32Array): void {
    const { order, scratch, columns } = this.mem;
    const N = this.layout.rows;
    for (const s of splits) {
      const lo = this.nodeLo[s.node]!;
      const hi = this.nodeHi[s.node]!;
      const col = s.feature * N;
      const table = s.table;
      // Reading the feature's column keeps the bytes of a node's rows close together.
      const w = partition(order, scratch, columns, col, table, lo, hi);
      this.nodeLo[s.left] = lo;
      this.nodeHi[s.left] = w;
      this.nodeLo[s.right] = w;
      this.nodeHi[s.right] = hi;
      if (s.slot < 0) continue;
      if (s.buildLeft) this.build(lo, w, s.slot, features);
      else this.build(w, hi, s.slot, features);
    }
  }

  /** Start of each feature's bins in this shard's block of `slot`, those bins cleared. */
  private clearedOffsets(slot: number, features: Int32Array): Int32Array {
    const base = (slot * this.layout.shards + this.index) * this.stride;
    const off = new Int32Array(features.length);
    for (let j = 0; j < features.length; j++) {
      const f = features[j]!;
      off[j] = base + this.layout.binOffset[f]! * 3;
      this.mem.hist.fill(0, off[j]!, off[j]! + this.layout.binCounts[f]! * 3);
    }
    return off;
  }

  /** Gradient histogram of order[start, end) into this shard's block of `slot`, for `features` only. */
  private build(start: number, end: number, slot: number, features: Int32Array): void {
    const { hist, order, gh, bins, sampled } = this.mem;
    const F = this.layout.features;
    const off = this.clearedOffsets(slot, features);
    const sample = this.layout.subsample < 1 ? sampled : null;
    if (features.length === F) accumulateAll(hist, off, order, start, end, gh, bins, F, sample);
    else accumulateSome(hist, off, features, order, start, end, gh, bins, F, sample);
  }

  private endTree(leaves: Int32Array, values: Float64Array, tree: RoutingTree): number {
    const { order, margin, label, gh, valBins, valMargin, valLabel } = this.mem;
    for (let i = 0; i < leaves.length; i++) {
      const node = leaves[i]!;
      const v = values[i]!;
      const hi = this.nodeHi[node]!;
      for (let p = this.nodeLo[node]!; p < hi; p++) margin[order[p]!] += v;
    }
    gradients(this.layout.objective, label, margin, gh, this.lo, this.hi);
    if (this.valHi <= this.valLo) return 0;
    const F = this.layout.features;
    const { feature, left, value, lutBase, lut } = tree;
    for (let r = this.valLo; r < this.valHi; r++) {
      let node = 0;
      let f = feature[0]!;
      // The right child follows the left one: stepping is arithmetic, not a mispredicted branch.
      while (f >= 0) {
        node = left[node]! + 1 - lut[lutBase[node]! + valBins[r * F + f]!]!;
        f = feature[node]!;
      }
      valMargin[r] += value[node]!;
    }
    return lossSum(this.layout.objective, valLabel, valMargin, this.valLo, this.valHi);
  }
}

/**
 * Stable, branch-free partition of order[lo, hi) by `table` over one feature's column: every row is
 * written to both buffers and only its side's cursor moves (no mispredicted branch per row). Rows
 * going left end in order[lo, w), the others follow; returns w.
 */
function partition(
  order: Uint32Array,
  scratch: Uint32Array,
  columns: Uint8Array,
  col: number,
  table: Uint8Array,
  lo: number,
  hi: number,
): number {
  let w = lo;
  let q = lo;
  for (let p = lo; p < hi; p++) {
    const r = order[p]!;
    const side = table[columns[col + r]!]!;
    order[w] = r;
    scratch[q] = r;
    w += side;
    q += 1 - side;
  }
  order.set(scratch.subarray(lo, q), w);
  return w;
}

/**
 * Adds rows order[start, end) to the histogram, every feature (`off[f]` = start of feature f's bins).
 * Four rows at a time: their loads overlap, and each cell still receives its rows in row order, so
 * sums are the same as one row at a time.
 */
function accumulateAll(
  hist: Float64Array,
  off: Int32Array,
  order: Uint32Array,
  start: number,
  end: number,
  gh: Float64Array,
  bins: Uint8Array,
  F: number,
  sampled: Uint8Array | null,
): void {
  let p = start;
  if (sampled === null) {
    for (; p + 3 < end; p += 4) {
      const r0 = order[p]!;
      const r1 = order[p + 1]!;
      const r2 = order[p + 2]!;
      const r3 = order[p + 3]!;
      const g0 = gh[2 * r0]!;
      const h0 = gh[2 * r0 + 1]!;
      const g1 = gh[2 * r1]!;
      const h1 = gh[2 * r1 + 1]!;
      const g2 = gh[2 * r2]!;
      const h2 = gh[2 * r2 + 1]!;
      const g3 = gh[2 * r3]!;
      const h3 = gh[2 * r3 + 1]!;
      const a0 = r0 * F;
      const a1 = r1 * F;
      const a2 = r2 * F;
      const a3 = r3 * F;
      for (let f = 0; f < F; f++) {
        const o = off[f]!;
        let i = o + bins[a0 + f]! * 3;
        hist[i] += g0;
        hist[i + 1] += h0;
        hist[i + 2] += 1;
        i = o + bins[a1 + f]! * 3;
        hist[i] += g1;
        hist[i + 1] += h1;
        hist[i + 2] += 1;
        i = o + bins[a2 + f]! * 3;
        hist[i] += g2;
        hist[i + 1] += h2;
        hist[i + 2] += 1;
        i = o + bins[a3 + f]! * 3;
        hist[i] += g3;
        hist[i + 1] += h3;
        hist[i + 2] += 1;
      }
    }
  }
  for (; p < end; p++) {
    const r = order[p]!;
    if (sampled !== null && sampled[r] === 0) continue;
    const g = gh[2 * r]!;
    const h = gh[2 * r + 1]!;
    const row = r * F;
    for (let f = 0; f < F; f++) {
      const i = off[f]! + bins[row + f]! * 3;
      hist[i] += g;
      hist[i + 1] += h;
      hist[i + 2] += 1;
    }
  }
}

/** Adds rows order[start, end) to the histogram, for the sampled `features` only. */
function accumulateSome(
  hist: Float64Array,
  off: Int32Array,
  features: Int32Array,
  order: Uint32Array,
  start: number,
  end: number,
  gh: Float64Array,
  bins: Uint8Array,
  F: number,
  sampled: Uint8Array | null,
): void {
  const nf = features.length;
  for (let p = start; p < end; p++) {
    const r = order[p]!;
    if (sampled !== null && sampled[r] === 0) continue;
    const g = gh[2 * r]!;
    const h = gh[2 * r + 1]!;
    const row = r * F;
    for (let j = 0; j < nf; j++) {
      const i = off[j]! + bins[row + features[j]!]! * 3;
      hist[i] += g;
      hist[i + 1] += h;
      hist[i + 2] += 1;
    }
  }
}
