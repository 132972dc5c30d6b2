// Public surface of the model runner: reading, ordering and running SQL models, the build service
// and the read-only query service.
export {
  type BuildHook,
  type BuildOptions,
  type BuildReport,
  type BuiltModel,
  buildPostgresWarehouse,
  buildWarehouse,
  DEFAULT_MODELS_DIR,
  META_SCHEMA,
  type PostgresBuildOptions,
} from './build.ts';
export {
  type ColumnDoc,
  type InheritedDocs,
  loadModels,
  type Materialized,
  type Model,
  type ModelSource,
  type ModelTest,
  ONE_ROW_GRAIN,
  parseModel,
} from './model.ts';
export { orderModels } from './order.ts';
export { type QueryOptions, type QueryResult, queryWarehouse } from './query.ts';
export {
  type BuiltColumn,
  type ModelProgress,
  type ModelRun,
  modelTable,
  type OnModelProgress,
  runModels,
} from './run.ts';
export { type Layer, MODEL_LAYERS } from './sqltext.ts';
