// SQL expressions shared by the DE-SynPUF mappings. Source columns are text (staging.readSourceCsv);
// values the contract can check (dates, amounts, required codes) pass through as text so the loader
// quarantines a bad one with the record, while optional identifiers that fail their pattern are left
// empty and reported (a 9-digit NPI should not cost a paid claim line).
import { ident, literal } from '../../engine/duckdb.ts';

/** `PREFIX1, PREFIX2, ... PREFIXn` as quoted identifiers, for the numbered CMS columns. */
export function numberedCols(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, k) => ident(`${prefix}${k + 1}`));
}

/** Trimmed text, NULL when empty. */
export function text(column: string): string {
  return `nullif(trim(${ident(column)}), '')`;
}

/** A CMS date YYYYMMDD as YYYY-MM-DD; a value that is not such a date passes through for the loader to reject. */
export function cmsDate(column: string): string {
  const t = text(column);
  return `coalesce(strftime(try_strptime(${t}, '%Y%m%d'), '%Y-%m-%d'), ${t})`;
}

/** A CMS date as a DATE, NULL when missing or unreadable (for span arithmetic). */
export function cmsDateValue(column: string): string {
  return `CAST(try_strptime(${text(column)}, '%Y%m%d') AS DATE)`;
}

/** An amount as DECIMAL, NULL when missing or not a number (for sums of components). */
export function amount(column: string): string {
  return `TRY_CAST(${text(column)} AS DECIMAL(18,2))`;
}

/** Rounds a sum of amounts to cents as text. */
export function money(expr: string): string {
  return `CAST(CAST(${expr} AS DECIMAL(18,2)) AS VARCHAR)`;
}

/** The value when it matches `pattern` (after trim and upper-casing), else NULL. */
export function matching(expr: string, pattern: string): string {
  return `CASE WHEN regexp_full_match(upper(trim(${expr})), ${literal(pattern)}) THEN upper(trim(${expr})) END`;
}

export const NPI = '[0-9]{10}';
export const HCPCS = '[A-Z0-9]{5}';
export const DRG = '[0-9]{3}';

/** `data_source` of every row: the format and the source file. */
export function dataSource(fileColumn = '_file'): string {
  return `'desynpuf:' || ${fileColumn}`;
}
