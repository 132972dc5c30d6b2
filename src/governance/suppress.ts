// Small-cell suppression (CMS cell size suppression policy: no cell of 1 to 10 is shown) with
// complementary suppression inside a table, so a hidden cell cannot be recomputed from totals.
import type { Row } from '../engine/duckdb.ts';

export type SuppressionReason = 'small_cell' | 'complementary' | 'derived';

export interface SuppressionRules {
  /** Columns holding counts (of members, member months, claims, services). */
  countColumns: readonly string[];
  /**
   * Columns computed from a row's counts (amounts, rates, shares), hidden with them: one list for any
   * suppressed count, or a list per count column. Default: every other numeric column of the row.
   */
  derived?: readonly string[] | Readonly<Record<string, readonly string[]>>;
  /** Rows with equal values here add up to a subtotal: each group gets its own complementary cell. */
  groupBy?: readonly string[];
  /** Metric/value tables: whether this row's cell in `column` is a count; no complementary step then. */
  countCell?: (row: Row, column: string) => boolean;
}

export interface SuppressedCell {
  row: number;
  column: string;
  reason: SuppressionReason;
}

export interface Suppressed {
  /** Copies of the rows: suppressed cells null, and `suppressed` listing them on rows that have any. */
  rows: Row[];
  cells: SuppressedCell[];
}

/**
 * Column names that are counts whatever a section declares: a fail-closed sweep, so a new domain that
 * forgets to declare `countColumns` still shows no count of 1 to 10 to an aggregate-only role.
 */
export const COUNT_NAME =
  /^(n|count|.+_count|n_.+|(.+_)?(members|member_months|persons|patients|people|enrollees|beneficiaries|claims|claim_lines|lines|encounters|admissions|discharges|readmissions|stays|visits|fills|services|cases|deaths))$/;

/** Whether a value is a small count: more than 0 and less than `max + 1` (fractional counts included). */
export function isSmall(v: unknown, max: number): boolean {
  return typeof v === 'number' && v > 0 && v < max + 1;
}

/**
 * Suppresses counts from 1 to `max` in a table, then, in every group (and the whole table) where a
 * column has exactly one hidden cell, the smallest other positive count of that column (repeated until
 * stable), then the derived columns of each row with a hidden count.
 *
 * @example suppressRows([{ plan: 'A', members: 4 }, { plan: 'B', members: 40 }, { plan: 'C', members: 90 }], { countColumns: ['members'] }, 10)
 * // members of A (small cell) and of B (complementary) become null
 */
export function suppressRows(rows: readonly Row[], rules: SuppressionRules, max: number): Suppressed {
  const marks = rows.map(() => new Map<string, SuppressionReason>());
  const isCount = (row: Row, col: string) =>
    rules.countCell ? rules.countCell(row, col) : rules.countColumns.includes(col);
  rows.forEach((row, i) => {
    for (const col of rules.countColumns) {
      if (isCount(row, col) && isSmall(row[col], max)) marks[i]!.set(col, 'small_cell');
    }
  });
  if (!rules.countCell) complementary(rows, rules, marks);
  rows.forEach((row, i) => {
    const hidden = [...marks[i]!.keys()].filter((c) => rules.countColumns.includes(c));
    if (hidden.length === 0) return;
    for (const col of derivedOf(row, rules, hidden)) {
      if (!marks[i]!.has(col)) marks[i]!.set(col, 'derived');
    }
  });
  const cells: SuppressedCell[] = [];
  const out = rows.map((row, i) => {
    const m = marks[i]!;
    if (m.size === 0) return { ...row };
    const copy: Row = { ...row };
    for (const [column, reason] of m) {
      copy[column] = null;
      cells.push({ row: i, column, reason });
    }
    copy.suppressed = [...m.keys()];
    return copy;
  });
  return { rows: out, cells };
}

function groupsOf(rows: readonly Row[], groupBy: readonly string[] | undefined): number[][] {
  const all = rows.map((_, i) => i);
  if (!groupBy || groupBy.length === 0) return [all];
  const byKey = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = JSON.stringify(groupBy.map((g) => row[g] ?? null));
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  // Subgroups first: their complementary cells often cover the whole table's need as well.
  return [...byKey.values(), all];
}

function complementary(
  rows: readonly Row[],
  rules: SuppressionRules,
  marks: Map<string, SuppressionReason>[],
) {
  const groups = groupsOf(rows, rules.groupBy);
  for (const col of rules.countColumns) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const group of groups) {
        const hidden = group.filter((i) => marks[i]!.has(col));
        if (hidden.length !== 1) continue;
        let pick: number | undefined;
        for (const i of group) {
          const v = rows[i]![col];
          if (marks[i]!.has(col) || typeof v !== 'number' || v <= 0) continue;
          if (pick === undefined || v < (rows[pick]![col] as number)) pick = i;
        }
        if (pick !== undefined) {
          marks[pick]!.set(col, 'complementary');
          changed = true;
        }
      }
    }
  }
}

function derivedOf(row: Row, rules: SuppressionRules, hidden: readonly string[]): string[] {
  const d = rules.derived;
  if (d === undefined) {
    const keep = new Set([...rules.countColumns, ...(rules.groupBy ?? [])]);
    return Object.keys(row).filter((k) => !keep.has(k) && typeof row[k] === 'number');
  }
  if (Array.isArray(d)) return [...d];
  const perCount = d as Readonly<Record<string, readonly string[]>>;
  return hidden.flatMap((c) => perCount[c] ?? []);
}
