// Histogram gradient-boosted trees: Friedman (2001) boosting with second-order leaf weights and
// gains and L2 regularization (Chen & Guestrin 2016, XGBoost), on binned features with histogram
// subtraction (Ke et al. 2017, LightGBM). Trees grow level by level; histograms are built by two
// shards of the rows on worker threads. Deterministic for a seed, whatever the number of threads.
import { ClaimlensError, UsageError } from '../errors.ts';
import { binCount, binDataset, type FeatureBins, fitBinning } from './binning.ts';
import type { Dataset } from './dataset.ts';
import { baseMargin, checkLabels, lossMetric, type Objective, sigmoid } from './objective.ts';
import { type ShardRunner, startShards } from './pool.ts';
import { Random } from './random.ts';
import type { LevelSplit, RoutingTree, ShardLayout, ShardMemory } from './shard.ts';
import { bestSplit, type HistogramShape, histogramTotals, type SplitCandidate } from './split.ts';
import { addTreeOutputs, compileTrees, splitTable, type Tree } from './tree.ts';

export interface GbtParams {
  objective: Objective;
  /** Boosting rounds (most trees kept). */
  trees: number;
  learningRate: number;
  /** Deepest leaf (root = depth 0); 0 = no depth limit (then maxLeaves must be set). */
  maxDepth: number;
  /** Most leaves per tree; 0 = no limit beyond depth. When a level would pass it, the largest gains split first. */
  maxLeaves: number;
  /** Least hessian sum per child (XGBoost's min_child_weight). */
  minChildWeight: number;
  /** Least training rows per child. */
  minSamplesLeaf: number;
  /** L2 regularization of leaf weights (XGBoost's lambda). */
  lambda: number;
  /** Least gain to split (XGBoost's gamma). */
  minSplitGain: number;
  /** Fraction of rows sampled per tree. */
  subsample: number;
  /** Fraction of features sampled per tree. */
  colsample: number;
  maxBins: number;
  /** Categorical features with at most this many levels present split one level against the rest. */
  maxCatOneHot: number;
  /** Stop after this many rounds without a better validation loss; 0 = never. */
  earlyStoppingRounds: number;
  seed: number;
  /** Worker threads building histograms (1 = inline; at most 2 are used, one per shard of rows). */
  threads: number;
}

export const DEFAULT_GBT_PARAMS: GbtParams = {
  objective: 'binary',
  trees: 300,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 0,
  minChildWeight: 1,
  minSamplesLeaf: 20,
  lambda: 1,
  minSplitGain: 0,
  subsample: 1,
  colsample: 1,
  maxBins: 255,
  maxCatOneHot: 4,
  earlyStoppingRounds: 30,
  seed: 42,
  threads: 2,
};

export interface GbtModel {
  kind: 'gbt';
  objective: Objective;
  /** Margin before any tree: log-odds of the training label mean (binary) or the mean. */
  baseMargin: number;
  binning: FeatureBins[];
  trees: Tree[];
  /** Parameters as trained (threads excluded: they never change the model). */
  params: Omit<GbtParams, 'threads'>;
  /** Validation loss (mean log loss or RMSE) after each round; empty without a validation set. */
  validationLoss: number[];
}

export interface TrainInput {
  data: Dataset;
  label: Float64Array;
}

export interface GbtTrainOptions {
  params?: Partial<GbtParams>;
  /** Rows for early stopping; trees after the best round are dropped. */
  validation?: TrainInput;
  onRound?: (round: number, validationLoss: number | null) => void;
}

/**
 * Training rows are cut into this many shards whatever the thread count (threads beyond it add
 * nothing), so the order of every floating-point sum, and thus the model, never depends on threads.
 */
const SHARDS = 2;

/** Most histogram slots per level job; wider levels go in several jobs. */
const MAX_SLOTS = 64;

export function resolveGbtParams(params: Partial<GbtParams> = {}): GbtParams {
  const p = { ...DEFAULT_GBT_PARAMS, ...params };
  const bad = (what: string) => {
    throw new UsageError(`invalid boosting parameter: ${what}`);
  };
  if (!Number.isInteger(p.trees) || p.trees < 1) bad(`trees must be a positive integer (got ${p.trees})`);
  if (!(p.learningRate > 0)) bad(`learningRate must be above 0 (got ${p.learningRate})`);
  if (!Number.isInteger(p.maxDepth) || p.maxDepth < 0 || p.maxDepth > 16) bad('maxDepth must be 0..16');
  if (!Number.isInteger(p.maxLeaves) || p.maxLeaves < 0 || p.maxLeaves === 1)
    bad('maxLeaves must be 0 or >= 2');
  if (p.maxDepth === 0 && p.maxLeaves === 0) bad('set maxDepth or maxLeaves');
  if (!(p.minChildWeight >= 0)) bad('minChildWeight must be >= 0');
  if (!Number.isInteger(p.minSamplesLeaf) || p.minSamplesLeaf < 1) bad('minSamplesLeaf must be >= 1');
  if (!(p.lambda >= 0)) bad('lambda must be >= 0');
  if (!(p.minSplitGain >= 0)) bad('minSplitGain must be >= 0');
  if (!(p.subsample > 0 && p.subsample <= 1)) bad('subsample must be in (0, 1]');
  if (!(p.colsample > 0 && p.colsample <= 1)) bad('colsample must be in (0, 1]');
  if (!Number.isInteger(p.maxBins) || p.maxBins < 2 || p.maxBins > 255) bad('maxBins must be 2..255');
  if (!Number.isInteger(p.threads) || p.threads < 1) bad('threads must be >= 1');
  return p;
}

function sharedArray<T>(
  Ctor: { new (buffer: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
  length: number,
  shared: boolean,
): T {
  const bytes = Math.max(1, length) * Ctor.BYTES_PER_ELEMENT;
  return new Ctor(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

interface GrowNode {
  id: number;
  depth: number;
  g: number;
  h: number;
  c: number;
  hist: Float64Array | null;
  split: SplitCandidate | null;
}

/**
 * Trains a boosted ensemble.
 *
 * @example
 * const model = await trainGbt({ data, label }, { params: { trees: 200, maxDepth: 6 }, validation });
 * const p = predictGbt(model, data);
 */
export async function trainGbt(train: TrainInput, options: GbtTrainOptions = {}): Promise<GbtModel> {
  const params = resolveGbtParams(options.params);
  checkLabels(params.objective, train.label, 'training');
  if (train.data.features.length === 0) throw new ClaimlensError('model', 'no feature columns to learn from');
  const val = options.validation;
  if (val) {
    if (val.label.length !== val.data.rows) throw new Error('validation label length differs from its rows');
    for (let i = 0; i < val.label.length; i++) {
      if (!Number.isFinite(val.label[i]!))
        throw new ClaimlensError('model', `validation label at row ${i + 1} is not a number`);
    }
  }
  const N = train.data.rows;
  const F = train.data.features.length;
  const binning = fitBinning(train.data, { maxBins: params.maxBins, seed: params.seed });
  const shape: HistogramShape = {
    binOffset: new Int32Array(F),
    binCounts: new Int32Array(F),
    categorical: new Uint8Array(F),
  };
  let totalBins = 0;
  binning.forEach((fb, f) => {
    shape.binOffset[f] = totalBins;
    shape.binCounts[f] = binCount(fb);
    shape.categorical[f] = fb.kind === 'categorical' ? 1 : 0;
    totalBins += binCount(fb);
  });
  const shards = SHARDS;
  const leavesBound = params.maxLeaves > 0 ? params.maxLeaves : 2 ** params.maxDepth;
  const perLevel =
    params.maxLeaves > 0 ? Math.floor(params.maxLeaves / 2) : 2 ** Math.max(0, params.maxDepth - 1);
  const slots = Math.max(1, Math.min(MAX_SLOTS, perLevel));
  const layout: ShardLayout = {
    objective: params.objective,
    rows: N,
    valRows: val ? val.data.rows : 0,
    features: F,
    shards,
    binOffset: shape.binOffset,
    binCounts: shape.binCounts,
    totalBins,
    slots,
    maxNodes: Math.min(2 * leavesBound - 1, 2 * N + 1),
    subsample: params.subsample,
    seed: params.seed,
  };
  const shared = params.threads > 1;
  const stride = totalBins * 3;
  const memory: ShardMemory = {
    bins: binDataset(binning, train.data, sharedArray(Uint8Array, N * F, shared)),
    columns: sharedArray(Uint8Array, N * F, shared),
    label: sharedArray(Float64Array, N, shared),
    margin: sharedArray(Float64Array, N, shared),
    gh: sharedArray(Float64Array, 2 * N, shared),
    order: sharedArray(Uint32Array, N, shared),
    scratch: sharedArray(Uint32Array, N, shared),
    sampled: sharedArray(Uint8Array, N, shared),
    valBins: val
      ? binDataset(binning, val.data, sharedArray(Uint8Array, val.data.rows * F, shared))
      : sharedArray(Uint8Array, 0, shared),
    valLabel: sharedArray(Float64Array, layout.valRows, shared),
    valMargin: sharedArray(Float64Array, layout.valRows, shared),
    hist: sharedArray(Float64Array, slots * shards * stride, shared),
  };
  for (let r = 0; r < N; r++) {
    for (let f = 0; f < F; f++) memory.columns[f * N + r] = memory.bins[r * F + f]!;
  }
  memory.label.set(train.label);
  if (val) memory.valLabel.set(val.label);

  const base = baseMargin(params.objective, train.label);
  const trees: Tree[] = [];
  const history: number[] = [];
  const runner = await startShards(layout, memory, params.threads);
  try {
    await runner.run({ kind: 'init', base });
    let best = Number.POSITIVE_INFINITY;
    let bestRounds = 0;
    const colRng = new Random(params.seed, 0xc01);
    const k = Math.max(1, Math.round(params.colsample * F));
    for (let round = 0; round < params.trees; round++) {
      const features =
        k >= F ? Int32Array.from({ length: F }, (_, i) => i) : Int32Array.from(colRng.sample(F, k));
      const tree = await growTree(runner, memory, shape, binning, features, params, slots, round);
      trees.push(tree);
      const leaves: number[] = [];
      const values: number[] = [];
      tree.feature.forEach((f, n) => {
        if (f < 0) {
          leaves.push(n);
          values.push(tree.value[n]!);
        }
      });
      const lossSum = await runner.run({
        kind: 'end',
        leaves: Int32Array.from(leaves),
        values: Float64Array.from(values),
        tree: routing(tree, binning),
      });
      if (!val || val.data.rows === 0) {
        options.onRound?.(round + 1, null);
        continue;
      }
      const loss = lossMetric(params.objective, lossSum, val.data.rows);
      history.push(loss);
      options.onRound?.(round + 1, loss);
      if (loss < best) {
        best = loss;
        bestRounds = round + 1;
      } else if (params.earlyStoppingRounds > 0 && round + 1 - bestRounds >= params.earlyStoppingRounds) {
        break;
      }
    }
    if (val && val.data.rows > 0) trees.length = Math.max(1, bestRounds);
  } finally {
    await runner.close();
  }
  const { threads: _threads, ...kept } = params;
  return {
    kind: 'gbt',
    objective: params.objective,
    baseMargin: base,
    binning,
    trees,
    params: kept,
    validationLoss: history,
  };
}

function routing(tree: Tree, binning: readonly FeatureBins[]): RoutingTree {
  const c = compileTrees([tree], binning);
  return { feature: c.feature, left: c.left, right: c.right, value: c.value, lutBase: c.lutBase, lut: c.lut };
}

/** Grows one tree level by level; histograms of the smaller child are built, the larger one's subtracted. */
async function growTree(
  runner: ShardRunner,
  memory: ShardMemory,
  shape: HistogramShape,
  binning: readonly FeatureBins[],
  features: Int32Array,
  params: GbtParams,
  slots: number,
  round: number,
): Promise<Tree> {
  const shards = SHARDS;
  const stride = memory.hist.length / (slots * shards);
  const free: Float64Array[] = [];
  const take = () => free.pop() ?? new Float64Array(stride);
  // Sums the shards' partial histograms of `slot`, feature by feature, in shard order.
  const gather = (slot: number): Float64Array => {
    const out = take();
    for (let j = 0; j < features.length; j++) {
      const f = features[j]!;
      const a = shape.binOffset[f]! * 3;
      const b = a + shape.binCounts[f]! * 3;
      const first = slot * shards * stride;
      for (let i = a; i < b; i++) out[i] = memory.hist[first + i]!;
      for (let s = 1; s < shards; s++) {
        const o = (slot * shards + s) * stride;
        for (let i = a; i < b; i++) out[i] += memory.hist[o + i]!;
      }
    }
    return out;
  };

  const tree: Tree = {
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
  const addNode = (g: number, h: number, c: number): number => {
    tree.left.push(-1);
    tree.right.push(-1);
    tree.feature.push(-1);
    tree.threshold.push(null);
    tree.splitBin.push(-1);
    tree.leftBins.push(null);
    tree.defaultLeft.push(false);
    tree.value.push(-(g / (h + params.lambda)) * params.learningRate);
    tree.cover.push(c);
    tree.gain.push(0);
    return tree.feature.length - 1;
  };

  await runner.run({ kind: 'start', tree: round, features });
  const rootHist = gather(0);
  const totals = histogramTotals(rootHist, shape, features[0]!);
  const root: GrowNode = {
    id: addNode(totals.g, totals.h, totals.c),
    depth: 0,
    ...totals,
    hist: rootHist,
    split: null,
  };
  let frontier = [root];
  let leaves = 1;
  for (let depth = 0; params.maxDepth === 0 || depth < params.maxDepth; depth++) {
    for (const n of frontier) {
      n.split = n.hist ? bestSplit(n.hist, shape, features, n.g, n.h, n.c, params) : null;
    }
    let chosen = frontier.filter((n) => n.split !== null);
    const budget = params.maxLeaves > 0 ? params.maxLeaves - leaves : Number.POSITIVE_INFINITY;
    if (chosen.length > budget) {
      chosen = [...chosen]
        .sort((a, b) => b.split!.gain - a.split!.gain || a.id - b.id)
        .slice(0, budget)
        .sort((a, b) => a.id - b.id);
    }
    for (const n of frontier) if (n.hist && !chosen.includes(n)) free.push(n.hist);
    if (chosen.length === 0) break;
    const next: GrowNode[] = [];
    // Children that can never split need no histogram: last level, leaf budget spent, too few rows.
    const finalLevel =
      (params.maxDepth > 0 && depth + 1 >= params.maxDepth) ||
      (params.maxLeaves > 0 && leaves + chosen.length >= params.maxLeaves);
    const needsHist = (s: SplitCandidate) =>
      !finalLevel && (s.cl >= 2 * params.minSamplesLeaf || s.cr >= 2 * params.minSamplesLeaf);
    for (let at = 0; at < chosen.length; ) {
      const batch: GrowNode[] = [];
      let used = 0;
      while (at < chosen.length && (used < slots || !needsHist(chosen[at]!.split!))) {
        const n = chosen[at++]!;
        if (needsHist(n.split!)) used++;
        batch.push(n);
      }
      const jobs: LevelSplit[] = [];
      const kids: [GrowNode, GrowNode, boolean, number][] = [];
      let slot = 0;
      for (const n of batch) {
        const s = n.split!;
        const l = addNode(s.gl, s.hl, s.cl);
        const r = addNode(s.gr, s.hr, s.cr);
        const id = n.id;
        tree.left[id] = l;
        tree.right[id] = r;
        tree.feature[id] = s.feature;
        tree.gain[id] = s.gain;
        tree.value[id] = 0;
        if (s.leftBins) {
          tree.leftBins[id] = s.leftBins;
        } else {
          const fb = binning[s.feature]!;
          tree.splitBin[id] = s.splitBin;
          tree.defaultLeft[id] = s.defaultLeft;
          tree.threshold[id] = fb.kind === 'numeric' ? fb.cuts[s.splitBin]! : null;
        }
        const buildLeft = s.cl <= s.cr;
        const at = needsHist(s) ? slot++ : -1;
        jobs.push({
          node: id,
          feature: s.feature,
          table: splitTable(tree, id, binning[s.feature]!),
          left: l,
          right: r,
          buildLeft,
          slot: at,
        });
        const mk = (nid: number, g: number, h: number, c: number): GrowNode => ({
          id: nid,
          depth: depth + 1,
          g,
          h,
          c,
          hist: null,
          split: null,
        });
        kids.push([mk(l, s.gl, s.hl, s.cl), mk(r, s.gr, s.hr, s.cr), buildLeft, at]);
      }
      await runner.run({ kind: 'level', splits: jobs, features });
      batch.forEach((n, i) => {
        const [l, r, buildLeft, at] = kids[i]!;
        const parent = n.hist!;
        n.hist = null;
        if (at < 0) {
          free.push(parent);
          next.push(l, r);
          return;
        }
        const small = gather(at);
        // Larger child = parent - smaller child, over the sampled features only.
        for (let j = 0; j < features.length; j++) {
          const f = features[j]!;
          const a = shape.binOffset[f]! * 3;
          const b = a + shape.binCounts[f]! * 3;
          for (let i = a; i < b; i++) parent[i] = parent[i]! - small[i]!;
        }
        l.hist = buildLeft ? small : parent;
        r.hist = buildLeft ? parent : small;
        next.push(l, r);
      });
    }
    leaves += chosen.length;
    frontier = next;
  }
  for (const n of frontier) if (n.hist) free.push(n.hist);
  return tree;
}

/** Raw margins (log-odds for binary) of every row. */
export function predictMargin(model: GbtModel, data: Dataset): Float64Array {
  const bins = binDataset(model.binning, data);
  const out = new Float64Array(data.rows).fill(model.baseMargin);
  addTreeOutputs(compileTrees(model.trees, model.binning), bins, out);
  return out;
}

/** Probabilities (binary) or predictions (squared error) of every row. */
export function predictGbt(model: GbtModel, data: Dataset): Float64Array {
  const m = predictMargin(model, data);
  if (model.objective === 'binary') for (let i = 0; i < m.length; i++) m[i] = sigmoid(m[i]!);
  return m;
}
