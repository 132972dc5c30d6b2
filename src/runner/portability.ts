// The portable SQL subset of the models (docs/sql-portability.md) as a checker: constructs that
// one engine has and another lacks, found in a model's SQL with its comments and strings blanked,
// each reported with the line and the portable way to write it.
import type { Model } from './model.ts';
import { blankCommentsAndStrings, lineAt } from './sqltext.ts';

export interface PortabilityRule {
  id: string;
  pattern: RegExp;
  /** What to write instead. */
  instead: string;
}

export interface PortabilityFinding {
  model: string;
  file: string;
  line: number;
  rule: string;
  text: string;
  instead: string;
}

const WORD = (w: string) => new RegExp(`\\b${w}\\b`, 'gi');
const CALL = (f: string) => new RegExp(`\\b${f}\\s*\\(`, 'gi');

/**
 * What falls outside the subset. DuckDB-only syntax first, then functions PostgreSQL lacks and the
 * compatibility schema does not supply (src/engine/postgres/compat.ts lists the ones it does).
 */
export const PORTABILITY_RULES: readonly PortabilityRule[] = [
  { id: 'qualify', pattern: WORD('QUALIFY'), instead: 'a subquery with row_number() and WHERE' },
  {
    id: 'group-by-all',
    pattern: /\b(GROUP|ORDER)\s+BY\s+ALL\b/gi,
    instead: 'list the columns (or their positions) explicitly',
  },
  {
    id: 'create-or-replace',
    pattern: /\bCREATE\s+OR\s+REPLACE\b/gi,
    instead: 'a plain SELECT (the runner creates the relation)',
  },
  { id: 'star-modifier', pattern: /\*\s*(EXCLUDE|REPLACE|RENAME)\s*\(/gi, instead: 'list the columns' },
  { id: 'columns-expression', pattern: CALL('COLUMNS'), instead: 'list the columns' },
  {
    id: 'pivot',
    pattern: /\b(UN)?PIVOT\b/gi,
    instead: 'CROSS JOIN LATERAL (VALUES (a), (b), ...) AS u(x) for UNPIVOT; CASE aggregates for PIVOT',
  },
  {
    id: 'asof-join',
    pattern: WORD('ASOF'),
    instead: 'a join on the inequality with row_number() picking the nearest row',
  },
  { id: 'positional-join', pattern: WORD('POSITIONAL'), instead: 'a join on a row number' },
  { id: 'semi-anti-join', pattern: /\b(SEMI|ANTI)\s+JOIN\b/gi, instead: 'EXISTS / NOT EXISTS' },
  { id: 'cast-operator', pattern: /::/g, instead: 'CAST(x AS type)' },
  {
    id: 'unquoted-interval',
    pattern: /\bINTERVAL\s+\d/gi,
    instead: "a quoted interval: INTERVAL '1 day', INTERVAL '1 year'",
  },
  { id: 'struct-literal', pattern: /\{/g, instead: 'separate columns (no STRUCT values)' },
  { id: 'list-literal', pattern: /\[/g, instead: 'rows, not LIST values or subscripts' },
  { id: 'lambda', pattern: /->/g, instead: 'set-based SQL (no lambda functions)' },
  {
    id: 'integer-division-operator',
    pattern: /\/\//g,
    instead: 'floor(a / b) (`/` is floating-point division on every engine)',
  },
  { id: 'double-type', pattern: /\bDOUBLE\b(?!\s+PRECISION)/gi, instead: 'DOUBLE PRECISION' },
  {
    id: 'duckdb-type',
    pattern: /\b(HUGEINT|UHUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|TINYINT|STRUCT)\s*[(,)]/gi,
    instead: 'SMALLINT, INTEGER, BIGINT, DECIMAL(p,s), DOUBLE PRECISION, VARCHAR, DATE, TIMESTAMP, BOOLEAN',
  },
  { id: 'count-if', pattern: CALL('count_if'), instead: 'count(*) FILTER (WHERE ...)' },
  { id: 'median', pattern: CALL('median'), instead: 'percentile_cont(0.5) WITHIN GROUP (ORDER BY x)' },
  {
    id: 'quantile',
    pattern: /\bquantile(_cont|_disc)?\s*\(/gi,
    instead: 'percentile_cont(q) / percentile_disc(q) WITHIN GROUP (ORDER BY x)',
  },
  { id: 'mode-argument', pattern: /\bmode\s*\(\s*[^)\s]/gi, instead: 'mode() WITHIN GROUP (ORDER BY x)' },
  { id: 'list-function', pattern: /\b(list|array)_\w+\s*\(/gi, instead: 'set-based SQL (no LIST functions)' },
  { id: 'struct-function', pattern: /\bstruct_\w+\s*\(/gi, instead: 'separate columns' },
  {
    id: 'unnest',
    pattern: CALL('unnest'),
    instead: 'CROSS JOIN LATERAL generate_series(...) or (VALUES ...)',
  },
  {
    id: 'regexp-function',
    pattern: /\bregexp_\w+\s*\(/gi,
    instead: "x ~ '^pattern$' (anchored, so full and partial match agree), LIKE, or left()/substr()",
  },
  {
    id: 'string-split',
    pattern: /\b(string_split\w*|str_split\w*|split_part)\s*\(/gi,
    instead: 'left(), substr(), position()',
  },
  { id: 'try-cast', pattern: CALL('try_cast'), instead: 'CAST after a CASE that checks the text' },
  { id: 'strptime', pattern: /\b(try_)?strptime\s*\(/gi, instead: 'CAST(x AS DATE) on ISO text' },
  { id: 'ifnull', pattern: /\b(ifnull|nvl|iff)\s*\(/gi, instead: 'coalesce() / CASE' },
  {
    id: 'first-last',
    pattern: /\b(first|last|any_value|arbitrary)\s*\(/gi,
    instead: 'min()/max(), or arg_min/arg_max with an ordering key',
  },
  {
    id: 'by-aggregate',
    pattern: /\b(max_by|min_by|arg_min_null|arg_max_null)\s*\(/gi,
    instead: 'arg_min(value, key) / arg_max(value, key)',
  },
  {
    id: 'epoch',
    pattern: /\bepoch(_ms|_us|_ns)?\s*\(/gi,
    instead: "date arithmetic: b - a (days), date_diff('day', a, b)",
  },
  {
    id: 'datediff',
    pattern: /\b(datediff|date_sub|date_add|datesub|dateadd)\s*\(/gi,
    instead: "date_diff('day', a, b), b - a, a + INTERVAL '1 month'",
  },
  {
    id: 'hash',
    pattern: /\b(hash|md5_number\w*|sha256)\s*\(/gi,
    instead: 'md5(text) (hex text on every engine)',
  },
  {
    id: 'today',
    pattern: /\b(today|now|current_date|current_timestamp|get_current_time\w*)\b/gi,
    instead: 'a date from the data (models are reproducible, never clock-dependent)',
  },
  {
    id: 'random',
    pattern: /\b(random|uuid|gen_random_uuid|setseed)\s*\(/gi,
    instead: 'nothing random in models: derive values from the data',
  },
  { id: 'range-function', pattern: CALL('range'), instead: 'generate_series(a, b) (integers)' },
];

/** Every construct of `model` outside the portable subset, with its line in the model file. */
export function checkPortability(model: Pick<Model, 'id' | 'file' | 'sql'>): PortabilityFinding[] {
  const blanked = blankCommentsAndStrings(model.sql);
  const findings: PortabilityFinding[] = [];
  for (const rule of PORTABILITY_RULES) {
    for (const m of blanked.matchAll(rule.pattern)) {
      findings.push({
        model: model.id,
        file: model.file,
        line: lineAt(blanked, m.index),
        rule: rule.id,
        text: m[0],
        instead: rule.instead,
      });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

export function formatFinding(f: PortabilityFinding): string {
  return `${f.file}:${f.line}: ${f.rule}: \`${f.text.trim()}\` is outside the portable SQL subset; write ${f.instead} (docs/sql-portability.md)`;
}
