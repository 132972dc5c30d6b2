// `claimlens demo`: one command from nothing to headline numbers on a synthetic book.
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { DEMO_DIR, type DemoReport, runDemo } from '../../services/demo.ts';
import { contextFrom } from '../context.ts';
import { formatMoney, formatPct, formatTable, Progress, printJson } from '../output.ts';

function render(r: DemoReport): string {
  const h = r.headline;
  const rows = [
    { metric: 'members', value: h.members.toLocaleString('en-US') },
    { metric: 'medical claim lines', value: h.claim_lines.toLocaleString('en-US') },
    { metric: 'pharmacy fills', value: h.pharmacy_fills.toLocaleString('en-US') },
    { metric: 'paid (medical + pharmacy)', value: formatMoney(h.paid) },
    { metric: 'top 5% of members: share of spend', value: formatPct(h.top5_share) },
    { metric: 'Gini coefficient of member spend', value: h.gini === null ? 'n/a' : h.gini.toFixed(3) },
    { metric: 'initial denial rate (lines)', value: formatPct(h.initial_denial_rate) },
    {
      metric: 'revenue at risk from denials',
      value: h.revenue_at_risk === null ? 'n/a' : formatMoney(h.revenue_at_risk),
    },
    { metric: '30-day unplanned readmission rate', value: formatPct(h.readmission_rate_unplanned) },
    { metric: '30-day all-cause readmission rate', value: formatPct(h.readmission_rate_all_cause) },
    { metric: 'claims matched to EHR encounters', value: formatPct(h.ehr_claim_match_rate, 2) },
    { metric: 'finance ledger variance', value: formatPct(h.ledger_variance_pct, 2) },
    { metric: 'quality checks failing', value: `${h.quality_checks_failing} of ${h.quality_checks}` },
  ];
  const s = r.seconds;
  const source = r.recognized
    ? [`source: ${r.recognized}`, ...r.gaps.map((g) => `  not available (${g.capability}): ${g.reason}`), '']
    : [];
  return [
    ...source,
    formatTable(rows),
    '',
    `${r.recognized ? '' : `generate ${s.generate.toFixed(1)}s, `}load ${s.load.toFixed(1)}s (${r.quarantined} rows quarantined), build ${s.build.toFixed(1)}s (${r.models} models), total ${s.total.toFixed(1)}s`,
    `warehouse: ${r.warehouse}  ${r.recognized ? 'source' : 'book'}: ${r.dir}`,
    'next: claimlens kpi cost | claimlens kpi payers --period YYYYQn | claimlens quality | claimlens serve',
  ].join('\n');
}

interface DemoCommandOptions {
  members: string;
  seed: string;
  dir: string;
  source?: string;
  format: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('generate a synthetic book, load, build and check it, and print headline numbers')
    .option('--members <n>', 'members to generate', '10000')
    .option('--seed <n>', 'random seed', '42')
    .option('--dir <dir>', 'folder for the generated book', DEMO_DIR)
    .option(
      '--source <dir>',
      'run on this folder instead of a generated book (Synthea, DE-SynPUF, FHIR, or input files)',
    )
    .option('--format <format>', 'format of --source, as for `claimlens load`', 'auto')
    .option('--json', 'print the report as JSON')
    .action(async (opts: DemoCommandOptions, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const progress = new Progress(ctx.quiet);
      const members = Number(opts.members);
      const seed = Number(opts.seed);
      if (!Number.isInteger(members) || members < 1)
        throw new UsageError('--members must be a positive integer');
      if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
      const report = await runDemo({
        members,
        seed,
        dir: opts.dir,
        warehouse: ctx.config.warehouse,
        config: ctx.config,
        onStep: (m) => progress.step(m),
        ...(opts.source ? { source: { dir: opts.source, format: opts.format } } : {}),
      });
      if (opts.json) printJson(report);
      else process.stdout.write(`${render(report)}\n`);
    });
}
