// Probability calibration of a model's margin (Niculescu-Mizil & Caruana 2005): Platt scaling (Platt
// 1999, a sigmoid with smoothed targets) or isotonic regression (pool adjacent violators), chosen by
// cross-fitted log loss on validation rows, since a calibrator judged on its own fitting rows always
// looks better than it is.
import { brierScore, logisticFit1, logLoss } from './metrics.ts';
import { stratifiedFolds } from './validation.ts';

export interface PlattCalibration {
  method: 'platt';
  /** p = 1 / (1 + exp(-(a + b * margin))). */
  a: number;
  b: number;
}

export interface IsotonicCalibration {
  method: 'isotonic';
  /** Knots (margin, probability), margins ascending; linear between knots, flat outside. */
  x: number[];
  y: number[];
}

export type Calibration = PlattCalibration | IsotonicCalibration;

/** Platt (1999): a sigmoid of the margin fitted to targets (N+ + 1)/(N+ + 2) and 1/(N- + 2). */
export function fitPlatt(margin: Float64Array, label: Float64Array): PlattCalibration {
  let pos = 0;
  for (let i = 0; i < label.length; i++) pos += label[i]!;
  const neg = label.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const target = Float64Array.from(label, (y) => (y === 1 ? hi : lo));
  const [a, b] = logisticFit1(margin, target);
  return { method: 'platt', a, b };
}

/**
 * Isotonic regression by pool adjacent violators: the non-decreasing step function of the margin
 * closest (least squares) to the labels. Equal margins are pooled first, so ties get one value.
 */
export function fitIsotonic(margin: Float64Array, label: Float64Array): IsotonicCalibration {
  const idx = Uint32Array.from({ length: margin.length }, (_, i) => i).sort(
    (a, b) => margin[a]! - margin[b]! || a - b,
  );
  // Blocks as parallel arrays: sum of labels, weight, first and last margin.
  const sum: number[] = [];
  const weight: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  for (let k = 0; k < idx.length; k++) {
    const x = margin[idx[k]!]!;
    const y = label[idx[k]!]!;
    const top = sum.length - 1;
    if (top >= 0 && last[top] === x) {
      sum[top]! += y;
      weight[top]! += 1;
    } else {
      sum.push(y);
      weight.push(1);
      first.push(x);
      last.push(x);
    }
    // Merge backwards while a block's mean falls below the one before it.
    while (sum.length > 1) {
      const b = sum.length - 1;
      if (sum[b - 1]! / weight[b - 1]! <= sum[b]! / weight[b]!) break;
      sum[b - 1]! += sum[b]!;
      weight[b - 1]! += weight[b]!;
      last[b - 1] = last[b]!;
      sum.pop();
      weight.pop();
      first.pop();
      last.pop();
    }
  }
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < sum.length; b++) {
    const v = sum[b]! / weight[b]!;
    x.push(first[b]!);
    y.push(v);
    if (last[b] !== first[b]) {
      x.push(last[b]!);
      y.push(v);
    }
  }
  return { method: 'isotonic', x, y };
}

/** Calibrated probability of one margin. */
export function calibrate(c: Calibration, margin: number): number {
  if (c.method === 'platt') return 1 / (1 + Math.exp(-(c.a + c.b * margin)));
  const { x, y } = c;
  if (margin <= x[0]!) return y[0]!;
  if (margin >= x[x.length - 1]!) return y[y.length - 1]!;
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= margin) lo = mid;
    else hi = mid;
  }
  const t = (margin - x[lo]!) / (x[hi]! - x[lo]!);
  return y[lo]! + t * (y[hi]! - y[lo]!);
}

export function calibrateAll(c: Calibration, margin: Float64Array): Float64Array {
  return Float64Array.from(margin, (m) => calibrate(c, m));
}

export interface CalibrationChoice {
  calibration: Calibration;
  /** Cross-fitted log loss and Brier score of each method on the validation rows. */
  candidates: { method: Calibration['method']; logLoss: number; brier: number }[];
}

/**
 * Fits Platt and isotonic calibrations on validation margins and keeps the one with the lower
 * cross-fitted log loss (Brier score breaks ties; Platt, the simpler, wins exact ties), refitted
 * on every validation row.
 */
export function chooseCalibration(
  margin: Float64Array,
  label: Float64Array,
  folds = 5,
  seed = 0,
): CalibrationChoice {
  const fold = stratifiedFolds(label, folds, seed);
  const methods = [fitPlatt, fitIsotonic] as const;
  const candidates = methods.map((fitOne) => {
    const out = new Float64Array(margin.length);
    for (let k = 0; k < folds; k++) {
      const inFit: number[] = [];
      const held: number[] = [];
      for (let i = 0; i < margin.length; i++) (fold[i] === k ? held : inFit).push(i);
      if (held.length === 0) continue;
      const c = fitOne(
        Float64Array.from(inFit, (i) => margin[i]!),
        Float64Array.from(inFit, (i) => label[i]!),
      );
      for (const i of held) out[i] = calibrate(c, margin[i]!);
    }
    return {
      method: fitOne === fitPlatt ? ('platt' as const) : ('isotonic' as const),
      logLoss: logLoss(out, label),
      brier: brierScore(out, label),
    };
  });
  const [platt, iso] = candidates as [(typeof candidates)[0], (typeof candidates)[0]];
  const useIsotonic =
    iso.logLoss < platt.logLoss || (iso.logLoss === platt.logLoss && iso.brier < platt.brier);
  return {
    calibration: useIsotonic ? fitIsotonic(margin, label) : fitPlatt(margin, label),
    candidates,
  };
}
