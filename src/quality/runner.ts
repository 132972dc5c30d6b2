// Runs quality checks against a warehouse: one SELECT per check (failing count, checked count and
// five example locations together), skipping checks whose tables or code sets are not there.

import { CODES_SCHEMA } from '../codesets/registry.ts';
import { ident, type Warehouse } from '../engine/duckdb.ts';
import { onSessions } from '../engine/sessions.ts';
import { INPUT_SCHEMA } from '../input/contract.ts';
import { bookParallelism } from '../runner/concurrency.ts';
import { sourceGaps } from '../services/capabilities.ts';
import type { SourceGap } from '../sources/adapter.ts';
import type { CheckResult, QualityCheck } from './check.ts';
import { QUALITY_CHECKS } from './checks.ts';

export const EXAMPLE_LIMIT = 5;

type TableState = 'missing' | 'empty' | 'rows';

/** Remembers which tables exist and have rows, so the ~50 checks ask each table once. */
export class TableProbe {
  private readonly states = new Map<string, Promise<TableState>>();

  private sourceGapList: Promise<SourceGap[]> | undefined;

  constructor(private readonly wh: Warehouse) {}

  /** What the loaded source does not carry (input.source_gap), read once. */
  gaps(): Promise<SourceGap[]> {
    this.sourceGapList ??= sourceGaps(this.wh);
    return this.sourceGapList;
  }

  state(schema: string, table: string): Promise<TableState> {
    const key = `${schema}.${table}`;
    let state = this.states.get(key);
    if (!state) {
      state = this.look(schema, table);
      this.states.set(key, state);
    }
    return state;
  }

  private async look(schema: string, table: string): Promise<TableState> {
    if (!(await this.wh.tableExists(schema, table))) return 'missing';
    const row = await this.wh.one(`SELECT 1 AS x FROM ${ident(schema)}.${ident(table)} LIMIT 1`);
    return row ? 'rows' : 'empty';
  }
}

/** Why the check cannot run here, or null when everything it reads is present. */
async function skipReason(check: QualityCheck, probe: TableProbe): Promise<string | null> {
  if ((await probe.state(INPUT_SCHEMA, check.table)) === 'missing') {
    return `${INPUT_SCHEMA}.${check.table} is not loaded`;
  }
  for (const ref of check.references ?? []) {
    const state = await probe.state(INPUT_SCHEMA, ref);
    if (state !== 'rows') {
      return `${INPUT_SCHEMA}.${ref} is ${state === 'missing' ? 'not loaded' : 'empty'}, nothing to compare with`;
    }
  }
  if (check.needs?.length) {
    // A rule about a fact the source never carries would fail on every row and say nothing.
    const gap = (await probe.gaps()).find((g) => check.needs!.includes(g.capability));
    if (gap) return `the source does not carry ${gap.capability.replaceAll('_', ' ')}: ${gap.reason}`;
  }
  for (const set of check.codesets ?? []) {
    // An empty code set (an optional file not shipped) would make every code look unknown.
    const state = await probe.state(CODES_SCHEMA, set);
    if (state !== 'rows') {
      return `code set ${CODES_SCHEMA}.${set} is ${state === 'missing' ? 'not installed' : 'empty'}`;
    }
  }
  return null;
}

function checkSql(check: QualityCheck): string {
  return `WITH ${check.shared ? `${check.shared},\n` : ''}failing AS MATERIALIZED (
${check.failing}
), examples AS (
  SELECT _source_file, _source_line FROM failing ORDER BY _source_file, _source_line LIMIT ${EXAMPLE_LIMIT}
)
SELECT 0 AS k, (SELECT count(*) FROM failing) AS failing_rows, (${check.checked}) AS checked_rows,
       CAST(NULL AS VARCHAR) AS source_file, CAST(NULL AS BIGINT) AS source_line
UNION ALL
SELECT 1, NULL, NULL, _source_file, _source_line FROM examples
ORDER BY k, source_file, source_line`;
}

interface CheckRow {
  k: number;
  failing_rows: number | null;
  checked_rows: number | null;
  source_file: string | null;
  source_line: number | null;
}

function result(
  check: QualityCheck,
  counts: { failing: number; checked: number; examples: string[] },
  skip: string | null,
): CheckResult {
  const status = skip ? 'skipped' : counts.failing > 0 ? 'fail' : 'pass';
  return {
    check_id: check.id,
    table: check.table,
    severity: check.severity,
    category: check.category,
    unit: check.unit ?? 'row',
    description: check.description,
    action: check.action,
    failing_rows: counts.failing,
    checked_rows: counts.checked,
    failing_pct: counts.checked > 0 ? counts.failing / counts.checked : null,
    status,
    skip_reason: skip,
    examples: counts.examples,
  };
}

/** Runs one check; SELECT-only, so it works on a read-only warehouse. */
export async function runCheck(
  wh: Warehouse,
  check: QualityCheck,
  probe: TableProbe = new TableProbe(wh),
): Promise<CheckResult> {
  const skip = await skipReason(check, probe);
  if (skip) return result(check, { failing: 0, checked: 0, examples: [] }, skip);
  return countCheck(wh, check);
}

/** The check's query: failing and checked counts plus example locations. */
async function countCheck(wh: Warehouse, check: QualityCheck): Promise<CheckResult> {
  let rows: CheckRow[];
  try {
    rows = await wh.all<CheckRow>(checkSql(check));
  } catch (err) {
    // Code-set tables come from another build step; a table of an unexpected shape skips the
    // check with the engine's message instead of losing the whole report. Our own SQL must not fail.
    if (!check.codesets?.length) throw err;
    const sets = check.codesets.map((s) => `${CODES_SCHEMA}.${s}`).join(', ');
    return result(
      check,
      { failing: 0, checked: 0, examples: [] },
      `could not read ${sets}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const head = rows[0]!;
  const failing = head.failing_rows ?? 0;
  const checked = head.checked_rows ?? 0;
  const examples = rows.slice(1).map((r) => `${r.source_file ?? '?'}:${r.source_line ?? '?'}`);
  if (checked === 0 && failing === 0)
    return result(check, { failing, checked, examples }, 'no rows to check');
  return result(check, { failing, checked, examples }, null);
}

/**
 * Runs checks and returns their results in the order given. Which checks apply is decided first
 * (one look per table); the checks' scans then run on sessions of the warehouse when the engine has
 * them, two at a time on a small book (bookParallelism), so one check's single-threaded steps overlap
 * another's scan.
 */
export async function runChecks(
  wh: Warehouse,
  checks: readonly QualityCheck[] = QUALITY_CHECKS,
): Promise<CheckResult[]> {
  const parallel = await bookParallelism(wh);
  const probe = new TableProbe(wh);
  const results: (CheckResult | undefined)[] = [];
  for (const check of checks) {
    const skip = await skipReason(check, probe);
    results.push(skip ? result(check, { failing: 0, checked: 0, examples: [] }, skip) : undefined);
  }
  const pending = checks.flatMap((_, i) => (results[i] ? [] : [i]));
  // Sessions only: the threads setting is the whole instance's, and a server may be answering
  // other requests on it (one thread per check measured no faster at 1M: 3.42-3.55 s against 3.55-3.62 s).
  await onSessions(wh, parallel.sessions, pending, async (session, i) => {
    results[i] = await countCheck(session, checks[i]!);
  });
  return results as CheckResult[];
}
