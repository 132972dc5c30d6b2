// Best split of a node from its gradient histogram: second-order gain with L2 regularization (Chen &
// Guestrin 2016, eq. 7), a learned direction for missing values, and categorical splits by one level
// against the rest (few levels) or by levels sorted on gradient ratio (Fisher 1958; Ke et al. 2017).

export interface SplitParams {
  lambda: number;
  minChildWeight: number;
  minSamplesLeaf: number;
  minSplitGain: number;
  /** Categorical features with at most this many levels present use one-vs-rest splits. */
  maxCatOneHot: number;
}

/** Per-feature histogram geometry. */
export interface HistogramShape {
  binOffset: Int32Array;
  binCounts: Int32Array;
  categorical: Uint8Array;
}

export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Numeric: last bin going left; -1 for categorical splits. */
  splitBin: number;
  /** Numeric: where missing values go. */
  defaultLeft: boolean;
  /** Categorical: bins going left (empty bins follow the larger child). */
  leftBins: number[] | null;
  gl: number;
  hl: number;
  cl: number;
  gr: number;
  hr: number;
  cr: number;
}

/** Gains at or below this are rounding noise, never a reason to split. */
const MIN_GAIN = 1e-10;

/** Node totals (gradient, hessian, rows) from one feature's bins: every row sits in exactly one. */
export function histogramTotals(
  hist: Float64Array,
  shape: HistogramShape,
  feature: number,
): { g: number; h: number; c: number } {
  let g = 0;
  let h = 0;
  let c = 0;
  const o = shape.binOffset[feature]! * 3;
  const end = o + shape.binCounts[feature]! * 3;
  for (let i = o; i < end; i += 3) {
    g += hist[i]!;
    h += hist[i + 1]!;
    c += hist[i + 2]!;
  }
  return { g, h, c };
}

/**
 * The best split over `features` of a node with totals (g, h, c), or null when none gains more than
 * `minSplitGain` under the child-size constraints. Ties keep the first candidate (lowest feature,
 * lowest bin), so results never depend on anything but the histogram.
 */
export function bestSplit(
  hist: Float64Array,
  shape: HistogramShape,
  features: Int32Array,
  g: number,
  h: number,
  c: number,
  p: SplitParams,
): SplitCandidate | null {
  const lambda = p.lambda;
  const minH = p.minChildWeight;
  const minC = p.minSamplesLeaf;
  const parentScore = (g * g) / (h + lambda);
  let bestGain = Math.max(p.minSplitGain, MIN_GAIN);
  let best: SplitCandidate | null = null;

  const consider = (
    feature: number,
    splitBin: number,
    defaultLeft: boolean,
    leftBins: number[] | null,
    gl: number,
    hl: number,
    cl: number,
  ): void => {
    const cr = c - cl;
    const hr = h - hl;
    if (cl < minC || cr < minC || hl < minH || hr < minH) return;
    const gr = g - gl;
    const gain = 0.5 * ((gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore);
    if (gain > bestGain) {
      bestGain = gain;
      best = { gain, feature, splitBin, defaultLeft, leftBins, gl, hl, cl, gr, hr, cr };
    }
  };

  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const o = shape.binOffset[f]! * 3;
    const nb = shape.binCounts[f]!;
    if (shape.categorical[f]) {
      categoricalSplits(hist, o, nb, f, lambda, p.maxCatOneHot, consider);
      continue;
    }
    const valueBins = nb - 1;
    const m = o + valueBins * 3;
    const mg = hist[m]!;
    const mh = hist[m + 1]!;
    const mc = hist[m + 2]!;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let t = 0; t < valueBins - 1; t++) {
      const i = o + t * 3;
      const bc = hist[i + 2]!;
      // An empty bin gives the same partition as the bin before it: keep the lower threshold.
      if (bc === 0) continue;
      gl += hist[i]!;
      hl += hist[i + 1]!;
      cl += bc;
      if (mc > 0) {
        consider(f, t, false, null, gl, hl, cl);
        consider(f, t, true, null, gl + mg, hl + mh, cl + mc);
      } else {
        // No missing value reached this node: at scoring they follow the larger child.
        consider(f, t, cl >= c - cl, null, gl, hl, cl);
      }
      // Every present value is left of this threshold: higher ones give the same partition.
      if (cl === c - mc) break;
    }
  }
  return best;
}

type Consider = (
  feature: number,
  splitBin: number,
  defaultLeft: boolean,
  leftBins: number[] | null,
  gl: number,
  hl: number,
  cl: number,
) => void;

function categoricalSplits(
  hist: Float64Array,
  o: number,
  nb: number,
  f: number,
  lambda: number,
  maxCatOneHot: number,
  consider: Consider,
): void {
  const present: number[] = [];
  const empty: number[] = [];
  let total = 0;
  for (let b = 0; b < nb; b++) {
    const bc = hist[o + b * 3 + 2]!;
    if (bc > 0) {
      present.push(b);
      total += bc;
    } else empty.push(b);
  }
  if (present.length < 2) return;
  // Bins no training row of this node had (rare or unseen levels) go with the larger child.
  const withEmpty = (left: number[], cl: number): number[] =>
    (cl >= total - cl ? [...left, ...empty] : left).sort((a, b) => a - b);
  if (present.length <= maxCatOneHot) {
    for (const b of present) {
      const i = o + b * 3;
      consider(f, -1, false, withEmpty([b], hist[i + 2]!), hist[i]!, hist[i + 1]!, hist[i + 2]!);
    }
    return;
  }
  const ratio = (b: number) => hist[o + b * 3]! / (hist[o + b * 3 + 1]! + lambda);
  const sorted = [...present].sort((a, b) => ratio(a) - ratio(b) || a - b);
  let gl = 0;
  let hl = 0;
  let cl = 0;
  for (let k = 0; k + 1 < sorted.length; k++) {
    const i = o + sorted[k]! * 3;
    gl += hist[i]!;
    hl += hist[i + 1]!;
    cl += hist[i + 2]!;
    consider(f, -1, false, withEmpty(sorted.slice(0, k + 1), cl), gl, hl, cl);
  }
}
