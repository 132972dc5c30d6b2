// Training objectives for gradient boosting (Friedman 2001) with second-order steps (Chen & Guestrin
// 2016): per-row gradient and hessian of the loss at the current margin, the starting margin, and the
// loss itself for early stopping.

import { ClaimlensError } from '../errors.ts';

export type Objective = 'binary' | 'squared_error';

/** Smallest hessian kept, so a leaf of confident rows never divides by ~0 when lambda is 0. */
const MIN_HESSIAN = 1e-16;
const EPS = 1e-15;

export function sigmoid(m: number): number {
  return 1 / (1 + Math.exp(-m));
}

/** The constant margin that minimises the loss over `label`: log-odds of the mean, or the mean. */
export function baseMargin(objective: Objective, label: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < label.length; i++) sum += label[i]!;
  const mean = sum / label.length;
  return objective === 'binary' ? Math.log(mean / (1 - mean)) : mean;
}

/** Writes gradient and hessian of rows [lo, hi) into `gh` (interleaved: g at 2r, h at 2r + 1). */
export function gradients(
  objective: Objective,
  label: Float64Array,
  margin: Float64Array,
  gh: Float64Array,
  lo: number,
  hi: number,
): void {
  if (objective === 'binary') {
    for (let r = lo; r < hi; r++) {
      const p = 1 / (1 + Math.exp(-margin[r]!));
      gh[2 * r] = p - label[r]!;
      const h = p * (1 - p);
      gh[2 * r + 1] = Math.max(h, MIN_HESSIAN);
    }
  } else {
    for (let r = lo; r < hi; r++) {
      gh[2 * r] = margin[r]! - label[r]!;
      gh[2 * r + 1] = 1;
    }
  }
}

/** Sum of per-row losses over [lo, hi): log loss (probabilities clipped at 1e-15) or squared error. */
export function lossSum(
  objective: Objective,
  label: Float64Array,
  margin: Float64Array,
  lo: number,
  hi: number,
): number {
  let s = 0;
  if (objective === 'binary') {
    for (let r = lo; r < hi; r++) {
      const p = Math.min(1 - EPS, Math.max(EPS, 1 / (1 + Math.exp(-margin[r]!))));
      s -= label[r]! === 1 ? Math.log(p) : Math.log(1 - p);
    }
  } else {
    for (let r = lo; r < hi; r++) {
      const d = margin[r]! - label[r]!;
      s += d * d;
    }
  }
  return s;
}

/** The early-stopping metric from a loss sum: mean log loss, or root mean squared error. */
export function lossMetric(objective: Objective, sum: number, rows: number): number {
  return objective === 'binary' ? sum / rows : Math.sqrt(sum / rows);
}

/** Checks labels: finite, and 0/1 with both classes (binary) or not all equal (regression). */
export function checkLabels(objective: Objective, label: Float64Array, what: string): void {
  if (label.length === 0) {
    throw new ClaimlensError('model', `no ${what} rows: the model needs labeled rows to learn from`);
  }
  let first = Number.NaN;
  let varies = false;
  for (let i = 0; i < label.length; i++) {
    const y = label[i]!;
    if (!Number.isFinite(y))
      throw new ClaimlensError('model', `${what} label at row ${i + 1} is not a number`);
    if (objective === 'binary' && y !== 0 && y !== 1) {
      throw new ClaimlensError(
        'model',
        `${what} label at row ${i + 1} is ${y}: binary labels must be 0 or 1`,
      );
    }
    if (i === 0) first = y;
    else if (y !== first) varies = true;
  }
  if (!varies) {
    throw new ClaimlensError(
      'model',
      `the ${what} label is constant (every row is ${first}): there is nothing to learn; widen the data window or check how the label is built`,
    );
  }
}
