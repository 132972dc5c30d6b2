// `claimlens quality`: the data-quality report (checks, claims-to-EHR match, ledger variance) of the
// warehouse, opened read-only. A report, so it exits 0 even when checks fail, unless --fail-on says otherwise.
import type { Command } from 'commander';
import { Warehouse } from '../../engine/duckdb.ts';
import { redactUrl } from '../../engine/engine.ts';
import { ClaimlensError, UsageError } from '../../errors.ts';
import {
  atOrAbove,
  type CheckResult,
  type QualityReport,
  runQualityChecks,
  type Severity,
  summarize,
} from '../../services/quality.ts';
import { contextFrom } from '../context.ts';
import { formatMoney, formatPct, formatTable, Progress } from '../output.ts';

interface QualityCliOptions {
  json?: boolean;
  severity?: string;
  failOn?: string;
}

const LEVELS = ['error', 'warning'] as const;

function level(option: string, value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  if (!(LEVELS as readonly string[]).includes(value)) {
    throw new UsageError(`${option} must be one of ${LEVELS.join(', ')}, not '${value}'`);
  }
  return value as Severity;
}

const STATUS_ORDER = { fail: 0, pass: 1, skipped: 2 } as const;
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Failures first, worst first; the declared order otherwise (Array.prototype.sort is stable). */
function reportOrder(checks: CheckResult[]): CheckResult[] {
  return [...checks].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

function checksTable(sorted: CheckResult[]): string {
  const rows = sorted.map((c) => ({
    severity: c.severity,
    check: c.check_id,
    table: c.table,
    failing: c.failing_rows,
    checked: c.checked_rows,
    'failing %': c.status === 'skipped' ? '' : formatPct(c.failing_pct, 2),
    status: c.status,
    examples:
      c.examples.slice(0, 3).join(', ') +
      (c.failing_rows > 3 && c.examples.length > 0
        ? ` (+${c.failing_rows - Math.min(3, c.examples.length)} more)`
        : ''),
  }));
  return formatTable(rows);
}

function renderText(report: QualityReport, shown: CheckResult[]): string {
  const s = summarize(shown);
  const out: string[] = [];
  out.push(
    `Data quality: ${s.checks} checks, ${s.passed} pass, ${s.failed} fail (${s.failed_errors} error, ${s.failed_warnings} warning), ${s.skipped} skipped`,
    '',
    checksTable(reportOrder(shown)),
  );
  const skipped = reportOrder(shown).filter((c) => c.status === 'skipped');
  if (skipped.length > 0) {
    out.push('', 'Skipped:');
    for (const c of skipped) out.push(`  ${c.check_id}: ${c.skip_reason}`);
  }

  const ehr = report.ehr_match;
  out.push('', 'Claims to EHR match (person and service date)');
  if (ehr.status === 'skipped') {
    out.push(`  skipped: ${ehr.reason}`);
  } else {
    out.push(`  over the ${ehr.months_compared} month(s) both sources cover`);
    out.push(
      formatTable(
        ehr.overall.map((r) => ({
          claim_type: r.claim_type,
          claims: r.claims,
          matched: r.claims_matched,
          'claims matched %': formatPct(r.claim_match_rate),
          encounters: r.encounters,
          'with claim': r.encounters_matched,
          'encounters matched %': formatPct(r.encounter_match_rate),
        })),
      ),
    );
  }

  const ledger = report.ledger_variance;
  out.push('', 'Ledger variance: (ledger - claims) / claims');
  if (ledger.status === 'skipped' || !ledger.overall) {
    out.push(`  skipped: ${ledger.reason}`);
  } else {
    out.push(`  basis: ${ledger.basis}`);
    const money = (v: number) => formatMoney(v);
    out.push(
      formatTable(
        [...ledger.by_month, ledger.overall].map((r) => ({
          month: r.month?.slice(0, 7) ?? 'overall',
          'claims paid': money(r.claims_paid),
          'ledger payer payments': money(r.ledger_payer_payments),
          variance: money(r.variance_amount),
          'variance %': formatPct(r.variance_pct),
        })),
      ),
    );
  }
  return out.join('\n');
}

export function register(program: Command): void {
  program
    .command('quality')
    .description(
      'check the loaded data (structural, logical, referential and code-set checks), the claims-to-EHR match rate and the variance against the finance ledger',
    )
    .option('--json', 'print the report as JSON')
    .option('--severity <level>', 'show only checks of this severity or worse: error or warning')
    .option('--fail-on <level>', 'exit 1 when a check of this severity or worse fails: error or warning')
    .action(async (opts: QualityCliOptions, cmd: Command) => {
      const severity = level('--severity', opts.severity);
      const failOn = level('--fail-on', opts.failOn);
      const ctx = contextFrom(cmd);
      const progress = new Progress(ctx.quiet || opts.json === true);
      const wh = await Warehouse.open(ctx.config.warehouse, {
        readOnly: true,
        threads: ctx.config.threads,
        memoryLimit: ctx.config.memoryLimit,
      });
      let report: QualityReport;
      try {
        progress.step(`checking ${redactUrl(ctx.config.warehouse)}`);
        report = await runQualityChecks(wh);
        progress.step('done');
      } finally {
        await wh.close();
      }
      const shown = severity ? atOrAbove(report.checks, severity) : report.checks;
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ ...report, summary: summarize(shown), checks: shown }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(`${renderText(report, shown)}\n`);
      }
      if (failOn) {
        const failed = atOrAbove(report.checks, failOn).filter((c) => c.status === 'fail');
        if (failed.length > 0) {
          throw new ClaimlensError(
            'quality',
            `quality gate: ${failed.length} check(s) of severity ${failOn} or worse failed (${failed
              .map((c) => c.check_id)
              .join(', ')}); see the report above`,
          );
        }
      }
    });
}
