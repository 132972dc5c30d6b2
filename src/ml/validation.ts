// How rows are held out: stratified k-fold assignment and cross-validation, and time-based splits
// (train on earlier months, validate on the months after them, test on the latest), which is how
// a risk model is used: trained on the past, scoring the future.
import { ClaimlensError } from '../errors.ts';
import { type AucInterval, rocAuc } from './metrics.ts';
import { Random } from './random.ts';

/**
 * Fold (0..k-1) of every row, with each class spread evenly over the folds: rows of a class are
 * shuffled with `seed` and dealt round-robin, so fold sizes per class differ by at most one.
 */
export function stratifiedFolds(label: Float64Array, k: number, seed = 0): Uint8Array {
  if (!Number.isInteger(k) || k < 2 || k > 255) throw new Error(`folds must be 2..255 (got ${k})`);
  const fold = new Uint8Array(label.length);
  const rng = new Random(seed, 0xf01d);
  const values = [...new Set(label)].sort((a, b) => a - b);
  for (const v of values) {
    const rows = Uint32Array.from(
      label.reduce<number[]>((acc, y, i) => {
        if (y === v) acc.push(i);
        return acc;
      }, []),
    );
    rng.shuffle(rows);
    for (let i = 0; i < rows.length; i++) fold[rows[i]!] = i % k;
  }
  return fold;
}

/** Rows whose fold is (or is not) `k`. */
export function foldRows(fold: Uint8Array, k: number, inFold: boolean): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < fold.length; i++) if ((fold[i] === k) === inFold) out.push(i);
  return Uint32Array.from(out);
}

export interface CrossValidation {
  folds: number;
  /** AUC of each fold's held-out rows. */
  auc: number[];
  meanAuc: number;
  sdAuc: number;
}

/**
 * Stratified k-fold cross-validation of a scorer: `score(trainRows, testRows)` returns scores of the
 * test rows; each fold's AUC is reported with their mean and standard deviation.
 */
export async function crossValidate(
  label: Float64Array,
  k: number,
  seed: number,
  score: (train: Uint32Array, test: Uint32Array) => Promise<Float64Array>,
): Promise<CrossValidation> {
  const fold = stratifiedFolds(label, k, seed);
  const auc: number[] = [];
  for (let f = 0; f < k; f++) {
    const test = foldRows(fold, f, true);
    const scores = await score(foldRows(fold, f, false), test);
    const y = Float64Array.from(test, (i) => label[i]!);
    const r: AucInterval = rocAuc(scores, y);
    auc.push(r.auc);
  }
  const mean = auc.reduce((a, b) => a + b, 0) / k;
  const sd = Math.sqrt(auc.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1));
  return { folds: k, auc, meanAuc: mean, sdAuc: sd };
}

/** Month number (year * 12 + month - 1) of a day count since 1970-01-01. */
export function monthOf(day: number): number {
  const d = new Date(day * 86_400_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** First day (YYYY-MM-DD) of a month number. */
export function monthStart(month: number): string {
  const y = Math.floor(month / 12);
  const m = (month % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

export interface TimeSplitOptions {
  /** Share of the labeled months held out for the test, the latest ones (at least one month). */
  holdoutFraction?: number;
  /** Share of the remaining months, the latest of them, for validation (at least one month). */
  validationFraction?: number;
}

export interface TimeWindow {
  /** First and last month (YYYY-MM-DD of their first day) and their count. */
  from: string;
  to: string;
  months: number;
  rows: number;
}

export interface TimeSplit {
  train: Uint32Array;
  validation: Uint32Array;
  holdout: Uint32Array;
  windows: { train: TimeWindow; validation: TimeWindow; holdout: TimeWindow };
}

/**
 * Splits labeled rows by the month of their event date: the latest ~20% of months are the holdout,
 * the latest ~20% of the months before them validate (early stopping, calibration), the rest train.
 * Whole months go to one part, so no row of a test month is ever trained on.
 */
export function timeSplit(
  eventDay: Int32Array,
  rows: Uint32Array,
  options: TimeSplitOptions = {},
): TimeSplit {
  const holdoutFraction = options.holdoutFraction ?? 0.2;
  const validationFraction = options.validationFraction ?? 0.2;
  const monthOfRow = new Int32Array(rows.length);
  const months = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const m = monthOf(eventDay[rows[i]!]!);
    monthOfRow[i] = m;
    months.add(m);
  }
  const sorted = [...months].sort((a, b) => a - b);
  const M = sorted.length;
  const holdoutMonths = Math.max(1, Math.ceil(M * holdoutFraction));
  const windowMonths = M - holdoutMonths;
  const validationMonths = Math.max(1, Math.ceil(windowMonths * validationFraction));
  if (windowMonths - validationMonths < 1) {
    throw new ClaimlensError(
      'model',
      `labeled rows span ${M} month(s): a time split needs at least 3 (train, validation, holdout); widen the data window`,
    );
  }
  const validationFrom = sorted[windowMonths - validationMonths]!;
  const holdoutFrom = sorted[windowMonths]!;
  const parts: number[][] = [[], [], []];
  for (let i = 0; i < rows.length; i++) {
    const m = monthOfRow[i]!;
    parts[m >= holdoutFrom ? 2 : m >= validationFrom ? 1 : 0]!.push(rows[i]!);
  }
  const window = (lo: number, hi: number, part: number[]): TimeWindow => ({
    from: monthStart(sorted[lo]!),
    to: monthStart(sorted[hi]!),
    months: hi - lo + 1,
    rows: part.length,
  });
  return {
    train: Uint32Array.from(parts[0]!),
    validation: Uint32Array.from(parts[1]!),
    holdout: Uint32Array.from(parts[2]!),
    windows: {
      train: window(0, windowMonths - validationMonths - 1, parts[0]!),
      validation: window(windowMonths - validationMonths, windowMonths - 1, parts[1]!),
      holdout: window(windowMonths, M - 1, parts[2]!),
    },
  };
}
