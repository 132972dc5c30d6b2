// `claimlens build`: runs the SQL models (staging, intermediate, marts) on the loaded input layer,
// printing one progress line per model on stderr and a summary on stdout.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { ModelProgress } from '../../runner/index.ts';
import { buildProduct, buildProductOnPostgres } from '../../services/pipeline.ts';
import { contextFrom } from '../context.ts';
import { Progress, printJson } from '../output.ts';

export function register(program: Command): void {
  program
    .command('build')
    .description('build the warehouse: run every SQL model in dependency order and test its grain and docs')
    .option('--models <dir>', 'models directory (default: the models shipped with claimlens)')
    .option('--json', 'print the build report as JSON')
    .action(async (opts: { models?: string; json?: boolean }, cmd: Command) => {
      const { config, quiet, duckdbWarehouse } = contextFrom(cmd);
      const progress = new Progress(quiet);
      const common = {
        config,
        modelsDir: opts.models,
        onStep: (message: string) => progress.step(message),
        onProgress: ({ index, total, run }: ModelProgress) => {
          const width = String(total).length;
          progress.step(
            `${String(index).padStart(width)}/${total} ${run.model.id.padEnd(40)} ${run.model.materialized.padEnd(5)} ${run.rows.toLocaleString('en-US').padStart(12)} rows ${run.seconds.toFixed(2).padStart(7)}s${run.passes > 1 ? ` in ${run.passes} passes` : ''}`,
          );
        },
      };
      // On PostgreSQL the loaded DuckDB file, when there is one, is the input layer's source.
      const report =
        config.engine === 'postgres'
          ? await buildProductOnPostgres(config.warehouse, {
              ...common,
              inputFrom: existsSync(duckdbWarehouse) ? duckdbWarehouse : undefined,
            })
          : await buildProduct(config.warehouse, {
              ...common,
              open: { threads: config.threads, memoryLimit: config.memoryLimit },
            });
      if (opts.json) {
        printJson(report);
        return;
      }
      const tables = report.models.filter((m) => m.materialized === 'table').length;
      const views = report.models.length - tables;
      const lines = [
        `built ${report.models.length} models (${tables} tables, ${views} views) in ${report.seconds.toFixed(1)}s into ${report.warehouse}`,
      ];
      if (report.createdEmptyInputs.length > 0) {
        lines.push(
          `input tables absent from the load, created empty: ${report.createdEmptyInputs.join(', ')}`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
