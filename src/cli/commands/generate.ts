// `claimlens generate`: writes a deterministic synthetic book (one file per input table) by wrapping
// the generateBook service; progress on stderr, a summary table on stdout.
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { DEFAULT_END, DEFAULT_MONTHS, generateBook } from '../../generate/index.ts';
import { contextFrom } from '../context.ts';
import { formatTable, Progress, printJson } from '../output.ts';

interface GenerateFlags {
  members: string;
  seed: string;
  out: string;
  months: string;
  end: string;
  format: string;
  json?: boolean;
}

function wholeNumber(text: string, flag: string): number {
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`${flag} must be a whole number, got '${text}'`);
  return Number(text);
}

export function register(program: Command): void {
  program
    .command('generate')
    .description(
      'write a synthetic, deterministic book of claims, eligibility, remittance, payments, EHR encounters and ledger',
    )
    .option('--members <n>', 'number of members (persons)', '10000')
    .option('--seed <s>', 'random seed: the same seed and options give byte-identical files', '1')
    .requiredOption('--out <dir>', 'output folder (one file per input table)')
    .option('--months <m>', 'months of service dates', String(DEFAULT_MONTHS))
    .option('--end <YYYY-MM>', 'last month of service dates', DEFAULT_END)
    .option('--format <csv|parquet>', 'file format', 'csv')
    .option('--json', 'print the report as JSON')
    .action(async (flags: GenerateFlags, cmd: Command) => {
      const { quiet } = contextFrom(cmd);
      const progress = new Progress(quiet);
      const format = flags.format;
      if (format !== 'csv' && format !== 'parquet')
        throw new UsageError(`--format must be csv or parquet, got '${format}'`);
      const report = await generateBook(
        {
          members: wholeNumber(flags.members, '--members'),
          seed: wholeNumber(flags.seed, '--seed'),
          out: flags.out,
          months: wholeNumber(flags.months, '--months'),
          end: flags.end,
          format,
        },
        (p) =>
          progress.step(
            `generate: ${p.membersDone.toLocaleString('en-US')}/${p.members.toLocaleString('en-US')} members, ${p.medicalClaimLines.toLocaleString('en-US')} claim lines`,
          ),
      );
      if (flags.json) {
        printJson(report);
        return;
      }
      const rows = Object.entries(report.tables).map(([table, rows]) => ({ table, rows }));
      process.stdout.write(`${formatTable(rows, ['table', 'rows'])}\n`);
      process.stdout.write(
        `wrote ${report.files.length} ${report.format} files to ${report.out}: service dates ${report.window.start}..${report.window.end}, cut-off ${report.window.cutoff}, ${report.linesPerMember.toFixed(1)} claim lines per member, ${(report.elapsedMs / 1000).toFixed(1)} s\n`,
      );
    });
}
