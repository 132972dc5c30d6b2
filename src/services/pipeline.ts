// The product build: code sets before the SQL models, data-quality marts after them, all inside
// one staged (atomic) build. The CLI, the demo and the benchmark call this one function.
import { loadCodesets } from '../codesets/registry.ts';
import { type Config, loadConfig } from '../config.ts';
import type { OpenOptions } from '../engine/duckdb.ts';
import { type BuildReport, buildWarehouse } from '../runner/index.ts';
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
  const step = options.onStep ?? (() => undefined);
  const config = options.config ?? loadConfig();
  return buildWarehouse(warehousePath, {
    modelsDir: options.modelsDir,
    open: options.open,
    onProgress: options.onProgress,
    beforeModels: [
      async (wh) => {
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
  });
}
