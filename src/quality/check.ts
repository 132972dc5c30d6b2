// The shape of a data-quality check and its result, plus SQL helpers the declarative list in
// checks.ts is written with. A check is plain data (ids, words, SQL), so docs and tests derive from it.
import { CODES_SCHEMA } from '../codesets/registry.ts';
import { INPUT_SCHEMA, INPUT_TABLES, type InputTableName } from '../input/contract.ts';
import type { Capability } from '../sources/adapter.ts';

export type Severity = 'error' | 'warning' | 'info';
export type Category = 'structural' | 'logical' | 'referential' | 'codeset' | 'reconciliation';
export type CheckStatus = 'pass' | 'fail' | 'skipped';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Code sets the checks read from schema `codes` (built by src/codesets). */
export type CodeSetName =
  | 'icd10cm'
  | 'place_of_service'
  | 'bill_type'
  | 'revenue_center'
  | 'ms_drg'
  | 'discharge_disposition'
  | 'carc'
  | 'hcpcs_level2';

export interface QualityCheck {
  id: string;
  /** Input table whose rows are counted (and whose lines the examples point to). */
  table: InputTableName;
  severity: Severity;
  category: Category;
  /** What one counted unit is, when it is not a row of `table` (for example `claim`). */
  unit?: string;
  description: string;
  /** What to do when the check fails. */
  action: string;
  /** Where the rule comes from. */
  source: string;
  /**
   * Other input tables the check compares against. When one is not loaded or has no rows the
   * check is skipped: an optional file that was not given is not a data error.
   */
  references?: InputTableName[];
  /** Code sets read from the `codes` schema; a missing one skips the check. */
  codesets?: CodeSetName[];
  /**
   * Facts the rule is about (src/sources/adapter.ts CAPABILITIES); when the loaded source declares it
   * lacks one, the check is skipped with the source's reason instead of failing on every row.
   */
  needs?: Capability[];
  /** SELECT returning one row per failing unit, with `_source_file` and `_source_line` of an example row. */
  failing: string;
  /** SELECT returning one row with the count of units checked (the denominator). */
  checked: string;
  /**
   * CTE definitions (`name AS (...)`, comma separated) that `failing` and `checked` may both read,
   * so work they share (a join, an aggregate) runs once.
   */
  shared?: string;
}

export interface CheckResult {
  check_id: string;
  table: InputTableName;
  severity: Severity;
  category: Category;
  unit: string;
  description: string;
  action: string;
  failing_rows: number;
  checked_rows: number;
  /** failing_rows / checked_rows; null when nothing was checked. */
  failing_pct: number | null;
  status: CheckStatus;
  /** Why a skipped check did not run. */
  skip_reason: string | null;
  /** Up to 5 failing locations as `_source_file:_source_line`, in file and line order. */
  examples: string[];
}

/** `input.<table>` for every table of the contract. */
export const T = Object.fromEntries(INPUT_TABLES.map((s) => [s.name, `${INPUT_SCHEMA}.${s.name}`])) as Record<
  InputTableName,
  string
>;

/** `codes.<name>` of a code set. */
export function codes(name: CodeSetName): string {
  return `${CODES_SCHEMA}.${name}`;
}

/**
 * The failing and checked SQL of a row-level rule: rows of `table` in `scope` that match `where`.
 * Rows where `where` is NULL (a compared value missing) do not fail, so `scope` should hold the
 * not-null conditions that make the rule decidable; the alias of the table is `r`.
 *
 * @example rowRule('medical_claim', 'r.paid_amount > r.allowed_amount', 'r.allowed_amount IS NOT NULL')
 */
export function rowRule(
  table: InputTableName,
  where: string,
  scope = 'TRUE',
): Pick<QualityCheck, 'failing' | 'checked'> {
  return {
    failing: `SELECT r._source_file, r._source_line FROM ${T[table]} AS r WHERE (${scope}) AND (${where})`,
    checked: `SELECT count(*) FROM ${T[table]} AS r WHERE ${scope}`,
  };
}

/**
 * A code-set membership rule: rows whose `column` (normalized by `normalize`, applied to both
 * sides) is not a code of `codeset`.
 */
export function codesetRule(
  table: InputTableName,
  column: string,
  codeset: CodeSetName,
  options: { normalize?: (expr: string) => string; scope?: string } = {},
): Pick<QualityCheck, 'failing' | 'checked' | 'codesets'> {
  const norm = options.normalize ?? ((e: string) => `upper(trim(${e}))`);
  const scope = `r.${column} IS NOT NULL${options.scope ? ` AND (${options.scope})` : ''}`;
  return {
    codesets: [codeset],
    ...rowRule(
      table,
      `NOT EXISTS (SELECT 1 FROM ${codes(codeset)} AS c WHERE ${norm('c.code')} = ${norm(`r.${column}`)})`,
      scope,
    ),
  };
}
