// `claimlens load DIR`: loads a directory of input files into the warehouse and prints what was
// loaded and quarantined, per table and per rule.

import type { Command } from 'commander';
import type { Row } from '../../engine/duckdb.ts';
import { UsageError } from '../../errors.ts';
import { pseudonymizationFor } from '../../governance/pseudonymize.ts';
import type { LoadMode, LoadReport } from '../../input/load.ts';
import { loadSource, type SourceLoadReport, sourceFormats } from '../../sources/index.ts';
import { contextFrom } from '../context.ts';
import { formatTable, Progress, printJson } from '../output.ts';

interface LoadCommandOptions {
  format: string;
  mode?: string;
  json?: boolean;
}

/** What the source adapter read and what the source lacks, printed before the loader's report. */
export function formatSourceReport(r: SourceLoadReport): string {
  const out = [`recognized: ${r.recognized}`];
  const src = r.source;
  if (src) {
    out.push(src.summary);
    const written = Object.entries(src.tables)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join(', ');
    if (written) out.push(`mapped rows: ${written}`);
    for (const w of src.warnings.slice(0, 50)) out.push(`  ${w}`);
    if (src.warnings.length > 50)
      out.push(`  ... ${src.warnings.length - 50} more warnings (--json lists all)`);
    if (src.gaps.length > 0) {
      out.push('not in this source (marts that need it say so instead of showing zeros):');
      for (const g of src.gaps) out.push(`  ${g.capability}: ${g.reason}`);
    }
  }
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
      'load a folder into the warehouse: input files (csv, csv.gz, parquet) or a source export (synthea, synpuf, fhir, x12), quarantining bad rows',
    )
    .argument('<dir>', 'folder holding <table>.csv files, or a source export --format auto recognizes')
    .option('--format <format>', `source format: ${sourceFormats().join(', ')}`, 'auto')
    .option(
      '--mode <mode>',
      'replace (default; append for x12): replace each table found; append: add files, replacing rows from the same files',
    )
    .option('--json', 'print the load report as JSON')
    .action(async (dir: string, opts: LoadCommandOptions, cmd: Command) => {
      if (opts.mode !== undefined && opts.mode !== 'replace' && opts.mode !== 'append') {
        throw new UsageError(`--mode must be replace or append, not '${opts.mode}'`);
      }
      const ctx = contextFrom(cmd);
      const progress = new Progress(ctx.quiet || opts.json === true);
      const open = { threads: ctx.config.threads, memoryLimit: ctx.config.memoryLimit };
      const report = await loadSource(
        ctx.config.warehouse,
        dir,
        {
          format: opts.format,
          ...(opts.mode ? { mode: opts.mode as LoadMode } : {}),
          onProgress: (e: { message: string }) => progress.step(e.message),
          pseudonymize: pseudonymizationFor(ctx.config.governance),
        },
        open,
      );
      if (opts.json) printJson(report);
      else process.stdout.write(`${formatSourceReport(report)}\n`);
    });
}
