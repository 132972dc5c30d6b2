// `claimlens load DIR`: loads a directory of input files into the warehouse and prints what was
// loaded and quarantined, per table and per rule.

import type { Command } from 'commander';
import type { Row } from '../../engine/duckdb.ts';
import { UsageError } from '../../errors.ts';
import { pseudonymizationFor } from '../../governance/pseudonymize.ts';
import { knownFormats } from '../../input/formats.ts';
import { type LoadMode, type LoadReport, loadDirectory } from '../../input/load.ts';
import { loadX12Directory, type X12LoadReport } from '../../sources/x12/load.ts';
import { contextFrom } from '../context.ts';
import { formatTable, Progress, printJson } from '../output.ts';

interface LoadCommandOptions {
  format: string;
  mode?: string;
  json?: boolean;
}

/** What the X12 reader found: transactions by kind, and every transaction it quarantined with file and segment. */
export function formatX12Report(r: X12LoadReport): string {
  const x = r.x12;
  const kinds = Object.entries(x.transactions)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const out = [
    `X12: ${x.files.length} files, transactions ${kinds || 'none'}; ${x.claims} claims, ${x.remittanceClaims} remittance claims, ${x.adjustments} adjustments`,
  ];
  for (const q of x.quarantined) out.push(`  quarantined: ${q.file} segment ${q.segment}: ${q.reason}`);
  for (const e of x.errors) out.push(`  error: ${e.describe()}`);
  for (const s of x.skipped) out.push(`  skipped: ${s.file} segment ${s.segment}: ${s.reason}`);
  return `${out.join('\n')}\n\n${formatLoadReport(r.load)}`;
}

/** The text report: counts per table, counts per rule, then warnings and ignored files. */
export function formatLoadReport(report: LoadReport): string {
  const tables: Row[] = report.tables.map((t) => ({
    table: t.table,
    files: t.files.length,
    read: t.rowsRead,
    loaded: t.rowsLoaded,
    quarantined: t.rowsQuarantined,
  }));
  const out = [
    `load ${report.loadId} (${report.mode}) from ${report.directory} in ${(report.elapsedMs / 1000).toFixed(1)}s`,
    '',
    formatTable(tables, ['table', 'files', 'read', 'loaded', 'quarantined']),
  ];
  const rules: Row[] = report.tables.flatMap((t) =>
    Object.entries(t.byRule).map(([rule, count]) => ({ table: t.table, rule, count })),
  );
  if (rules.length > 0) {
    out.push(
      '',
      'quarantined by rule (see input.quarantine):',
      formatTable(rules, ['table', 'rule', 'count']),
    );
  }
  const warnings = report.tables.flatMap((t) => t.warnings);
  if (warnings.length > 0) out.push('', 'warnings:', ...warnings.map((w) => `  ${w}`));
  if (report.ignored.length > 0) {
    out.push('', 'ignored:', ...report.ignored.map((i) => `  ${i.name}: ${i.reason}`));
  }
  if (report.absent.length > 0) out.push('', `no file for: ${report.absent.join(', ')}`);
  return out.join('\n');
}

export function register(program: Command): void {
  program
    .command('load')
    .description(
      'load a directory of input files (csv, csv.gz, parquet) into the warehouse, quarantining bad rows',
    )
    .argument('<dir>', 'directory holding <table>.csv files (eligibility.csv and medical_claim.csv at least)')
    .option('--format <format>', `source format: ${[...knownFormats(), 'x12'].join(', ')}`, 'auto')
    .option(
      '--mode <mode>',
      'replace (default; append for x12): replace each table found; append: add files, replacing rows from the same files',
    )
    .option('--json', 'print the load report as JSON')
    .action(async (dir: string, opts: LoadCommandOptions, cmd: Command) => {
      // X12 claims and remittances join the claims already loaded, so they append by default.
      opts.mode ??= opts.format === 'x12' ? 'append' : 'replace';
      if (opts.mode !== 'replace' && opts.mode !== 'append') {
        throw new UsageError(`--mode must be replace or append, not '${opts.mode}'`);
      }
      const ctx = contextFrom(cmd);
      const progress = new Progress(ctx.quiet || opts.json === true);
      const open = { threads: ctx.config.threads, memoryLimit: ctx.config.memoryLimit };
      const common = {
        mode: opts.mode as LoadMode,
        onProgress: (e: { message: string }) => progress.step(e.message),
        pseudonymize: pseudonymizationFor(ctx.config.governance),
      };
      if (opts.format === 'x12') {
        const x12 = await loadX12Directory(ctx.config.warehouse, dir, common, open);
        if (opts.json) printJson(x12);
        else process.stdout.write(`${formatX12Report(x12)}\n`);
        return;
      }
      const report = await loadDirectory(ctx.config.warehouse, dir, { ...common, format: opts.format }, open);
      if (opts.json) printJson(report);
      else process.stdout.write(`${formatLoadReport(report)}\n`);
    });
}
