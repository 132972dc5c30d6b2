// `claimlens kpi <domain>`: a domain's KPIs for a period, payer, plan and state, as tables or JSON.
import type { Command } from 'commander';
import { displayHeadline, displayRows, type GovernedKpiResult } from '../../governance/kpi-guard.ts';
import { cliCaller } from '../../governance/runtime.ts';
import { KPI_DOMAINS } from '../../services/domains.ts';
import { governedKpi } from '../../services/governed.ts';
import type { KpiResult } from '../../services/kpi.ts';
import { contextFrom } from '../context.ts';
import { formatTable, printJson } from '../output.ts';

interface KpiOptions {
  from?: string;
  to?: string;
  period?: string;
  payer?: string;
  plan?: string;
  state?: string;
  asOf?: string;
  json?: boolean;
  role?: string;
}

export function printKpi(result: KpiResult): void {
  const scope = [
    result.period
      ? `period ${result.period.label} (${result.period.from}..${result.period.to})`
      : 'all dates',
  ];
  if (result.payer) scope.push(`payer ${result.payer}`);
  if (result.plan) scope.push(`plan ${result.plan}`);
  if (result.state) scope.push(`state ${result.state}`);
  process.stdout.write(`${result.domain}: ${scope.join(', ')}\n\n`);
  // Governance (issue 7): suppressed cells print as <11 (a small count) or suppressed, never blank.
  const governed = 'governance' in result ? (result as GovernedKpiResult) : undefined;
  const head = Object.entries(result.headline).map(([k, v]) => ({
    metric: k,
    value: governed ? displayHeadline(governed, k) : v,
  }));
  if (head.length > 0) process.stdout.write(`${formatTable(head)}\n\n`);
  result.sections.forEach((s, i) => {
    const rows = governed ? displayRows(governed, i) : s.rows;
    process.stdout.write(`== ${s.title}\n${formatTable(rows, s.columns)}\n\n`);
  });
  for (const n of result.notes) process.stdout.write(`note: ${n}\n`);
}

export function register(program: Command): void {
  program
    .command('kpi')
    .description(
      `KPIs of one domain (${KPI_DOMAINS.map((d) => d.name).join(', ')}) for a period, payer, plan and state`,
    )
    .argument('<domain>', 'KPI domain')
    .option('--period <period>', 'a month (2024-03), quarter (2024Q1) or year (2024)')
    .option('--from <date>', 'first day of a custom range (YYYY-MM-DD)')
    .option('--to <date>', 'last day of a custom range (YYYY-MM-DD)')
    .option('--payer <payer>', 'only this payer')
    .option('--plan <plan>', 'only this health plan (claims billed to it, member months in it)')
    .option('--state <state>', 'only members living in this state (two-letter code, latest enrollment span)')
    .option('--as-of <date>', 'as-of date for point-in-time views (YYYY-MM-DD)')
    .option('--json', 'print JSON')
    .option('--role <role>', 'role to run as (default: governance.role of the configuration)')
    .action(async (name: string, opts: KpiOptions, cmd: Command) => {
      const ctx = contextFrom(cmd);
      // Governance (issue 7): the role, filter validation, suppression and audit live in the service.
      const role = opts.role ?? cmd.optsWithGlobals<{ role?: string }>().role;
      const result = await governedKpi(
        { config: ctx.config, caller: cliCaller(ctx.config.governance, role) },
        {
          domain: name,
          period: opts.period,
          from: opts.from,
          to: opts.to,
          payer: opts.payer,
          plan: opts.plan,
          state: opts.state,
          asOf: opts.asOf,
        },
      );
      if (opts.json) printJson(result);
      else printKpi(result);
    });
}
