// L2-regularized logistic regression, the transparent baseline next to the trees: numeric features
// standardized (missing values at the mean plus a missing indicator), categorical ones one-hot
// against their most frequent level, fitted by Newton's method (IRLS) with a Cholesky solve.
import { ClaimlensError } from '../errors.ts';
import type { Dataset } from './dataset.ts';
import { checkLabels } from './objective.ts';

export interface LogisticNumeric {
  kind: 'numeric';
  name: string;
  mean: number;
  /** Population standard deviation on training rows; 0 = constant, left out. */
  sd: number;
  /** Log-odds change per standard deviation. */
  coef: number;
  /** Log-odds change when the value is missing (null if training had none). */
  missingCoef: number | null;
}

export interface LogisticCategorical {
  kind: 'categorical';
  name: string;
  /** The most frequent level: coefficient 0 by construction; unseen levels count as it. */
  reference: string | null;
  levels: string[];
  /** Log-odds change of each level against the reference. */
  coefs: number[];
  /** Levels too rare to keep their own column, pooled (null if none). */
  otherCoef: number | null;
  missingCoef: number | null;
}

export type LogisticFeature = LogisticNumeric | LogisticCategorical;

export interface LogisticModel {
  kind: 'logistic';
  lambda: number;
  /** Log-odds with every numeric feature at its mean and every categorical at its reference. */
  intercept: number;
  features: LogisticFeature[];
  iterations: number;
}

export interface LogisticOptions {
  /** L2 penalty on every coefficient but the intercept (standardized scale). */
  lambda?: number;
  /** Most levels per categorical feature with their own column. */
  maxLevels?: number;
}

/** The design: which column each feature's parts map to. */
interface Design {
  columns: number;
  /** Dense standardized numeric features: feature index and column. */
  dense: { values: Float64Array; column: number; mean: number; sd: number }[];
  /** Per sparse group (missing indicator or categorical feature): column of each row, -1 = none. */
  sparse: Int32Array[];
}

/**
 * Fits the baseline.
 *
 * @example
 * const model = fitLogistic(data, label, { lambda: 1 });
 * const p = predictLogistic(model, data);
 */
export function fitLogistic(ds: Dataset, label: Float64Array, options: LogisticOptions = {}): LogisticModel {
  const lambda = options.lambda ?? 1;
  const maxLevels = options.maxLevels ?? 30;
  checkLabels('binary', label, 'training');
  const n = ds.rows;
  const features: LogisticFeature[] = [];
  const design: Design = { columns: 1, dense: [], sparse: [] };
  // Where each fitted coefficient goes back into `features`.
  const assign: ((coef: number) => void)[] = [() => undefined];
  ds.features.forEach((f) => {
    if (f.kind === 'numeric') {
      let sum = 0;
      let count = 0;
      for (let i = 0; i < n; i++) {
        const v = f.values[i]!;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      const mean = count > 0 ? sum / count : 0;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const v = f.values[i]!;
        if (!Number.isNaN(v)) ss += (v - mean) ** 2;
      }
      const sd = count > 0 ? Math.sqrt(ss / count) : 0;
      const feature: LogisticNumeric = {
        kind: 'numeric',
        name: f.name,
        mean,
        sd,
        coef: 0,
        missingCoef: null,
      };
      features.push(feature);
      if (sd > 0) {
        design.dense.push({ values: f.values, column: design.columns++, mean, sd });
        assign.push((c) => {
          feature.coef = c;
        });
      }
      if (count > 0 && count < n) {
        const col = design.columns++;
        const group = new Int32Array(n).fill(-1);
        for (let i = 0; i < n; i++) if (Number.isNaN(f.values[i]!)) group[i] = col;
        design.sparse.push(group);
        feature.missingCoef = 0;
        assign.push((c) => {
          feature.missingCoef = c;
        });
      }
      return;
    }
    const counts = new Float64Array(f.levels.length);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const c = f.codes[i]!;
      if (c < 0) missing++;
      else counts[c]!++;
    }
    const present = f.levels.map((_, i) => i).filter((i) => counts[i]! > 0);
    present.sort((a, b) => counts[b]! - counts[a]! || (f.levels[a]! < f.levels[b]! ? -1 : 1));
    const reference = present.length > 0 ? present[0]! : -1;
    const kept = present.slice(1, 1 + maxLevels);
    const pooled = present.length > 1 + maxLevels;
    const feature: LogisticCategorical = {
      kind: 'categorical',
      name: f.name,
      reference: reference >= 0 ? f.levels[reference]! : null,
      levels: kept.map((i) => f.levels[i]!),
      coefs: kept.map(() => 0),
      otherCoef: pooled ? 0 : null,
      missingCoef: missing > 0 && missing < n ? 0 : null,
    };
    features.push(feature);
    const columnOf = new Int32Array(f.levels.length).fill(-1);
    kept.forEach((lv, k) => {
      columnOf[lv] = design.columns++;
      assign.push((c) => {
        feature.coefs[k] = c;
      });
    });
    const otherCol = pooled ? design.columns++ : -1;
    if (pooled) {
      assign.push((c) => {
        feature.otherCoef = c;
      });
      for (const lv of present.slice(1 + maxLevels)) columnOf[lv] = otherCol;
    }
    const missingCol = feature.missingCoef !== null ? design.columns++ : -1;
    if (missingCol >= 0) {
      assign.push((c) => {
        feature.missingCoef = c;
      });
    }
    const group = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = f.codes[i]!;
      group[i] = c < 0 ? missingCol : columnOf[c]!;
    }
    design.sparse.push(group);
  });

  const beta = newton(n, label, design.columns, flatten(design), lambda);
  beta.coef.forEach((c, j) => {
    assign[j]!(c);
  });
  return { kind: 'logistic', lambda, intercept: beta.coef[0]!, features, iterations: beta.iterations };
}

/** The design as flat arrays, for the per-row loops. */
interface FlatDesign {
  values: Float64Array[];
  column: Int32Array;
  mean: Float64Array;
  invSd: Float64Array;
  sparse: Int32Array[];
}

function flatten(design: Design): FlatDesign {
  return {
    values: design.dense.map((d) => d.values),
    column: Int32Array.from(design.dense, (d) => d.column),
    mean: Float64Array.from(design.dense, (d) => d.mean),
    invSd: Float64Array.from(design.dense, (d) => 1 / d.sd),
    sparse: design.sparse,
  };
}

/** Fills the row's design entries: columns and values, intercept first; returns their count. */
function rowEntries(d: FlatDesign, i: number, cols: Int32Array, vals: Float64Array): number {
  let k = 0;
  cols[k] = 0;
  vals[k++] = 1;
  for (let j = 0; j < d.values.length; j++) {
    const v = d.values[j]![i]!;
    cols[k] = d.column[j]!;
    vals[k++] = Number.isNaN(v) ? 0 : (v - d.mean[j]!) * d.invSd[j]!;
  }
  for (let j = 0; j < d.sparse.length; j++) {
    const c = d.sparse[j]![i]!;
    if (c >= 0) {
      cols[k] = c;
      vals[k++] = 1;
    }
  }
  return k;
}

function objective(eta: Float64Array, label: Float64Array, beta: Float64Array, lambda: number): number {
  let ll = 0;
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    // log(1 + exp(e)) without overflow.
    const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    ll += label[i]! * e - softplus;
  }
  let pen = 0;
  for (let j = 1; j < beta.length; j++) pen += beta[j]! ** 2;
  return ll - 0.5 * lambda * pen;
}

function linearPredictor(rows: number, design: FlatDesign, beta: Float64Array): Float64Array {
  const eta = new Float64Array(rows);
  const width = 1 + design.values.length + design.sparse.length;
  const cols = new Int32Array(width);
  const vals = new Float64Array(width);
  for (let i = 0; i < rows; i++) {
    const k = rowEntries(design, i, cols, vals);
    let e = 0;
    for (let a = 0; a < k; a++) e += beta[cols[a]!]! * vals[a]!;
    eta[i] = e;
  }
  return eta;
}

/** Newton-Raphson on the penalized log-likelihood, halving steps that would lower it. */
function newton(
  rows: number,
  label: Float64Array,
  P: number,
  design: FlatDesign,
  lambda: number,
): { coef: Float64Array; iterations: number } {
  const width = 1 + design.values.length + design.sparse.length;
  const cols = new Int32Array(width);
  const vals = new Float64Array(width);
  let beta = new Float64Array(P);
  let eta = linearPredictor(rows, design, beta);
  let current = objective(eta, label, beta, lambda);
  for (let it = 1; it <= 100; it++) {
    const grad = new Float64Array(P);
    const hess = new Float64Array(P * P);
    for (let i = 0; i < rows; i++) {
      const k = rowEntries(design, i, cols, vals);
      const p = 1 / (1 + Math.exp(-eta[i]!));
      const r = label[i]! - p;
      const w = p * (1 - p);
      for (let a = 0; a < k; a++) {
        const ca = cols[a]!;
        const va = vals[a]! * w;
        grad[ca] += vals[a]! * r;
        for (let b = a; b < k; b++) {
          const cb = cols[b]!;
          hess[ca < cb ? ca * P + cb : cb * P + ca] += va * vals[b]!;
        }
      }
    }
    // Sums went to the upper triangle; mirror them.
    for (let a = 0; a < P; a++) for (let b = 0; b < a; b++) hess[a * P + b] = hess[b * P + a]!;
    for (let j = 1; j < P; j++) {
      grad[j] -= lambda * beta[j]!;
      hess[j * P + j] += lambda;
    }
    const step = choleskySolve(hess, grad, P);
    let t = 1;
    let next = beta;
    let nextEta = eta;
    let value = current;
    for (let halvings = 0; halvings < 30; halvings++) {
      next = Float64Array.from(beta, (b, j) => b + t * step[j]!);
      nextEta = linearPredictor(rows, design, next);
      value = objective(nextEta, label, next, lambda);
      if (value >= current - 1e-12 * Math.abs(current)) break;
      t /= 2;
    }
    let change = 0;
    for (let j = 0; j < P; j++) change = Math.max(change, Math.abs(next[j]! - beta[j]!));
    beta = next;
    eta = nextEta;
    current = value;
    if (change < 1e-10) return { coef: beta, iterations: it };
  }
  return { coef: beta, iterations: 100 };
}

/** Solves H x = g for symmetric positive definite H (Cholesky). */
function choleskySolve(h: Float64Array, g: Float64Array, P: number): Float64Array {
  const L = new Float64Array(P * P);
  for (let j = 0; j < P; j++) {
    let d = h[j * P + j]!;
    for (let k = 0; k < j; k++) d -= L[j * P + k]! ** 2;
    if (!(d > 1e-300)) {
      throw new ClaimlensError(
        'model',
        'logistic baseline: the features are collinear or a class is perfectly separated; use a penalty (lambda > 0)',
      );
    }
    const ljj = Math.sqrt(d);
    L[j * P + j] = ljj;
    for (let i = j + 1; i < P; i++) {
      let s = h[i * P + j]!;
      for (let k = 0; k < j; k++) s -= L[i * P + k]! * L[j * P + k]!;
      L[i * P + j] = s / ljj;
    }
  }
  const y = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    let s = g[i]!;
    for (let k = 0; k < i; k++) s -= L[i * P + k]! * y[k]!;
    y[i] = s / L[i * P + i]!;
  }
  const x = new Float64Array(P);
  for (let i = P - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < P; k++) s -= L[k * P + i]! * x[k]!;
    x[i] = s / L[i * P + i]!;
  }
  return x;
}

/** Log-odds of every row (features matched by position; categorical levels by text). */
export function logisticMargin(model: LogisticModel, ds: Dataset): Float64Array {
  const out = new Float64Array(ds.rows).fill(model.intercept);
  model.features.forEach((mf, fi) => {
    const f = ds.features[fi]!;
    if (mf.kind === 'numeric') {
      if (f.kind !== 'numeric') throw new Error(`feature ${mf.name} must be numeric`);
      for (let i = 0; i < ds.rows; i++) {
        const v = f.values[i]!;
        if (Number.isNaN(v)) out[i] += mf.missingCoef ?? 0;
        else if (mf.sd > 0) out[i] += (mf.coef * (v - mf.mean)) / mf.sd;
      }
      return;
    }
    if (f.kind !== 'categorical') throw new Error(`feature ${mf.name} must be categorical`);
    const index = new Map(mf.levels.map((l, k) => [l, mf.coefs[k]!]));
    const known = new Set(mf.reference === null ? mf.levels : [mf.reference, ...mf.levels]);
    const coefOf = Float64Array.from(
      f.levels,
      (l) => index.get(l) ?? (known.has(l) ? 0 : (mf.otherCoef ?? 0)),
    );
    for (let i = 0; i < ds.rows; i++) {
      const c = f.codes[i]!;
      out[i] += c < 0 ? (mf.missingCoef ?? 0) : coefOf[c]!;
    }
  });
  return out;
}

export function predictLogistic(model: LogisticModel, ds: Dataset): Float64Array {
  const m = logisticMargin(model, ds);
  for (let i = 0; i < m.length; i++) m[i] = 1 / (1 + Math.exp(-m[i]!));
  return m;
}

export interface CoefficientRow {
  feature: string;
  term: string;
  /** Log-odds change: per standard deviation (numeric) or against the reference level. */
  coefficient: number;
  oddsRatio: number;
  /** Numeric features: log-odds change per unit of the raw value. */
  perUnit: number | null;
}

/** Every coefficient as a row, largest absolute effect first. */
export function coefficientTable(model: LogisticModel): CoefficientRow[] {
  const rows: CoefficientRow[] = [];
  const add = (feature: string, term: string, c: number, perUnit: number | null) =>
    rows.push({ feature, term, coefficient: c, oddsRatio: Math.exp(c), perUnit });
  for (const f of model.features) {
    if (f.kind === 'numeric') {
      if (f.sd > 0) add(f.name, 'per SD', f.coef, f.coef / f.sd);
      if (f.missingCoef !== null) add(f.name, 'missing', f.missingCoef, null);
      continue;
    }
    f.levels.forEach((l, k) => {
      add(f.name, `= ${l} (vs ${f.reference})`, f.coefs[k]!, null);
    });
    if (f.otherCoef !== null) add(f.name, `other levels (vs ${f.reference})`, f.otherCoef, null);
    if (f.missingCoef !== null) add(f.name, `missing (vs ${f.reference})`, f.missingCoef, null);
  }
  return rows.sort(
    (a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient) || a.feature.localeCompare(b.feature),
  );
}
