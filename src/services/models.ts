// Risk models over feature marts: train (time split, boosted trees plus a logistic baseline,
// calibration, holdout metrics, model file and card, scores with drivers back to a mart) and score
// (rescore with a saved model). CLI commands and API routes are thin wrappers over these functions.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type OpenOptions, type Warehouse, withStagedWarehouse } from '../engine/duckdb.ts';
import { openWarehouse } from '../engine/open.ts';
import { ClaimlensError, UsageError } from '../errors.ts';
import { explainRows, marginRows } from '../ml/batch.ts';
import { binDataset } from '../ml/binning.ts';
import { calibrateAll, chooseCalibration } from '../ml/calibration.ts';
import type { CardDriver, ModelCard } from '../ml/card.ts';
import { renderCard } from '../ml/card.ts';
import { type Dataset, displayValue, take, takeRows } from '../ml/dataset.ts';
import { type GbtParams, predictMargin, resolveGbtParams, trainGbt } from '../ml/gbt.ts';
import { coefficientTable, fitLogistic, predictLogistic } from '../ml/logistic.ts';
import { binaryMetrics, calibrationTable, liftTable } from '../ml/metrics.ts';
import { probabilityOf, readModelFile, type SavedModel, serializeModel } from '../ml/model-file.ts';
import { Random } from '../ml/random.ts';
import { topDrivers } from '../ml/shap.ts';
import { compileTrees } from '../ml/tree.ts';
import { crossValidate, timeSplit } from '../ml/validation.ts';
import {
  appendScores,
  DRIVERS,
  dropStaging,
  type FeatureMart,
  inspectFeatureMart,
  type MartRows,
  publishScores,
  readFeatureMart,
  requireFeatures,
  type ScoreRecord,
} from '../ml/warehouse-io.ts';

export interface ModelSpec {
  name: string;
  title: string;
  schema: string;
  /** Feature mart (input) and scores mart (output) in `schema`. */
  table: string;
  scoresTable: string;
  keys: string[];
  label: string;
  intendedUse: string[];
  limitations: string[];
}

const COMMON_LIMITS = [
  'Trained on one organization’s history: payer mix, coding and policy changes shift the risk; retrain when the holdout metrics drift.',
  'Drivers are SHAP contributions of the model, not causes: they say what moved this score, not what would change the outcome.',
  'Scores are probabilities for ranking and capacity planning; no automated decision about a person or claim should rest on them alone.',
];

export const MODEL_SPECS: readonly ModelSpec[] = [
  {
    name: 'denial',
    title: 'Claim line denial risk',
    schema: 'marts',
    table: 'ml_denial_features',
    scoresTable: 'ml_denial_scores',
    keys: ['claim_id', 'claim_line_number'],
    label: '1 when the claim line was denied, 0 when paid; NULL while it is open',
    intendedUse: [
      'Rank open claim lines by the chance they will be denied, so billing staff review the riskiest before submission or follow-up.',
      'Estimate revenue at risk on open claims (probability x expected payment).',
    ],
    limitations: [
      'Learns from adjudicated lines only; lines that are still open may differ from those that closed (long-pending lines are under-represented).',
      ...COMMON_LIMITS,
    ],
  },
  {
    name: 'readmission',
    title: '30-day readmission risk',
    schema: 'marts',
    table: 'ml_readmission_features',
    scoresTable: 'ml_readmission_scores',
    keys: ['encounter_id'],
    label:
      '1 when the patient was readmitted within 30 days of discharge, 0 when not; NULL while the 30 days have not passed',
    intendedUse: [
      'Prioritize recent discharges for transitional care outreach (calls, follow-up visits, medication reconciliation).',
      'Give a 0-100 risk score with tier and the top drivers per discharge.',
    ],
    limitations: [
      'Readmissions to facilities outside the data are not seen, so labels undercount them.',
      'Not a risk-adjustment model for comparing hospitals: use the O:E ratios of the readmission marts for that.',
      ...COMMON_LIMITS,
    ],
  },
  {
    name: 'pay',
    title: 'Patient likelihood to pay',
    schema: 'marts',
    table: 'ml_pay_features',
    scoresTable: 'ml_pay_scores',
    keys: ['person_id'],
    label:
      '1 when the patient paid the balance in full within the collection window, 0 when not; NULL while it is open',
    intendedUse: [
      'Order open patient balances by likelihood to pay, to route low-likelihood balances to financial-assistance screening early and time statements.',
    ],
    limitations: [
      'Must not be used to deny care or to treat patients differently in clinical matters; use alongside financial-assistance eligibility, never instead of it.',
      'Income and wealth are not observed; the model sees only billing history and demographics in the warehouse.',
      ...COMMON_LIMITS,
    ],
  },
];

export function findModelSpec(name: string): ModelSpec {
  const spec = MODEL_SPECS.find((s) => s.name === name);
  if (!spec) {
    throw new UsageError(`unknown model ${name}: one of ${MODEL_SPECS.map((s) => s.name).join(', ')}`);
  }
  return spec;
}

/** Where `train` writes and `score` reads model files by default: `models/` beside the warehouse. */
export function defaultModelDir(warehouse: string): string {
  return join(dirname(resolve(warehouse)), 'models');
}

export function modelFilePath(dir: string, name: string): string {
  return join(dir, `${name}.model.json`);
}

export interface TrainOptions {
  /** Boosting parameters over the defaults (threads included). */
  params?: Partial<GbtParams>;
  /** Stratified k-fold cross-validation of the training window, reported in the card; 0 = skip. */
  cvFolds?: number;
  onStep?: (message: string) => void;
  /** Clock for the card's `trainedAt` and the scores' `scored_at`. */
  now?: Date;
  /** Most holdout rows explained (drivers, global importance); default 50,000, the rest get no drivers. */
  holdoutDrivers?: number;
}

/** Holdout rows explained by default: enough for stable global importance, minutes at most. */
export const DEFAULT_HOLDOUT_DRIVERS = 50_000;

function inSorted(sorted: Uint32Array, k: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === k;
}

export interface TrainResult {
  model: SavedModel;
  modelJson: string;
  card: ModelCard;
  scoresTable: string;
  rowsScored: number;
}

function rowsWhere(label: Float64Array, labeled: boolean): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < label.length; i++) if (Number.isNaN(label[i]!) !== labeled) out.push(i);
  return Uint32Array.from(out);
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/** The q-quantile of `values` (nearest rank on the sorted values). */
function quantile(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function tierOf(p: number, tiers: { medium: number; high: number }): string {
  return p >= tiers.high ? 'high' : p >= tiers.medium ? 'medium' : 'low';
}

function missingShare(data: Dataset, f: number): number {
  const col = data.features[f]!;
  if (data.rows === 0) return 0;
  let n = 0;
  if (col.kind === 'numeric') for (let i = 0; i < data.rows; i++) n += Number.isNaN(col.values[i]!) ? 1 : 0;
  else for (let i = 0; i < data.rows; i++) n += col.codes[i]! < 0 ? 1 : 0;
  return n / data.rows;
}

function modelId(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 12);
}

function displayText(v: number | string | null): string | null {
  return v === null ? null : String(v);
}

/**
 * Scores `rows` of the mart with the model and appends them (split label, probability, 0-100 score,
 * tier, top drivers) to the run's scores table. Rows are explained only when `explain` is set (their
 * drivers stay empty otherwise). Returns the SHAP matrix of the explained rows.
 */
async function scoreRows(
  wh: Warehouse,
  model: SavedModel,
  mart: MartRows,
  rows: Uint32Array,
  split: string,
  tiers: { medium: number; high: number },
  threads: number,
  explain = true,
): Promise<Float64Array> {
  const F = model.features.length;
  if (rows.length === 0) return new Float64Array(0);
  const data = takeRows(mart.data, rows);
  const trees = compileTrees(model.gbt.trees, model.gbt.binning);
  const bins = binDataset(model.gbt.binning, data);
  const probability = probabilityOf(model, await marginRows(trees, model.gbt.baseMargin, bins, threads));
  const phi = explain ? await explainRows(trees, model.gbt.baseMargin, bins, threads) : new Float64Array(0);
  const one = new Float64Array(F);
  function* records(): Generator<ScoreRecord> {
    for (let i = 0; i < rows.length; i++) {
      const p = probability[i]!;
      if (explain) one.set(phi.subarray(i * F, (i + 1) * F));
      yield {
        row: rows[i]!,
        split,
        probability: p,
        riskScore: Math.round(100 * p),
        tier: tierOf(p, tiers),
        drivers: explain
          ? topDrivers(one, F, DRIVERS).map((d) => ({
              feature: model.features[d.feature]!.name,
              value: displayText(displayValue(data.features[d.feature]!, i)),
              contribution: d.contribution,
            }))
          : [],
      };
    }
  }
  await appendScores(wh, records());
  return phi;
}

/**
 * Trains a model on a warehouse that is already open (the CLI passes a staged copy): reads the
 * feature mart, splits by month, trains, calibrates, evaluates, explains and writes the scores mart.
 * Nothing is written to files here, so tests can run it on an in-memory warehouse.
 */
export async function trainOnWarehouse(
  wh: Warehouse,
  spec: ModelSpec,
  options: TrainOptions = {},
): Promise<TrainResult> {
  const step = options.onStep ?? (() => undefined);
  const params = resolveGbtParams({ objective: 'binary', ...options.params });
  const now = options.now ?? new Date();
  const mart: FeatureMart = await inspectFeatureMart(wh, spec.schema, spec.table, spec.keys);
  step(`reading ${mart.table} (${mart.features.length} features)`);
  const rows = await readFeatureMart(wh, mart, mart.features);
  const labeled = rowsWhere(rows.label, true);
  const unlabeled = rowsWhere(rows.label, false);
  if (labeled.length === 0) {
    throw new ClaimlensError(
      'model',
      `${mart.table} has no labeled rows (label 1 or 0) to learn from: ${rows.rows === 0 ? 'the mart is empty' : 'every label is NULL'}`,
    );
  }
  const split = timeSplit(rows.eventDay, labeled);
  const part = (idx: Uint32Array) => ({ data: takeRows(rows.data, idx), label: take(rows.label, idx) });
  const train = part(split.train);
  const validation = part(split.validation);
  const holdout = part(split.holdout);
  step(
    `split by month: train ${split.train.length} rows (${split.windows.train.from.slice(0, 7)} to ${split.windows.train.to.slice(0, 7)}), validation ${split.validation.length}, holdout ${split.holdout.length}; ${unlabeled.length} unlabeled`,
  );

  for (const [name, part, w] of [
    ['validation', validation, split.windows.validation],
    ['holdout', holdout, split.windows.holdout],
  ] as const) {
    const positives = sum(part.label);
    if (positives === 0 || positives === part.label.length) {
      throw new ClaimlensError(
        'model',
        `the ${name} months (${w.from.slice(0, 7)} to ${w.to.slice(0, 7)}) have only label ${positives === 0 ? 0 : 1} rows: a model cannot be checked on them; widen the data window or check how the label is built`,
      );
    }
  }

  const started = Date.now();
  const gbt = await trainGbt(train, {
    params,
    validation,
    onRound: (round, loss) => {
      if (round % 50 === 0)
        step(`tree ${round}: validation log loss ${loss === null ? 'n/a' : loss.toFixed(5)}`);
    },
  });
  step(`trained ${gbt.trees.length} trees in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  const baseline = fitLogistic(train.data, train.label, { lambda: 1 });
  step(`fitted the logistic baseline in ${baseline.iterations} Newton steps`);

  const choice = chooseCalibration(predictMargin(gbt, validation.data), validation.label, 5, params.seed);
  const holdMargin = predictMargin(gbt, holdout.data);
  const holdP = calibrateAll(choice.calibration, holdMargin);
  const metrics = binaryMetrics(holdP, holdout.label);
  const baselineMetrics = binaryMetrics(predictLogistic(baseline, holdout.data), holdout.label);
  const tiers = { medium: quantile(holdP, 0.7), high: quantile(holdP, 0.9) };
  step(
    `holdout AUC ${metrics.auc.auc.toFixed(3)} (${metrics.auc.lower.toFixed(3)}-${metrics.auc.upper.toFixed(3)}), baseline ${baselineMetrics.auc.auc.toFixed(3)}; calibration ${choice.calibration.method}`,
  );

  let cv = null;
  if (options.cvFolds && options.cvFolds >= 2) {
    step(`${options.cvFolds}-fold cross-validation of the training window`);
    cv = await crossValidate(train.label, options.cvFolds, params.seed, async (tr, te) => {
      const m = await trainGbt(
        { data: takeRows(train.data, tr), label: take(train.label, tr) },
        { params: { ...params, trees: gbt.trees.length, earlyStoppingRounds: 0 } },
      );
      return predictMargin(m, takeRows(train.data, te));
    });
  }

  const window = (w: (typeof split.windows)['train'], label: Float64Array) => ({
    ...w,
    positives: sum(label),
  });
  const data = {
    train: window(split.windows.train, train.label),
    validation: window(split.windows.validation, validation.label),
    holdout: window(split.windows.holdout, holdout.label),
    unlabeled: unlabeled.length,
  };
  const model: SavedModel = {
    format: 'claimlens-model',
    version: 1,
    name: spec.name,
    features: mart.features,
    gbt,
    calibration: choice.calibration,
    baseline,
    metadata: {
      source: { table: mart.table, keys: mart.keys },
      data,
      calibrationCandidates: choice.candidates,
      holdout: { model: metrics, baseline: baselineMetrics },
      tiers,
    },
  };
  const modelJson = serializeModel(model);
  const id = modelId(modelJson);

  // Exact SHAP costs about a millisecond per row for a few hundred trees: every unlabeled row is
  // explained, and a seeded sample of holdout rows (all of them when few).
  const cap = options.holdoutDrivers ?? DEFAULT_HOLDOUT_DRIVERS;
  const sample =
    split.holdout.length <= cap
      ? null
      : new Random(params.seed, 0x5a4b).sample(split.holdout.length, Math.max(0, Math.floor(cap)));
  const explained = sample ? Uint32Array.from(sample, (k) => split.holdout[k]!) : split.holdout;
  const rest = sample ? split.holdout.filter((_, k) => !inSorted(sample, k)) : new Uint32Array(0);
  step(`explaining ${explained.length + unlabeled.length} scored rows (exact TreeSHAP)`);
  const holdPhi = await scoreRows(wh, model, rows, explained, 'holdout', tiers, params.threads);
  await scoreRows(wh, model, rows, rest, 'holdout', tiers, params.threads, false);
  await scoreRows(wh, model, rows, unlabeled, 'unlabeled', tiers, params.threads);
  const rowsScored = await publishScores(
    wh,
    mart,
    { schema: spec.schema, table: spec.scoresTable },
    { model: spec.name, modelId: id, scoredAt: now },
  );

  const F = mart.features.length;
  const meanAbs = new Float64Array(F);
  const H = explained.length;
  for (let i = 0; i < H; i++) for (let f = 0; f < F; f++) meanAbs[f] += Math.abs(holdPhi[i * F + f]!) / H;
  const gain = new Float64Array(F);
  for (const t of gbt.trees) {
    t.feature.forEach((f, n) => {
      if (f >= 0) gain[f] += t.gain[n]!;
    });
  }
  const totalGain = sum(gain);
  const drivers: CardDriver[] = mart.features
    .map((f, i) => ({
      feature: f.name,
      meanAbsShap: meanAbs[i]!,
      gain: gain[i]!,
      gainShare: totalGain > 0 ? gain[i]! / totalGain : 0,
    }))
    .sort((a, b) => b.meanAbsShap - a.meanAbsShap || b.gain - a.gain || a.feature.localeCompare(b.feature))
    .slice(0, 15);

  const card: ModelCard = {
    model: spec.name,
    title: spec.title,
    modelId: id,
    trainedAt: now.toISOString(),
    source: {
      table: mart.table,
      keys: mart.keys,
      label: spec.label,
      scoresTable: `${spec.schema}.${spec.scoresTable}`,
    },
    intendedUse: spec.intendedUse,
    limitations: spec.limitations,
    data,
    features: mart.features.map((f, i) => ({
      name: f.name,
      kind: f.kind,
      missingShare: missingShare(train.data, i),
    })),
    training: {
      trees: gbt.trees.length,
      maxTrees: params.trees,
      learningRate: params.learningRate,
      maxDepth: params.maxDepth,
      seed: params.seed,
      validationLogLoss: gbt.validationLoss.length > 0 ? gbt.validationLoss[gbt.trees.length - 1]! : null,
    },
    metrics: { model: metrics, baseline: baselineMetrics },
    calibration: {
      method: choice.calibration.method,
      candidates: choice.candidates,
      table: calibrationTable(holdP, holdout.label),
    },
    lift: liftTable(holdP, holdout.label),
    drivers,
    explainedRows: explained.length,
    coefficients: coefficientTable(baseline).slice(0, 15),
    crossValidation: cv,
    tiers,
  };
  return { model, modelJson, card, scoresTable: `${spec.schema}.${spec.scoresTable}`, rowsScored };
}

/** Writes a file whole or not at all (temp file, then rename). */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export interface TrainReport {
  model: string;
  modelId: string;
  files: { model: string; card: string; cardJson: string };
  scoresTable: string;
  rowsScored: number;
  card: ModelCard;
  seconds: number;
}

/**
 * `claimlens train <model>`: trains in a staged copy of the warehouse (a failure leaves the warehouse
 * as it was), then writes `<name>.model.json`, `<name>.card.md` and `<name>.card.json` to `outDir`.
 */
/** Where `trainModel` and `scoreModel` run: the DuckDB file (with its open options) or a PostgreSQL server. */
export interface ModelTarget {
  open?: OpenOptions;
  /**
   * postgres:// URL: train or score on that server. The DuckDB path stays the project's anchor (model
   * files go to models/ beside it, where either engine finds them).
   */
  serverUrl?: string;
}

/**
 * Runs a model command's work so that a failure leaves the warehouse as it was: on a staged copy of
 * the DuckDB file, renamed into place; on a server directly, where the run stages in temporary
 * tables of its session and replaces the scores mart in one transaction.
 */
async function onModelWarehouse<T>(
  warehouse: string,
  target: ModelTarget,
  work: (wh: Warehouse) => Promise<T>,
): Promise<T> {
  if (target.serverUrl === undefined) return withStagedWarehouse(warehouse, work, target.open);
  const wh = await openWarehouse({ engine: 'postgres', path: warehouse, url: target.serverUrl });
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

export async function trainModel(
  warehouse: string,
  name: string,
  options: TrainOptions & { outDir?: string } & ModelTarget = {},
): Promise<TrainReport> {
  const spec = findModelSpec(name);
  const started = Date.now();
  const outDir = options.outDir ?? defaultModelDir(warehouse);
  const result = await onModelWarehouse(warehouse, options, (wh) => trainOnWarehouse(wh, spec, options));
  mkdirSync(outDir, { recursive: true });
  const files = {
    model: modelFilePath(outDir, spec.name),
    card: join(outDir, `${spec.name}.card.md`),
    cardJson: join(outDir, `${spec.name}.card.json`),
  };
  writeAtomic(files.model, result.modelJson);
  writeAtomic(files.card, renderCard(result.card));
  writeAtomic(files.cardJson, `${JSON.stringify(result.card, null, 2)}\n`);
  return {
    model: spec.name,
    modelId: result.card.modelId,
    files,
    scoresTable: result.scoresTable,
    rowsScored: result.rowsScored,
    card: result.card,
    seconds: (Date.now() - started) / 1000,
  };
}

export interface ScoreOptions {
  /** Score labeled rows too (default: only unlabeled rows, the ones awaiting an outcome). */
  all?: boolean;
  threads?: number;
  onStep?: (message: string) => void;
  now?: Date;
}

export interface ScoreReport {
  model: string;
  modelId: string;
  scoresTable: string;
  rowsScored: number;
  tiers: Record<string, number>;
}

/** Rescores a feature mart with a saved model on an open warehouse; replaces the scores mart. */
export async function scoreOnWarehouse(
  wh: Warehouse,
  spec: ModelSpec,
  model: SavedModel,
  /** The model file's text, whose hash stamps the scores. */
  modelJson: string,
  options: ScoreOptions = {},
): Promise<ScoreReport> {
  const step = options.onStep ?? (() => undefined);
  if (model.name !== spec.name) {
    throw new ClaimlensError('model', `the model file holds the ${model.name} model, not ${spec.name}`);
  }
  const mart = await inspectFeatureMart(wh, spec.schema, spec.table, spec.keys);
  requireFeatures(mart, model.features);
  step(`reading ${mart.table}`);
  const rows = await readFeatureMart(wh, mart, model.features);
  const tiers = (model.metadata.tiers as { medium: number; high: number } | undefined) ?? {
    medium: 0.5,
    high: 0.8,
  };
  const threads = options.threads ?? 2;
  try {
    if (options.all) {
      await scoreRows(wh, model, rows, rowsWhere(rows.label, true), 'labeled', tiers, threads);
    }
    const unlabeled = rowsWhere(rows.label, false);
    step(`scoring and explaining ${unlabeled.length} unlabeled rows`);
    await scoreRows(wh, model, rows, unlabeled, 'unlabeled', tiers, threads);
  } catch (err) {
    await dropStaging(wh);
    throw err;
  }
  const id = modelId(modelJson);
  const rowsScored = await publishScores(
    wh,
    mart,
    { schema: spec.schema, table: spec.scoresTable },
    { model: spec.name, modelId: id, scoredAt: options.now ?? new Date() },
  );
  return {
    model: spec.name,
    modelId: id,
    scoresTable: `${spec.schema}.${spec.scoresTable}`,
    rowsScored,
    tiers,
  };
}

/** `claimlens score <model>`: rescoring with a saved model in a staged copy of the warehouse. */
export async function scoreModel(
  warehouse: string,
  name: string,
  options: ScoreOptions & { modelFile?: string } & ModelTarget = {},
): Promise<ScoreReport> {
  const spec = findModelSpec(name);
  const file = options.modelFile ?? modelFilePath(defaultModelDir(warehouse), spec.name);
  const { model, text } = readModelFile(file);
  return onModelWarehouse(warehouse, options, (wh) => scoreOnWarehouse(wh, spec, model, text, options));
}
