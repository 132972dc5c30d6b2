// Row-by-row comparison of the same tables in two warehouses (DuckDB and PostgreSQL): rows are
// matched on the table's grain key (all columns when it has none), integers, decimals (money),
// text, dates and booleans must be equal, doubles equal within a relative tolerance. Used by the
// differential test and the engine benchmark.

import { ident } from '../../src/engine/duckdb.ts';
import type { SqlWarehouse } from '../../src/engine/engine.ts';

/** Relative tolerance for DOUBLE columns: |a - b| <= tol * max(1, |a|, |b|). */
export const DOUBLE_TOLERANCE = 1e-9;

export interface CompareTable {
  /** `schema.table` */
  table: string;
  /** Grain columns that identify a row; empty for a one-row table. */
  grain: readonly string[];
  /** Columns not compared (e.g. a run timestamp). */
  ignore?: readonly string[];
}

export interface Difference {
  table: string;
  key: string;
  column: string;
  left: unknown;
  right: unknown;
}

export interface TableComparison {
  table: string;
  rows: number;
  columns: number;
  differences: Difference[];
}

type Row = Record<string, unknown>;

function keyOf(row: Row, grain: readonly string[]): string {
  return grain
    .map((g) => `${g}=${row[g] === null || row[g] === undefined ? 'NULL' : String(row[g])}`)
    .join(', ');
}

function equalValue(a: unknown, b: unknown, type: string): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    // DOUBLE/FLOAT are floating point on both engines; integers and DECIMAL (money) are exact.
    if (/^(DOUBLE|FLOAT|REAL)/.test(type)) {
      return Math.abs(a - b) <= DOUBLE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
    }
    return a === b;
  }
  return String(a) === String(b);
}

/**
 * Compares `table` in `left` and `right`. Column sets must match; every row of either side must
 * find its key on the other; each value must be equal (see the file header). The first
 * `maxDifferences` differences are returned, each naming the table, key, column and both values.
 */
export async function compareTable(
  left: SqlWarehouse,
  right: SqlWarehouse,
  spec: CompareTable,
  maxDifferences = 20,
): Promise<TableComparison> {
  const cols = await left.describe(`SELECT * FROM ${spec.table}`);
  const rightCols = await right.describe(`SELECT * FROM ${spec.table}`);
  const differences: Difference[] = [];
  const leftNames = cols.map((c) => c.name).join(', ');
  const rightNames = rightCols.map((c) => c.name).join(', ');
  if (leftNames !== rightNames) {
    differences.push({
      table: spec.table,
      key: '(columns)',
      column: '*',
      left: leftNames,
      right: rightNames,
    });
    return { table: spec.table, rows: 0, columns: cols.length, differences };
  }
  const grain = spec.grain.length > 0 ? spec.grain : [];
  const order = (grain.length > 0 ? grain : cols.map((c) => c.name)).map(ident).join(', ');
  const sql = `SELECT * FROM ${spec.table} ORDER BY ${order}`;
  const [a, b] = await Promise.all([left.all<Row>(sql), right.all<Row>(sql)]);
  const keyCols = grain.length > 0 ? grain : cols.map((c) => c.name);
  // Keys are compared as text, so both sides' rows are indexed rather than zipped: ORDER BY on text
  // follows each engine's collation, which need not agree.
  const index = (rows: Row[]) => {
    const m = new Map<string, Row[]>();
    for (const r of rows) {
      const k = keyOf(r, keyCols);
      const list = m.get(k);
      if (list) list.push(r);
      else m.set(k, [r]);
    }
    return m;
  };
  const ia = index(a);
  const ib = index(b);
  const add = (d: Difference) => {
    if (differences.length < maxDifferences) differences.push(d);
  };
  if (a.length !== b.length)
    add({ table: spec.table, key: '(row count)', column: '*', left: a.length, right: b.length });
  for (const [k, rowsA] of ia) {
    const rowsB = ib.get(k);
    if (!rowsB) {
      add({ table: spec.table, key: k, column: '(row)', left: 'present', right: 'missing' });
      continue;
    }
    // Without a grain, identical rows can repeat: counts must match.
    if (rowsA.length !== rowsB.length) {
      add({ table: spec.table, key: k, column: '(copies)', left: rowsA.length, right: rowsB.length });
      continue;
    }
    for (let i = 0; i < rowsA.length; i++) {
      const ra = rowsA[i]!;
      const rb = rowsB[i]!;
      for (const c of cols) {
        if (spec.ignore?.includes(c.name)) continue;
        if (!equalValue(ra[c.name], rb[c.name], c.type)) {
          add({ table: spec.table, key: k, column: c.name, left: ra[c.name], right: rb[c.name] });
        }
      }
    }
  }
  for (const k of ib.keys()) {
    if (!ia.has(k)) add({ table: spec.table, key: k, column: '(row)', left: 'missing', right: 'present' });
  }
  return { table: spec.table, rows: a.length, columns: cols.length, differences };
}

export function formatDifference(d: Difference, leftName = 'duckdb', rightName = 'postgres'): string {
  return `${d.table} [${d.key}] ${d.column}: ${leftName}=${JSON.stringify(d.left)} ${rightName}=${JSON.stringify(d.right)}`;
}
