// `claimlens report`: the dashboard as one self-contained HTML file with a data snapshot of every page
// (opens from disk, no server, no network), and with --pdf the same pages printed by headless Chromium.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cliCaller } from '../../governance/runtime.ts';
import type { Filters } from '../../server/api.ts';
import { printPdf } from '../../server/pdf.ts';
import { fillTemplate, governedSnapshot, readTemplate } from '../../server/snapshot.ts';
import { contextFrom } from '../context.ts';
import { Progress } from '../output.ts';

interface ReportOptions {
  out: string;
  role?: string;
  pdf?: boolean;
  period?: string;
  from?: string;
  to?: string;
  payer?: string;
  plan?: string;
  state?: string;
}

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'write the dashboard as one self-contained HTML file with its data embedded (and --pdf a PDF)',
    )
    .requiredOption('--out <file>', 'HTML file to write')
    .option(
      '--role <role>',
      'role whose view the report shows (default: governance.role of the configuration)',
    )
    .option('--pdf', 'also print every page to a PDF next to the HTML file (needs Chromium)')
    .option(
      '--period <period>',
      'a month (2024-03), quarter (2024Q1) or year (2024); default: each domain its own',
    )
    .option('--from <date>', 'first day of a custom range (YYYY-MM-DD)')
    .option('--to <date>', 'last day of a custom range (YYYY-MM-DD)')
    .option('--payer <payer>', 'only this payer')
    .option('--plan <plan>', 'only this health plan (claims billed to it, member months in it)')
    .option('--state <state>', 'only members living in this state (two-letter code, latest enrollment span)')
    .action(async (opts: ReportOptions, cmd: Command) => {
      const { config, quiet } = contextFrom(cmd);
      const progress = new Progress(quiet);
      const template = readTemplate(config.server.webDir);
      // Like every CLI command, the report runs as the OS user under the given or configured role.
      const caller = cliCaller(config.governance, opts.role);
      const role = caller.role;
      const filters: Filters = {};
      for (const k of ['period', 'from', 'to', 'payer', 'plan', 'state'] as const)
        if (opts[k]) filters[k] = opts[k];
      progress.step(`report: reading every page's data as role ${role}`);
      const snapshot = await governedSnapshot(config, caller, filters);
      const out = resolve(opts.out);
      writeFileSync(out, fillTemplate(template, snapshot, `claimlens report (${role})`));
      const lines = [`wrote ${out} (${Object.keys(snapshot.responses).length} API answers embedded)`];
      if (opts.pdf) {
        const pdf = `${out.replace(/\.html?$/i, '')}.pdf`;
        progress.step('report: printing the pages with headless Chromium');
        await printPdf(out, pdf);
        lines.push(`wrote ${pdf}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
