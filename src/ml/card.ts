// Model cards (Mitchell et al. 2019): what a model is for, the data window it learned from, its
// features, holdout metrics with intervals next to the logistic baseline, calibration, lift and top
// drivers, and its limits, as JSON (for tools) and Markdown (for people).
import type { CoefficientRow } from './logistic.ts';
import type { BinaryMetrics, CalibrationRow, LiftRow } from './metrics.ts';
import type { CrossValidation, TimeWindow } from './validation.ts';

export interface CardWindow extends TimeWindow {
  positives: number;
}

export interface CardDriver {
  feature: string;
  /** Mean absolute SHAP value on the holdout rows (log-odds). */
  meanAbsShap: number;
  /** Total split gain over all trees, and its share of the total. */
  gain: number;
  gainShare: number;
}

export interface ModelCard {
  model: string;
  title: string;
  modelId: string;
  trainedAt: string;
  source: { table: string; keys: string[]; label: string; scoresTable: string };
  intendedUse: string[];
  limitations: string[];
  data: {
    train: CardWindow;
    validation: CardWindow;
    holdout: CardWindow;
    unlabeled: number;
  };
  features: { name: string; kind: 'numeric' | 'categorical'; missingShare: number }[];
  training: {
    trees: number;
    maxTrees: number;
    learningRate: number;
    maxDepth: number;
    seed: number;
    validationLogLoss: number | null;
  };
  metrics: { model: BinaryMetrics; baseline: BinaryMetrics | null };
  calibration: {
    method: string;
    candidates: { method: string; logLoss: number; brier: number }[];
    /** Holdout deciles of the calibrated probability. */
    table: CalibrationRow[];
  };
  lift: LiftRow[];
  drivers: CardDriver[];
  /** Holdout rows explained for the drivers (all of them, or a seeded sample of a large holdout). */
  explainedRows: number;
  coefficients: CoefficientRow[];
  crossValidation: CrossValidation | null;
  tiers: { medium: number; high: number };
}

const f3 = (v: number) => v.toFixed(3);
const f4 = (v: number) => v.toFixed(4);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function metricRow(name: string, m: BinaryMetrics): (string | number)[] {
  return [
    name,
    `${f3(m.auc.auc)} (${f3(m.auc.lower)}-${f3(m.auc.upper)})`,
    f3(m.averagePrecision),
    f4(m.brier),
    f4(m.logLoss),
    f3(m.calibration.intercept),
    f3(m.calibration.slope),
  ];
}

/** The card as Markdown. */
export function renderCard(card: ModelCard): string {
  const { data } = card;
  const win = (name: string, w: CardWindow) => [
    name,
    `${w.from.slice(0, 7)} to ${w.to.slice(0, 7)}`,
    w.months,
    w.rows,
    w.rows > 0 ? pct(w.positives / w.rows) : 'n/a',
  ];
  const out = [
    `# Model card: ${card.title}`,
    '',
    `Model \`${card.model}\`, id \`${card.modelId}\`, trained ${card.trainedAt}. Source \`${card.source.table}\` (one row per ${card.source.keys.join(', ')}); scores in \`${card.source.scoresTable}\`.`,
    '',
    '## Intended use',
    '',
    ...card.intendedUse.map((u) => `- ${u}`),
    '',
    '## Limitations',
    '',
    ...card.limitations.map((u) => `- ${u}`),
    '',
    '## Data',
    '',
    `Label: ${card.source.label}. Split by event month: the model never saw a row of the validation or holdout months.`,
    '',
    table(
      ['part', 'months', 'count', 'rows', 'label rate'],
      [
        win('train', data.train),
        win('validation (early stopping, calibration)', data.validation),
        win('holdout (metrics below)', data.holdout),
      ],
    ),
    '',
    `Unlabeled rows scored: ${data.unlabeled}.`,
    '',
    '## Metrics on the holdout',
    '',
    'AUC with its DeLong 95% interval; PR AUC is average precision; calibration intercept (0 is ideal) and slope (1 is ideal) from a logistic recalibration fit.',
    '',
    table(
      ['model', 'ROC AUC (95% CI)', 'PR AUC', 'Brier', 'log loss', 'cal. intercept', 'cal. slope'],
      [
        metricRow('gradient-boosted trees (calibrated)', card.metrics.model),
        ...(card.metrics.baseline
          ? [metricRow('logistic regression (baseline)', card.metrics.baseline)]
          : []),
      ],
    ),
    '',
    `Holdout rows ${card.metrics.model.rows}, positives ${card.metrics.model.positives}.`,
  ];
  if (card.crossValidation) {
    const cv = card.crossValidation;
    out.push(
      '',
      `Stratified ${cv.folds}-fold cross-validation on the training window: AUC ${f3(cv.meanAuc)} (sd ${f3(cv.sdAuc)}; folds ${cv.auc.map(f3).join(', ')}).`,
    );
  }
  out.push(
    '',
    '## Calibration',
    '',
    `Method: ${card.calibration.method}, chosen on the validation months by cross-fitted log loss (${card.calibration.candidates
      .map((c) => `${c.method} ${f4(c.logLoss)}`)
      .join(', ')}).`,
    '',
    table(
      ['decile', 'rows', 'mean predicted', 'observed rate'],
      card.calibration.table.map((r) => [r.group, r.rows, f4(r.meanPredicted), f4(r.observedRate)]),
    ),
    '',
    '## Lift by decile',
    '',
    table(
      ['decile (1 = highest scores)', 'rows', 'rate', 'lift', 'cumulative capture'],
      card.lift.map((r) => [r.decile, r.rows, pct(r.rate), r.lift.toFixed(2), pct(r.cumulativeCapture)]),
    ),
    '',
    `Risk tiers: high from probability ${f4(card.tiers.high)} (top 10% of holdout scores), medium from ${f4(card.tiers.medium)} (next 20%).`,
    '',
    '## Top drivers',
    '',
    `Mean absolute SHAP value (exact TreeSHAP, log-odds) over ${card.explainedRows === data.holdout.rows ? 'every' : `a seeded sample of ${card.explainedRows} of the`} ${data.holdout.rows} holdout rows, and share of total split gain.`,
    '',
    table(
      ['feature', 'mean \\|SHAP\\|', 'gain share'],
      card.drivers.map((d) => [d.feature, f4(d.meanAbsShap), pct(d.gainShare)]),
    ),
  );
  if (card.coefficients.length > 0) {
    out.push(
      '',
      '## Baseline coefficients',
      '',
      'Logistic regression with L2 penalty on standardized features; largest effects first.',
      '',
      table(
        ['feature', 'term', 'coefficient', 'odds ratio'],
        card.coefficients.map((c) => [c.feature, c.term, f4(c.coefficient), f3(c.oddsRatio)]),
      ),
    );
  }
  out.push(
    '',
    '## Features',
    '',
    table(
      ['feature', 'kind', 'missing'],
      card.features.map((f) => [f.name, f.kind, pct(f.missingShare)]),
    ),
    '',
    '## Training',
    '',
    `Histogram gradient-boosted trees: ${card.training.trees} trees kept of up to ${card.training.maxTrees} (early stopping on validation log loss${card.training.validationLogLoss === null ? '' : ` ${f4(card.training.validationLogLoss)}`}), learning rate ${card.training.learningRate}, max depth ${card.training.maxDepth}, seed ${card.training.seed}.`,
    '',
  );
  return out.join('\n');
}
