// A trained model as a versioned JSON file: format and version, features with their binning, the
// trees, the calibration, the logistic baseline and metadata. Written byte-for-byte the same for the
// same data and seed (no clock, stable key order), and checked field by field when read back.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ClaimlensError } from '../errors.ts';
import type { FeatureBins } from './binning.ts';
import { type Calibration, calibrateAll } from './calibration.ts';
import type { Dataset } from './dataset.ts';
import { type GbtModel, predictMargin } from './gbt.ts';
import type { LogisticModel } from './logistic.ts';
import { sigmoid } from './objective.ts';

export const MODEL_FORMAT = 'claimlens-model';
export const MODEL_FORMAT_VERSION = 1;

export interface ModelFeature {
  /** Column in the feature mart (`f_<name>`). */
  column: string;
  name: string;
  kind: 'numeric' | 'categorical';
}

export interface SavedModel {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  /** Model name (denial, readmission, pay, or any name a caller gives). */
  name: string;
  features: ModelFeature[];
  gbt: GbtModel;
  /** Maps the trees' margin to a calibrated probability; null = plain sigmoid. */
  calibration: Calibration | null;
  baseline: LogisticModel | null;
  /** Where the model came from and how it did (data windows, metrics); free-form but JSON. */
  metadata: Record<string, unknown>;
}

/** The model's JSON text: two-space indented, keys in declaration order, ending in a newline. */
export function serializeModel(model: SavedModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const int = z.number().int();

const binsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('numeric'), name: z.string(), cuts: z.array(finite) }),
  z.object({ kind: z.literal('categorical'), name: z.string(), levels: z.array(z.string()) }),
]);

const treeSchema = z.object({
  left: z.array(int),
  right: z.array(int),
  feature: z.array(int),
  threshold: z.array(finite.nullable()),
  splitBin: z.array(int),
  leftBins: z.array(z.array(int).nullable()),
  defaultLeft: z.array(z.boolean()),
  value: z.array(finite),
  cover: z.array(finite),
  gain: z.array(finite),
});

const calibrationSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('platt'), a: finite, b: finite }),
  z.object({ method: z.literal('isotonic'), x: z.array(finite).min(1), y: z.array(finite).min(1) }),
]);

const logisticSchema = z.object({
  kind: z.literal('logistic'),
  lambda: finite,
  intercept: finite,
  features: z.array(
    z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('numeric'),
        name: z.string(),
        mean: finite,
        sd: finite,
        coef: finite,
        missingCoef: finite.nullable(),
      }),
      z.object({
        kind: z.literal('categorical'),
        name: z.string(),
        reference: z.string().nullable(),
        levels: z.array(z.string()),
        coefs: z.array(finite),
        otherCoef: finite.nullable(),
        missingCoef: finite.nullable(),
      }),
    ]),
  ),
  iterations: int,
});

const modelSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_FORMAT_VERSION),
  name: z.string(),
  features: z.array(
    z.object({ column: z.string(), name: z.string(), kind: z.enum(['numeric', 'categorical']) }),
  ),
  gbt: z.object({
    kind: z.literal('gbt'),
    objective: z.enum(['binary', 'squared_error']),
    baseMargin: finite,
    binning: z.array(binsSchema),
    trees: z.array(treeSchema).min(1),
    params: z.record(z.string(), z.unknown()),
    validationLoss: z.array(finite),
  }),
  calibration: calibrationSchema.nullable(),
  baseline: logisticSchema.nullable(),
  metadata: z.record(z.string(), z.unknown()),
});

/** Parses and checks a model's JSON text; `file` names it in errors. */
export function parseModel(text: string, file: string): SavedModel {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ClaimlensError('model', `not a model file (invalid JSON: ${(err as Error).message})`, { file });
  }
  const head = raw as { format?: unknown; version?: unknown };
  if (head?.format !== MODEL_FORMAT) {
    throw new ClaimlensError(
      'model',
      `not a claimlens model file (format is ${JSON.stringify(head?.format)})`,
      { file },
    );
  }
  if (head.version !== MODEL_FORMAT_VERSION) {
    throw new ClaimlensError(
      'model',
      `model format version ${JSON.stringify(head.version)} is not supported (this claimlens reads version ${MODEL_FORMAT_VERSION}); retrain the model`,
      { file },
    );
  }
  const parsed = modelSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ClaimlensError('model', `invalid model file: ${problems.join('; ')}`, { file });
  }
  const model = parsed.data as unknown as SavedModel;
  checkConsistency(model, file);
  return model;
}

/** Cross-field checks the schema cannot express: array lengths, node and bin references. */
function checkConsistency(model: SavedModel, file: string): void {
  const bad = (what: string) => {
    throw new ClaimlensError('model', `invalid model file: ${what}`, { file });
  };
  const F = model.features.length;
  if (model.gbt.binning.length !== F) bad('binning and features differ in length');
  model.features.forEach((f, i) => {
    const b: FeatureBins = model.gbt.binning[i]!;
    if (b.name !== f.name || b.kind !== f.kind) bad(`feature ${i} (${f.name}) does not match its binning`);
  });
  model.gbt.trees.forEach((t, ti) => {
    const n = t.feature.length;
    const arrays = [
      t.left,
      t.right,
      t.threshold,
      t.splitBin,
      t.leftBins,
      t.defaultLeft,
      t.value,
      t.cover,
      t.gain,
    ];
    if (arrays.some((a) => a.length !== n)) bad(`tree ${ti} has arrays of different lengths`);
    for (let k = 0; k < n; k++) {
      const f = t.feature[k]!;
      if (f < 0) continue;
      if (f >= F) bad(`tree ${ti} node ${k} splits on unknown feature ${f}`);
      const l = t.left[k]!;
      const r = t.right[k]!;
      if (!(l > k && r === l + 1 && r < n)) bad(`tree ${ti} node ${k} has invalid children`);
      const fb = model.gbt.binning[f]!;
      if (fb.kind === 'numeric' && !(t.splitBin[k]! >= 0 && t.splitBin[k]! < fb.cuts.length)) {
        bad(`tree ${ti} node ${k} splits on a bin its feature does not have`);
      }
      if (fb.kind === 'categorical' && !t.leftBins[k]) bad(`tree ${ti} node ${k} lacks its categories`);
    }
  });
  const c = model.calibration;
  if (c?.method === 'isotonic' && c.x.length !== c.y.length) bad('isotonic knots differ in length');
}

/** Reads a model file. */
export function readModel(path: string): SavedModel {
  return readModelFile(path).model;
}

/** Reads a model file, keeping its text (whose hash identifies the model). */
export function readModelFile(path: string): { model: SavedModel; text: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ClaimlensError(
      'model',
      code === 'ENOENT'
        ? 'no model file here: train one first (`claimlens train <model>`) or pass --model FILE'
        : `cannot read model file: ${(err as Error).message}`,
      { file: path },
    );
  }
  return { model: parseModel(text, path), text };
}

/** Probabilities of margins through the saved calibration (or the plain sigmoid without one). */
export function probabilityOf(model: SavedModel, margin: Float64Array): Float64Array {
  return model.calibration ? calibrateAll(model.calibration, margin) : Float64Array.from(margin, sigmoid);
}

/** Margins and probabilities of every row (binary models). */
export function predictSaved(
  model: SavedModel,
  data: Dataset,
): { margin: Float64Array; probability: Float64Array } {
  const margin = predictMargin(model.gbt, data);
  return { margin, probability: probabilityOf(model, margin) };
}
