// Data-quality service: runs the checks and reconciliations into one typed report (read-only), and
// writes the quality marts as a build hook. The CLI, API and dashboard all call these functions.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Warehouse } from '../engine/duckdb.ts';
import { type CheckResult, type QualityCheck, SEVERITIES, type Severity } from '../quality/check.ts';
import { QUALITY_CHECKS } from '../quality/checks.ts';
import {
  columnList,
  createMartSql,
  MARTS_SCHEMA,
  type MartSpec,
  martTable,
  QUALITY_CHECK_RESULT,
  QUALITY_EHR_MATCH,
  QUALITY_LEDGER_VARIANCE,
} from '../quality/marts.ts';
import {
  type EhrMatchReport,
  ehrMatch,
  LEDGER_VARIANCE_SQL,
  type LedgerVarianceReport,
  ledgerVariance,
} from '../quality/reconcile.ts';
import { runChecks, TableProbe } from '../quality/runner.ts';

export type { CheckResult, QualityCheck, Severity } from '../quality/check.ts';
export type {
  EhrMatchReport,
  EhrMatchRow,
  LedgerVarianceReport,
  LedgerVarianceRow,
} from '../quality/reconcile.ts';

export interface QualitySummary {
  checks: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Failed checks by severity. */
  failed_errors: number;
  failed_warnings: number;
  failed_info: number;
}

export interface QualityReport {
  /** When the checks ran, ISO 8601 UTC. */
  generated_at: string;
  summary: QualitySummary;
  checks: CheckResult[];
  ehr_match: EhrMatchReport;
  ledger_variance: LedgerVarianceReport;
}

export interface QualityOptions {
  /** Checks to run; all of them by default. */
  checks?: readonly QualityCheck[];
}

export function summarize(checks: readonly CheckResult[]): QualitySummary {
  const failed = checks.filter((c) => c.status === 'fail');
  return {
    checks: checks.length,
    passed: checks.filter((c) => c.status === 'pass').length,
    failed: failed.length,
    skipped: checks.filter((c) => c.status === 'skipped').length,
    failed_errors: failed.filter((c) => c.severity === 'error').length,
    failed_warnings: failed.filter((c) => c.severity === 'warning').length,
    failed_info: failed.filter((c) => c.severity === 'info').length,
  };
}

/** Checks of `min` severity or worse (error is worst). */
export function atOrAbove(checks: readonly CheckResult[], min: Severity): CheckResult[] {
  const rank = SEVERITIES.indexOf(min);
  return checks.filter((c) => SEVERITIES.indexOf(c.severity) <= rank);
}

/**
 * Runs every quality check and both reconciliations. SELECT-only: works on a warehouse opened
 * read-only.
 *
 * @example const report = await runQualityChecks(wh); report.summary.failed_errors
 */
export async function runQualityChecks(wh: Warehouse, options: QualityOptions = {}): Promise<QualityReport> {
  const generatedAt = new Date().toISOString();
  const probe = new TableProbe(wh);
  const checks = await runChecks(wh, options.checks ?? QUALITY_CHECKS);
  const ehr = await ehrMatch(wh, probe);
  const ledger = await ledgerVariance(wh, probe);
  return {
    generated_at: generatedAt,
    summary: summarize(checks),
    checks,
    ehr_match: ehr,
    ledger_variance: ledger,
  };
}

async function recreate(wh: Warehouse, spec: MartSpec): Promise<void> {
  await wh.run(`DROP TABLE IF EXISTS ${martTable(spec)}`);
  await wh.run(createMartSql(spec));
}

/** Inserts report rows into a quality mart, each value cast to its column's declared type. */
async function insertRows(wh: Warehouse, spec: MartSpec, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const placeholders = `(${spec.columns.map((c) => `CAST(? AS ${c.sql})`).join(', ')})`;
  await wh.run(
    `INSERT INTO ${martTable(spec)} (${columnList(spec)}) VALUES ${rows.map(() => placeholders).join(', ')}`,
    rows.flatMap((row) =>
      spec.columns.map((c) => ((row as Record<string, unknown>)[c.name] ?? null) as DuckDBValue),
    ),
  );
}

function checkResultRows(report: QualityReport): object[] {
  const checkedAt = report.generated_at.replace('T', ' ').replace('Z', '');
  return report.checks.map((c) => ({
    check_id: c.check_id,
    table_name: c.table,
    severity: c.severity,
    category: c.category,
    unit: c.unit,
    description: c.description,
    action: c.action,
    failing_rows: c.failing_rows,
    checked_rows: c.checked_rows,
    failing_pct: c.failing_pct,
    status: c.status,
    skip_reason: c.skip_reason,
    examples: c.examples.join('; '),
    checked_at: checkedAt,
  }));
}

/**
 * Runs the report and writes marts.quality_check_result, marts.quality_ehr_match and
 * marts.quality_ledger_variance (replacing them): the check results and the EHR match from the
 * report's rows, the ledger variance (month x payer, with exact decimals) straight from SQL. The
 * reconciliation marts are left empty, not missing, when their inputs are absent, so readers can
 * always query them.
 * No transaction of its own: the build runs it on a staged copy that replaces the warehouse only
 * when the whole build succeeds (and a caller's open transaction would make a nested BEGIN fail).
 */
export async function materializeQuality(
  wh: Warehouse,
  options: QualityOptions = {},
): Promise<QualityReport> {
  const report = await runQualityChecks(wh, options);
  await wh.run(`CREATE SCHEMA IF NOT EXISTS ${MARTS_SCHEMA}`);
  for (const spec of [QUALITY_CHECK_RESULT, QUALITY_EHR_MATCH, QUALITY_LEDGER_VARIANCE]) {
    await recreate(wh, spec);
  }
  await insertRows(wh, QUALITY_CHECK_RESULT, checkResultRows(report));
  // The match rows the report already holds (months x 3 claim types), not a second run of its query.
  await insertRows(wh, QUALITY_EHR_MATCH, report.ehr_match.by_month);
  if (report.ledger_variance.status === 'ok') {
    const cols = columnList(QUALITY_LEDGER_VARIANCE);
    await wh.run(
      `INSERT INTO ${martTable(QUALITY_LEDGER_VARIANCE)} (${cols}) SELECT ${cols} FROM (${LEDGER_VARIANCE_SQL}) AS q`,
    );
  }
  return report;
}
