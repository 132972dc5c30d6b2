// `claimlens score <model>`: rescores a feature mart with a saved model and replaces its scores mart.
import type { Command } from 'commander';
import { scoreModel } from '../../services/models.ts';
import { contextFrom } from '../context.ts';
import { Progress, printJson } from '../output.ts';
import { intOption } from './train.ts';

export function register(program: Command): void {
  program
    .command('score')
    .description(
      'score the unlabeled rows of a feature mart with a saved model, with the top three drivers per row',
    )
    .argument('<model>', 'model name')
    .option('--model <file>', 'model file (default: models/<model>.model.json beside the warehouse)')
    .option('--all', 'score labeled rows too')
    .option('--threads <n>', 'worker threads for explanations (default 2)')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        name: string,
        opts: { model?: string; all?: boolean; threads?: string; json?: boolean },
        cmd: Command,
      ) => {
        const { config, quiet, duckdbWarehouse } = contextFrom(cmd);
        const progress = new Progress(quiet);
        const options = {
          modelFile: opts.model,
          all: opts.all,
          threads: intOption(opts.threads, '--threads', 1),
          onStep: (m: string) => progress.step(m),
        };
        const report = await scoreModel(duckdbWarehouse, name, {
          ...options,
          open: { threads: config.threads, memoryLimit: config.memoryLimit },
          ...(config.engine === 'postgres' ? { serverUrl: config.warehouse } : {}),
        });
        if (opts.json) printJson(report);
        else
          process.stdout.write(
            `scored ${report.rowsScored} rows into ${report.scoresTable} with model ${report.model} (id ${report.modelId})\n`,
          );
      },
    );
}
