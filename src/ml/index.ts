// The ML library's public surface: data, boosted trees, logistic baseline, validation, metrics,
// calibration, explanations, model files and cards. Workers, shards and warehouse I/O stay internal.
export { type BatchOptions, explainRows, marginRows } from './batch.ts';
export { binDataset, type FeatureBins, fitBinning } from './binning.ts';
export {
  type Calibration,
  type CalibrationChoice,
  calibrate,
  calibrateAll,
  chooseCalibration,
  fitIsotonic,
  fitPlatt,
} from './calibration.ts';
export { type ModelCard, renderCard } from './card.ts';
export {
  type CategoricalColumn,
  categorical,
  type Dataset,
  dataset,
  type FeatureColumn,
  type NumericColumn,
  numeric,
  take,
  takeRows,
} from './dataset.ts';
export {
  DEFAULT_GBT_PARAMS,
  type GbtModel,
  type GbtParams,
  type GbtTrainOptions,
  predictGbt,
  predictMargin,
  resolveGbtParams,
  trainGbt,
} from './gbt.ts';
export {
  type CoefficientRow,
  coefficientTable,
  fitLogistic,
  type LogisticModel,
  logisticMargin,
  predictLogistic,
} from './logistic.ts';
export {
  type AucInterval,
  averagePrecision,
  type BinaryMetrics,
  binaryMetrics,
  brierScore,
  calibrationFit,
  calibrationTable,
  liftTable,
  logLoss,
  rocAuc,
} from './metrics.ts';
export {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelFeature,
  parseModel,
  predictSaved,
  readModel,
  type SavedModel,
  serializeModel,
} from './model-file.ts';
export type { Objective } from './objective.ts';
export { type Explainer, explainerFor, LeafTableShap, TreeShap, topDrivers } from './shap.ts';
export { type CompiledTrees, compileTrees, type Tree } from './tree.ts';
export { crossValidate, stratifiedFolds, type TimeSplit, timeSplit } from './validation.ts';
