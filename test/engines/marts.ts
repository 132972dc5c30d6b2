// Every mart a product build makes, with its grain: the SQL model marts (from their headers), the
// quality marts and the readmission model's tables. The differential test and the engine benchmark
// compare each of them between DuckDB and PostgreSQL.
import { QUALITY_MARTS } from '../../src/quality/marts.ts';
import { DEFAULT_MODELS_DIR, loadModels } from '../../src/runner/index.ts';
import type { CompareTable } from './compare.ts';

export function productMarts(options: { allLayers?: boolean } = {}): CompareTable[] {
  const models = loadModels(DEFAULT_MODELS_DIR).filter((m) => options.allLayers || m.layer === 'marts');
  return [
    ...models.map((m) => ({ table: `${m.layer}.${m.name}`, grain: m.grain })),
    ...QUALITY_MARTS.map((q) => ({ table: `marts.${q.name}`, grain: q.grain, ignore: ['checked_at'] })),
    { table: 'marts.readmission_risk_model', grain: ['term_position'] },
    { table: 'marts.readmission_expected', grain: ['encounter_id'] },
  ];
}
