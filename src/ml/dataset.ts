// Feature data as typed columns: numeric features as Float64Array (NaN = missing), categorical ones
// as Int32Array codes into a level list (-1 = missing). Every trainer and scorer reads this shape.

export interface NumericColumn {
  kind: 'numeric';
  name: string;
  /** One value per row; NaN marks a missing value. */
  values: Float64Array;
}

export interface CategoricalColumn {
  kind: 'categorical';
  name: string;
  /** One code per row into `levels`; -1 marks a missing value. */
  codes: Int32Array;
  levels: string[];
}

export type FeatureColumn = NumericColumn | CategoricalColumn;

export interface Dataset {
  rows: number;
  features: FeatureColumn[];
}

/** A dataset from columns, checking that every column has the same length. */
export function dataset(features: FeatureColumn[]): Dataset {
  const rows = features.length === 0 ? 0 : columnLength(features[0]!);
  for (const f of features) {
    if (columnLength(f) !== rows) {
      throw new Error(`feature ${f.name} has ${columnLength(f)} rows, expected ${rows}`);
    }
  }
  return { rows, features };
}

function columnLength(f: FeatureColumn): number {
  return f.kind === 'numeric' ? f.values.length : f.codes.length;
}

/** A numeric column; `null`/`undefined` become missing. */
export function numeric(name: string, values: ArrayLike<number | null | undefined>): NumericColumn {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? Number.NaN : v;
  }
  return { kind: 'numeric', name, values: out };
}

/** A categorical column from strings; levels in order of first appearance, `null` = missing. */
export function categorical(name: string, values: ArrayLike<string | null | undefined>): CategoricalColumn {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = levels.length;
      levels.push(v);
      index.set(v, c);
    }
    codes[i] = c;
  }
  return { kind: 'categorical', name, codes, levels };
}

/** The rows `idx` of a dataset, in that order (levels are shared, codes copied). */
export function takeRows(ds: Dataset, idx: Uint32Array): Dataset {
  const features = ds.features.map((f): FeatureColumn => {
    if (f.kind === 'numeric') {
      const values = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) values[i] = f.values[idx[i]!]!;
      return { kind: 'numeric', name: f.name, values };
    }
    const codes = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) codes[i] = f.codes[idx[i]!]!;
    return { kind: 'categorical', name: f.name, codes, levels: f.levels };
  });
  return { rows: idx.length, features };
}

/** Gathers `values[idx]`. */
export function take(values: Float64Array, idx: Uint32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = values[idx[i]!]!;
  return out;
}

/** The value of feature `f` at row `r` as shown to people: a number, a level, or null when missing. */
export function displayValue(f: FeatureColumn, r: number): number | string | null {
  if (f.kind === 'numeric') {
    const v = f.values[r]!;
    return Number.isNaN(v) ? null : v;
  }
  const c = f.codes[r]!;
  return c < 0 ? null : f.levels[c]!;
}
