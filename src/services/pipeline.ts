// The product build: code sets before the SQL models, data-quality marts after them, all inside
// one staged (atomic) build. The CLI, the demo and the benchmark call this one function.
import { loadCodesets } from '../codesets/registry.ts';
import { type Config, loadConfig } from '../config.ts';
import type { OpenOptions, Warehouse } from '../engine/duckdb.ts';
import { publishCodesets } from '../engine/postgres/publish.ts';
import type { PostgresWarehouse } from '../engine/postgres/warehouse.ts';
import { type BuildReport, buildPostgresWarehouse, buildWarehouse } from '../runner/index.ts';
import type { OnModelProgress } from '../runner/run.ts';
import { materializeQuality } from './quality.ts';
import { materializeReadmissionModel } from './readmissions.ts';

export interface ProductBuildOptions {
  /** Configuration of the models fitted during the build; defaults to claimlens.config.json of the working directory. */
  config?: Config;
  modelsDir?: string;
  open?: OpenOptions;
  onProgress?: OnModelProgress;
  /** Progress of the steps around the models (code sets, quality marts). */
  onStep?: (message: string) => void;
}

export function buildProduct(warehousePath: string, options: ProductBuildOptions = {}): Promise<BuildReport> {
  return buildWarehouse(warehousePath, {
    modelsDir: options.modelsDir,
    open: options.open,
    onProgress: options.onProgress,
    ...productHooks(options),
  });
}

/**
 * The same product build on a PostgreSQL server (`--engine postgres --url ...`): the input layer
 * of the DuckDB file `inputFrom` (what `claimlens load` made) is copied in first when given.
 */
export function buildProductOnPostgres(
  url: string,
  options: ProductBuildOptions & { inputFrom?: string } = {},
): Promise<BuildReport> {
  return buildPostgresWarehouse(url, {
    modelsDir: options.modelsDir,
    onProgress: options.onProgress,
    inputFrom: options.inputFrom,
    onStep: options.onStep,
    ...productHooks(options),
  });
}

function productHooks(options: ProductBuildOptions): {
  beforeModels: ((wh: Warehouse) => Promise<void>)[];
  afterModels: ((wh: Warehouse) => Promise<void>)[];
} {
  const step = options.onStep ?? (() => undefined);
  const config = options.config ?? loadConfig();
  return {
    beforeModels: [
      async (wh) => {
        if (wh.engine === 'postgres') {
          // DuckDB's CSV reader loads and checks them; the server gets the result with COPY.
          const copied = await publishCodesets(wh as PostgresWarehouse);
          step(`copied ${copied.length} code sets into schema codes`);
          return;
        }
        const loaded = await loadCodesets(wh);
        step(`loaded ${loaded.filter((c) => c.loaded).length} code sets into schema codes`);
      },
    ],
    afterModels: [
      async (wh) => {
        const report = await materializeQuality(wh);
        step(
          `quality marts: ${report.checks.length} checks, ${report.checks.filter((c) => c.status === 'fail').length} failing`,
        );
      },
      async (wh) => {
        // A build of other models (--models DIR) may have no readmission marts to fit on.
        if (!(await wh.tableExists('marts', 'readmission_stay'))) return;
        const model = await materializeReadmissionModel(wh, config.readmissions);
        step(
          `readmission risk model fitted on ${model.index_admissions.toLocaleString('en-US')} index admissions`,
        );
      },
    ],
  };
}
