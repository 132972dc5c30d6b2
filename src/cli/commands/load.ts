// `claimlens load DIR`: loads a directory of input files into the warehouse and prints what was
// loaded and quarantined, per table and per rule.

import type { Command } from 'commander';
import type { Row } from '../../engine/duckdb.ts';
import { UsageError } from '../../errors.ts';
import { pseudonymizationFor } from '../../governance/pseudonymize.ts';
import { knownFormats } from '../../input/formats.ts';
import { type LoadMode, type LoadReport, loadDirectory } from '../../input/load.ts';
import { contextFrom } from '../context.ts';
import { formatTable, Progress, printJson } from '../output.ts';

interface LoadCommandOptions {
  format: string;
  mode: string;
  json?: boolean;
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
    .option('--format <format>', `source format: ${knownFormats().join(', ')}`, 'auto')
    .option(
      '--mode <mode>',
      'replace: replace each table found; append: add files, replacing rows from the same files',
      'replace',
    )
    .option('--json', 'print the load report as JSON')
    .action(async (dir: string, opts: LoadCommandOptions, cmd: Command) => {
      if (opts.mode !== 'replace' && opts.mode !== 'append') {
        throw new UsageError(`--mode must be replace or append, not '${opts.mode}'`);
      }
      const ctx = contextFrom(cmd);
      const progress = new Progress(ctx.quiet || opts.json === true);
      const report = await loadDirectory(
        ctx.config.warehouse,
        dir,
        {
          format: opts.format,
          mode: opts.mode as LoadMode,
          onProgress: (e) => progress.step(e.message),
          pseudonymize: pseudonymizationFor(ctx.config.governance),
        },
        { threads: ctx.config.threads, memoryLimit: ctx.config.memoryLimit },
      );
      if (opts.json) printJson(report);
      else process.stdout.write(`${formatLoadReport(report)}\n`);
    });
}
