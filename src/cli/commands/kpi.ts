// `claimlens kpi <domain>`: a domain's KPIs for a period and payer, as tables or JSON.
import type { Command } from 'commander';
import { Warehouse } from '../../engine/duckdb.ts';
import { KPI_DOMAINS } from '../../services/domains.ts';
import { assertKnownPayer, findKpiDomain, type KpiResult } from '../../services/kpi.ts';
import { parseDate, parsePeriod } from '../../services/period.ts';
import { contextFrom } from '../context.ts';
import { formatTable, printJson } from '../output.ts';

interface KpiOptions {
  from?: string;
  to?: string;
  period?: string;
  payer?: string;
  asOf?: string;
  json?: boolean;
}

export function printKpi(result: KpiResult): void {
  const scope = [
    result.period
      ? `period ${result.period.label} (${result.period.from}..${result.period.to})`
      : 'all dates',
  ];
  if (result.payer) scope.push(`payer ${result.payer}`);
  process.stdout.write(`${result.domain}: ${scope.join(', ')}\n\n`);
  const head = Object.entries(result.headline).map(([k, v]) => ({ metric: k, value: v }));
  if (head.length > 0) process.stdout.write(`${formatTable(head)}\n\n`);
  for (const s of result.sections) {
    process.stdout.write(`== ${s.title}\n${formatTable(s.rows, s.columns)}\n\n`);
  }
  for (const n of result.notes) process.stdout.write(`note: ${n}\n`);
}

export function register(program: Command): void {
  program
    .command('kpi')
    .description(`KPIs of one domain (${KPI_DOMAINS.map((d) => d.name).join(', ')}) for a period and payer`)
    .argument('<domain>', 'KPI domain')
    .option('--period <period>', 'a month (2024-03), quarter (2024Q1) or year (2024)')
    .option('--from <date>', 'first day of a custom range (YYYY-MM-DD)')
    .option('--to <date>', 'last day of a custom range (YYYY-MM-DD)')
    .option('--payer <payer>', 'only this payer')
    .option('--as-of <date>', 'as-of date for point-in-time views (YYYY-MM-DD)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: KpiOptions, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const domain = findKpiDomain(KPI_DOMAINS, name);
      const period = parsePeriod(opts);
      const asOf = opts.asOf === undefined ? undefined : parseDate(opts.asOf, '--as-of');
      const wh = await Warehouse.open(ctx.config.warehouse, { readOnly: true });
      try {
        await assertKnownPayer(wh, opts.payer);
        const result = await domain.run(wh, { period, payer: opts.payer, asOf }, ctx.config);
        if (opts.json) printJson(result);
        else printKpi(result);
      } finally {
        await wh.close();
      }
    });
}
