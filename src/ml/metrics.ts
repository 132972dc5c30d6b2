// Evaluation of binary risk scores: ROC AUC with a DeLong 95% interval, average precision (PR AUC),
// Brier score, log loss, calibration intercept and slope, and decile calibration and lift tables.
import { ClaimlensError } from '../errors.ts';

const Z95 = 1.959963984540054;
const EPS = 1e-15;

/** Row indices ordered by score ascending (ties by row, so results are reproducible). */
function orderBy(score: Float64Array, descending = false): Uint32Array {
  const idx = Uint32Array.from({ length: score.length }, (_, i) => i);
  const s = score;
  return idx.sort(descending ? (a, b) => s[b]! - s[a]! || a - b : (a, b) => s[a]! - s[b]! || a - b);
}

/** Midranks (1-based, ties share the mean rank) of `values[idx[k]]` within the subset `idx`. */
function midranks(score: Float64Array, idx: Uint32Array): Float64Array {
  const order = Uint32Array.from(idx).sort((a, b) => score[a]! - score[b]! || a - b);
  const rank = new Float64Array(score.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && score[order[j + 1]!] === score[order[i]!]) j++;
    const mid = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) rank[order[k]!] = mid;
    i = j + 1;
  }
  return rank;
}

function classes(label: Float64Array): { pos: Uint32Array; neg: Uint32Array } {
  let m = 0;
  for (let i = 0; i < label.length; i++) if (label[i] === 1) m++;
  const pos = new Uint32Array(m);
  const neg = new Uint32Array(label.length - m);
  let a = 0;
  let b = 0;
  for (let i = 0; i < label.length; i++) {
    if (label[i] === 1) pos[a++] = i;
    else neg[b++] = i;
  }
  return { pos, neg };
}

export interface AucInterval {
  auc: number;
  /** DeLong standard error. */
  se: number;
  lower: number;
  upper: number;
}

/**
 * ROC AUC (the Mann-Whitney probability that a positive outranks a negative, ties counted as 1/2)
 * with a 95% interval from DeLong, DeLong & Clarke-Pearson (1988)'s variance, computed through
 * midranks (Sun & Xu 2014) in O(n log n).
 */
export function rocAuc(score: Float64Array, label: Float64Array): AucInterval {
  const { pos, neg } = classes(label);
  const m = pos.length;
  const n = neg.length;
  if (m === 0 || n === 0) {
    throw new ClaimlensError('model', 'AUC needs both positive and negative rows in the evaluation set');
  }
  const all = Uint32Array.from({ length: score.length }, (_, i) => i);
  const rAll = midranks(score, all);
  const rPos = midranks(score, pos);
  const rNeg = midranks(score, neg);
  let sumPos = 0;
  const v10 = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const r = pos[i]!;
    sumPos += rAll[r]!;
    v10[i] = (rAll[r]! - rPos[r]!) / n;
  }
  const v01 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const r = neg[j]!;
    v01[j] = 1 - (rAll[r]! - rNeg[r]!) / m;
  }
  const auc = (sumPos - (m * (m + 1)) / 2) / (m * n);
  const variance = sampleVariance(v10) / m + sampleVariance(v01) / n;
  const se = Math.sqrt(Math.max(0, variance));
  return { auc, se, lower: Math.max(0, auc - Z95 * se), upper: Math.min(1, auc + Z95 * se) };
}

function sampleVariance(v: Float64Array): number {
  if (v.length < 2) return 0;
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i]!;
  mean /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - mean) ** 2;
  return s / (v.length - 1);
}

/** Average precision: sum over score thresholds of (recall gained) x (precision there); tied scores form one threshold. */
export function averagePrecision(score: Float64Array, label: Float64Array): number {
  const idx = orderBy(score, true);
  let positives = 0;
  for (let i = 0; i < label.length; i++) if (label[i] === 1) positives++;
  if (positives === 0)
    throw new ClaimlensError('model', 'average precision needs positive rows in the evaluation set');
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < idx.length; ) {
    const s = score[idx[i]!];
    let gained = 0;
    while (i < idx.length && score[idx[i]!] === s) {
      if (label[idx[i]!] === 1) gained++;
      seen++;
      i++;
    }
    tp += gained;
    if (gained > 0) ap += (gained / positives) * (tp / seen);
  }
  return ap;
}

/** Mean squared difference between probability and outcome. */
export function brierScore(p: Float64Array, label: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - label[i]!) ** 2;
  return s / p.length;
}

/** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]. */
export function logLoss(p: Float64Array, label: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]!));
    s -= label[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / p.length;
}

export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

export interface CalibrationFit {
  /** Calibration-in-the-large: a in logit P(y) = a + logit(p) (0 when the mean is right). */
  intercept: number;
  /** b in logit P(y) = a + b logit(p) (1 when spread is right; below 1 = too extreme). */
  slope: number;
}

/**
 * Logistic recalibration (Cox 1958; as reported by Van Calster et al. 2016): the slope from the fit
 * on logit(p) with a free intercept, the intercept from the fit with logit(p) as an offset.
 */
export function calibrationFit(p: Float64Array, label: Float64Array): CalibrationFit {
  const lp = Float64Array.from(p, logit);
  // Intercept with offset: one-dimensional Newton.
  let a = 0;
  for (let it = 0; it < 100; it++) {
    let g = 0;
    let h = 0;
    for (let i = 0; i < lp.length; i++) {
      const q = 1 / (1 + Math.exp(-(a + lp[i]!)));
      g += label[i]! - q;
      h += q * (1 - q);
    }
    const step = g / h;
    a += step;
    if (Math.abs(step) < 1e-12) break;
  }
  const [, slope] = logisticFit1(lp, label);
  return { intercept: a, slope };
}

/** Unpenalized logistic regression of `label` on one covariate by Newton's method: [intercept, slope]. */
export function logisticFit1(x: Float64Array, label: Float64Array, weights?: Float64Array): [number, number] {
  let a = 0;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let g0 = 0;
    let g1 = 0;
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    for (let i = 0; i < x.length; i++) {
      const w = weights ? weights[i]! : 1;
      const q = 1 / (1 + Math.exp(-(a + b * x[i]!)));
      const r = w * (label[i]! - q);
      const v = w * q * (1 - q);
      g0 += r;
      g1 += r * x[i]!;
      h00 += v;
      h01 += v * x[i]!;
      h11 += v * x[i]! * x[i]!;
    }
    const det = h00 * h11 - h01 * h01;
    if (!(Math.abs(det) > 0)) break;
    const da = (h11 * g0 - h01 * g1) / det;
    const db = (h00 * g1 - h01 * g0) / det;
    a += da;
    b += db;
    if (Math.abs(da) < 1e-12 && Math.abs(db) < 1e-12) break;
  }
  return [a, b];
}

export interface CalibrationRow {
  group: number;
  rows: number;
  meanPredicted: number;
  observedRate: number;
  positives: number;
}

/** Equal-count groups by predicted probability (lowest first; ties split by row order). */
export function calibrationTable(p: Float64Array, label: Float64Array, groups = 10): CalibrationRow[] {
  const idx = orderBy(p);
  const n = idx.length;
  const out: CalibrationRow[] = [];
  for (let g = 0; g < groups; g++) {
    const lo = Math.floor((g * n) / groups);
    const hi = Math.floor(((g + 1) * n) / groups);
    if (hi <= lo) continue;
    let sp = 0;
    let pos = 0;
    for (let k = lo; k < hi; k++) {
      sp += p[idx[k]!]!;
      pos += label[idx[k]!]!;
    }
    out.push({
      group: g + 1,
      rows: hi - lo,
      meanPredicted: sp / (hi - lo),
      observedRate: pos / (hi - lo),
      positives: pos,
    });
  }
  return out;
}

export interface LiftRow {
  /** 1 = the highest scores. */
  decile: number;
  rows: number;
  positives: number;
  rate: number;
  /** Rate over the overall rate. */
  lift: number;
  /** Share of all positives found in this decile and the ones above it. */
  cumulativeCapture: number;
  cumulativeLift: number;
}

/** Lift by decile of score, highest scores first (ties split by row order). */
export function liftTable(score: Float64Array, label: Float64Array, groups = 10): LiftRow[] {
  const idx = orderBy(score, true);
  const n = idx.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += label[i]!;
  const overall = total / n;
  const out: LiftRow[] = [];
  let cumPos = 0;
  let cumRows = 0;
  for (let g = 0; g < groups; g++) {
    const lo = Math.floor((g * n) / groups);
    const hi = Math.floor(((g + 1) * n) / groups);
    if (hi <= lo) continue;
    let pos = 0;
    for (let k = lo; k < hi; k++) pos += label[idx[k]!]!;
    cumPos += pos;
    cumRows += hi - lo;
    const rate = pos / (hi - lo);
    out.push({
      decile: g + 1,
      rows: hi - lo,
      positives: pos,
      rate,
      lift: overall > 0 ? rate / overall : 0,
      cumulativeCapture: total > 0 ? cumPos / total : 0,
      cumulativeLift: overall > 0 ? cumPos / cumRows / overall : 0,
    });
  }
  return out;
}

export interface BinaryMetrics {
  rows: number;
  positives: number;
  auc: AucInterval;
  averagePrecision: number;
  brier: number;
  logLoss: number;
  calibration: CalibrationFit;
}

/** Every headline metric of probabilities `p` against 0/1 labels. */
export function binaryMetrics(p: Float64Array, label: Float64Array): BinaryMetrics {
  let positives = 0;
  for (let i = 0; i < label.length; i++) positives += label[i]!;
  return {
    rows: p.length,
    positives,
    auc: rocAuc(p, label),
    averagePrecision: averagePrecision(p, label),
    brier: brierScore(p, label),
    logLoss: logLoss(p, label),
    calibration: calibrationFit(p, label),
  };
}
