// `claimlens train <model>`: trains a risk model on its feature mart, prints holdout metrics next to
// the logistic baseline, and writes the model file, its card and the scores mart.
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import type { BinaryMetrics } from '../../ml/metrics.ts';
import { MODEL_SPECS, trainModel } from '../../services/models.ts';
import { contextFrom } from '../context.ts';
import { formatTable, Progress, printJson } from '../output.ts';

interface TrainCliOptions {
  out?: string;
  json?: boolean;
  trees?: string;
  seed?: string;
  threads?: string;
  cv?: string;
  holdoutDrivers?: string;
}

/** A non-negative integer option, or a usage error naming it. */
export function intOption(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${name} must be an integer >= ${min} (got ${value})`);
  return n;
}

function metricRow(model: string, m: BinaryMetrics) {
  return {
    model,
    auc: m.auc.auc,
    auc_95ci: `${m.auc.lower.toFixed(3)}-${m.auc.upper.toFixed(3)}`,
    pr_auc: m.averagePrecision,
    brier: m.brier,
    log_loss: m.logLoss,
    cal_intercept: m.calibration.intercept,
    cal_slope: m.calibration.slope,
  };
}

export function register(program: Command): void {
  program
    .command('train')
    .description(
      `train a risk model (${MODEL_SPECS.map((s) => s.name).join(', ')}) on its feature mart: boosted trees and a logistic baseline, holdout metrics, model file and card, scores with drivers`,
    )
    .argument('<model>', 'model name')
    .option('--out <dir>', 'folder for the model file and card (default: models/ beside the warehouse)')
    .option('--trees <n>', 'most boosting rounds (default 300; early stopping picks fewer)')
    .option('--seed <n>', 'random seed (default 42)')
    .option('--threads <n>', 'worker threads for training and explanations (default 2)')
    .option('--cv <k>', 'also report stratified k-fold cross-validation of the training window')
    .option(
      '--holdout-drivers <n>',
      'most holdout rows explained with drivers (default 50000; unlabeled rows always are)',
    )
    .option('--json', 'print the report (with the model card) as JSON')
    .action(async (name: string, opts: TrainCliOptions, cmd: Command) => {
      const { config, quiet, duckdbWarehouse } = contextFrom(cmd);
      const progress = new Progress(quiet);
      const trees = intOption(opts.trees, '--trees', 1);
      const seed = intOption(opts.seed, '--seed');
      const threads = intOption(opts.threads, '--threads', 1);
      const cvFolds = intOption(opts.cv, '--cv', 2);
      const holdoutDrivers = intOption(opts.holdoutDrivers, '--holdout-drivers');
      const params = {
        ...(trees === undefined ? {} : { trees }),
        ...(seed === undefined ? {} : { seed }),
        ...(threads === undefined ? {} : { threads }),
      };
      const options = {
        outDir: opts.out,
        params,
        cvFolds,
        holdoutDrivers,
        onStep: (m: string) => progress.step(m),
      };
      const report = await trainModel(duckdbWarehouse, name, {
        ...options,
        open: { threads: config.threads, memoryLimit: config.memoryLimit },
        ...(config.engine === 'postgres' ? { serverUrl: config.warehouse } : {}),
      });
      if (opts.json) {
        printJson(report);
        return;
      }
      const { card } = report;
      const rows = [metricRow('boosted trees', card.metrics.model)];
      if (card.metrics.baseline) rows.push(metricRow('logistic baseline', card.metrics.baseline));
      const lines = [
        `${card.title} (${report.model}, id ${report.modelId}): ${card.training.trees} trees, calibration ${card.calibration.method}`,
        `holdout ${card.data.holdout.from.slice(0, 7)} to ${card.data.holdout.to.slice(0, 7)}: ${card.data.holdout.rows} rows`,
        '',
        formatTable(rows),
        '',
        `top drivers: ${card.drivers
          .slice(0, 5)
          .map((d) => d.feature)
          .join(', ')}`,
        `wrote ${report.files.model}, ${report.files.card}, ${report.files.cardJson}`,
        `scores: ${report.rowsScored} rows in ${report.scoresTable} (${report.seconds.toFixed(1)}s)`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
