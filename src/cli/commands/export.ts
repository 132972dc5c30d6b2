// `claimlens export --deidentify --out DIR`: writes the input layer (or chosen marts) as HIPAA Safe
// Harbor de-identified CSV or Parquet under the configured export folder.
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import type { ExportFormat } from '../../governance/export.ts';
import { cliCaller } from '../../governance/runtime.ts';
import { governedExport } from '../../services/governed.ts';
import { parseDate } from '../../services/period.ts';
import { contextFrom } from '../context.ts';

interface ExportOptions {
  deidentify?: boolean;
  out: string;
  format: string;
  tables?: string;
  marts?: string;
  asOf?: string;
  role?: string;
}

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

export function register(program: Command): void {
  program
    .command('export')
    .description('write a HIPAA Safe Harbor de-identified copy of the input tables (or marts)')
    .option('--deidentify', 'de-identify (required: claimlens writes no other export)')
    .requiredOption('--out <dir>', 'folder to create, under governance.exportDir (default ./exports)')
    .option('--format <format>', 'csv or parquet', 'csv')
    .option(
      '--tables <names>',
      'input tables, comma-separated (default: all with person data, payer, provider, ledger)',
    )
    .option('--marts <names>', 'marts to export as well, comma-separated')
    .option('--as-of <date>', 'reference date of the age-90 rule (default today)')
    .option('--role <role>', 'role to run as (default: governance.role of the configuration)')
    .action(async (opts: ExportOptions, cmd: Command) => {
      if (!opts.deidentify) {
        throw new UsageError('claimlens only writes de-identified exports: add --deidentify');
      }
      if (opts.format !== 'csv' && opts.format !== 'parquet') {
        throw new UsageError(`--format is csv or parquet, not '${opts.format}'`);
      }
      const { config, quiet } = contextFrom(cmd);
      const role = opts.role ?? cmd.optsWithGlobals<{ role?: string }>().role;
      const report = await governedExport(
        { config, caller: cliCaller(config.governance, role) },
        {
          out: opts.out,
          format: opts.format as ExportFormat,
          tables: list(opts.tables),
          marts: list(opts.marts),
          asOf: opts.asOf === undefined ? undefined : parseDate(opts.asOf, '--as-of'),
        },
      );
      if (!quiet) {
        for (const f of report.files) process.stderr.write(`${f.relation}: ${f.rows} rows -> ${f.file}\n`);
        for (const s of report.skipped) process.stderr.write(`${s.relation}: skipped (${s.reason})\n`);
      }
      process.stdout.write(`de-identified export (HIPAA Safe Harbor) written to ${report.dir}\n`);
    });
}
