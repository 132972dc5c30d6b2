// Feature binning for histogram trees (Ke et al. 2017, LightGBM): numeric features into up to 255
// quantile bins plus a missing bin, categorical features into one bin per frequent level plus an
// "other" bin and a missing bin, so a row becomes one byte per feature (row-major Uint8Array).
import type { Dataset } from './dataset.ts';
import { Random } from './random.ts';

/**
 * A numeric feature's bins: value `x` falls in the first bin `b` with `x <= cuts[b]`, or in the last
 * value bin (`cuts.length`) when above every cut; NaN falls in the missing bin (`cuts.length + 1`).
 */
export interface NumericBins {
  kind: 'numeric';
  name: string;
  cuts: number[];
}

/**
 * A categorical feature's bins: `levels[i]` is bin `i`; bin `levels.length` holds levels too rare to
 * keep (and levels first seen at scoring time); bin `levels.length + 1` holds missing values.
 */
export interface CategoricalBins {
  kind: 'categorical';
  name: string;
  levels: string[];
}

export type FeatureBins = NumericBins | CategoricalBins;

export interface BinningOptions {
  /** Most value bins per feature (numeric) or kept levels + 1 (categorical); at most 255. */
  maxBins?: number;
  /** Rows sampled to place numeric bin boundaries. */
  sampleRows?: number;
  seed?: number;
}

/** Bins of a feature including the missing bin (and the other bin for categorical features). */
export function binCount(fb: FeatureBins): number {
  return fb.kind === 'numeric' ? fb.cuts.length + 2 : fb.levels.length + 2;
}

export function missingBin(fb: FeatureBins): number {
  return binCount(fb) - 1;
}

/** Fits bins on a (training) dataset. */
export function fitBinning(ds: Dataset, options: BinningOptions = {}): FeatureBins[] {
  const maxBins = Math.min(255, Math.max(2, options.maxBins ?? 255));
  const sampleRows = options.sampleRows ?? 200_000;
  const sample =
    ds.rows > sampleRows ? new Random(options.seed ?? 0, 0xb1).sample(ds.rows, sampleRows) : undefined;
  return ds.features.map((f): FeatureBins => {
    if (f.kind === 'numeric') {
      const n = sample ? sample.length : ds.rows;
      const vals = new Float64Array(n);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const v = f.values[sample ? sample[i]! : i]!;
        if (!Number.isNaN(v)) vals[k++] = v;
      }
      return { kind: 'numeric', name: f.name, cuts: quantileCuts(vals.subarray(0, k).sort(), maxBins) };
    }
    // Frequent levels keep their own bin; the rest share one, which bounds bins at 255 per feature.
    const counts = new Float64Array(f.levels.length);
    for (let i = 0; i < f.codes.length; i++) {
      const c = f.codes[i]!;
      if (c >= 0) counts[c]!++;
    }
    const present = f.levels.map((_, i) => i).filter((i) => counts[i]! > 0);
    present.sort((a, b) => counts[b]! - counts[a]! || compareText(f.levels[a]!, f.levels[b]!));
    const levels = present.slice(0, maxBins - 1).map((i) => f.levels[i]!);
    return { kind: 'categorical', name: f.name, levels };
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A value strictly between `a < b` that keeps `a` at or below it and `b` above it. */
function between(a: number, b: number): number {
  const mid = a / 2 + b / 2;
  return mid >= a && mid < b ? mid : a;
}

/**
 * Cuts over sorted values: one bin per distinct value when they fit, else greedy equal-count bins
 * whose boundaries fall between distinct values (a heavy value keeps a bin to itself).
 */
export function quantileCuts(sorted: Float64Array, maxBins: number): number[] {
  const n = sorted.length;
  if (n === 0) return [];
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) cuts.push(between(distinct[i]!, distinct[i + 1]!));
    return cuts;
  }
  // Each bin aims at an equal share of the rows not yet binned, so a heavy value does not starve the rest.
  let binned = 0;
  let inBin = 0;
  for (let i = 0; i + 1 < distinct.length && cuts.length < maxBins - 1; i++) {
    inBin += counts[i]!;
    if (inBin >= (n - binned) / (maxBins - cuts.length)) {
      cuts.push(between(distinct[i]!, distinct[i + 1]!));
      binned += inBin;
      inBin = 0;
    }
  }
  return cuts;
}

/** The bin of a numeric value: first cut at or above it (binary search), NaN to the missing bin. */
export function numericBin(cuts: readonly number[] | Float64Array, x: number): number {
  if (Number.isNaN(x)) return cuts.length + 1;
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Bins every row of `ds` with `binning` into a row-major byte matrix (`rows x features`). Feature
 * columns are matched by position; categorical levels are matched by text, so a dataset read later
 * (at scoring) with its own level order bins the same way.
 */
export function binDataset(
  binning: readonly FeatureBins[],
  ds: Dataset,
  out = new Uint8Array(ds.rows * binning.length),
): Uint8Array {
  const F = binning.length;
  for (let f = 0; f < F; f++) {
    const fb = binning[f]!;
    const col = ds.features[f]!;
    if (fb.kind === 'numeric') {
      if (col.kind !== 'numeric') throw new Error(`feature ${fb.name} must be numeric`);
      binNumericColumn(fb.cuts, col.values, out, f, F);
    } else {
      if (col.kind !== 'categorical') throw new Error(`feature ${fb.name} must be categorical`);
      const index = new Map(fb.levels.map((l, i) => [l, i]));
      const other = fb.levels.length;
      const map = Int32Array.from(col.levels, (l) => index.get(l) ?? other);
      const codes = col.codes;
      for (let r = 0; r < ds.rows; r++) {
        const c = codes[r]!;
        out[r * F + f] = c < 0 ? other + 1 : map[c]!;
      }
    }
  }
  return out;
}

/** Equal-width buckets over a numeric feature's cuts whose first bin is looked up, not searched. */
const GUESS_BUCKETS = 16384;

/**
 * Bins one numeric column into column `f` of a row-major matrix with `F` columns. Each value's bin is
 * first looked up by its equal-width bucket between the first and last cut, then checked against the
 * cuts on both sides; only values whose bucket holds a cut (or is wrong) search, in a fixed
 * eight-step descent over cuts padded to 256 with +Infinity, with no data-dependent branch. The
 * lookup is dropped for a column where more than a quarter of the values search anyway (cuts
 * crowded in a few buckets, as with heavy tails). The same bins as `numericBin` either way.
 */
function binNumericColumn(
  cuts: readonly number[],
  values: Float64Array,
  out: Uint8Array,
  f: number,
  F: number,
): void {
  const pad = new Float64Array(256).fill(Number.POSITIVE_INFINITY);
  pad.set(cuts);
  const m = cuts.length;
  const missing = m + 1;
  const n = values.length;
  const lo = m > 0 ? cuts[0]! : 0;
  const scale = m > 1 ? GUESS_BUCKETS / (cuts[m - 1]! - lo) : 0;
  let r = 0;
  // Worth its table only over many rows.
  if (scale > 0 && Number.isFinite(scale) && n >= 4 * GUESS_BUCKETS) {
    // Bucket starts only grow, so one pass over the cuts places them all (as numericBin would).
    const guess = new Uint8Array(GUESS_BUCKETS + 1);
    for (let k = 0, b = 0; k <= GUESS_BUCKETS; k++) {
      const x = lo + k / scale;
      while (b < m && x > cuts[b]!) b++;
      guess[k] = b;
    }
    let searched = 0;
    while (r < n) {
      const end = Math.min(n, r + 4096);
      for (; r < end; r++) {
        const x = values[r]!;
        const t = (x - lo) * scale;
        // NaN fails every comparison: bucket 0, then the check fails and it searches.
        let b = guess[t > 0 ? (t < GUESS_BUCKETS ? t | 0 : GUESS_BUCKETS) : 0]!;
        if (!(x <= pad[b]! && (b === 0 || x > pad[b - 1]!))) {
          b = descend(pad, x);
          searched++;
        }
        out[r * F + f] = Number.isNaN(x) ? missing : b;
      }
      if (searched > r / 4) break;
    }
  }
  for (; r < n; r++) {
    const x = values[r]!;
    out[r * F + f] = Number.isNaN(x) ? missing : descend(pad, x);
  }
}

/** The first bin whose padded cut is at or above x, in eight steps with no data-dependent branch. */
function descend(pad: Float64Array, x: number): number {
  let b = 0;
  b += +(x > pad[b + 127]!) << 7;
  b += +(x > pad[b + 63]!) << 6;
  b += +(x > pad[b + 31]!) << 5;
  b += +(x > pad[b + 15]!) << 4;
  b += +(x > pad[b + 7]!) << 3;
  b += +(x > pad[b + 3]!) << 2;
  b += +(x > pad[b + 1]!) << 1;
  b += +(x > pad[b]!);
  return b;
}
