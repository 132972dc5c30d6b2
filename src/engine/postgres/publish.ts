// Publishing to PostgreSQL what the DuckDB side prepared: the validated input layer of a loaded
// warehouse (validation and quarantine stay in the one DuckDB loader) and the shipped code sets.
import { loadCodesets } from '../../codesets/registry.ts';
import { DuckDBWarehouse, literal } from '../duckdb.ts';
import { type CopiedTable, copySchemaToPostgres } from './copy.ts';
import type { PostgresWarehouse } from './warehouse.ts';

/** Copies every table of schema `input` (quarantine included) of the DuckDB file `duckdbPath` into `pgwh`. */
export async function publishInputLayer(duckdbPath: string, pgwh: PostgresWarehouse): Promise<CopiedTable[]> {
  const duck = await DuckDBWarehouse.open(':memory:');
  try {
    await duck.run(`ATTACH ${literal(duckdbPath)} AS src (READ_ONLY)`);
    return await copySchemaToPostgres(duck, 'src', 'input', pgwh);
  } finally {
    await duck.close();
  }
}

/** Loads the shipped code sets with DuckDB's CSV reader (as on DuckDB) and copies schema `codes` into `pgwh`. */
export async function publishCodesets(
  pgwh: PostgresWarehouse,
  options: { dir?: string } = {},
): Promise<CopiedTable[]> {
  const duck = await DuckDBWarehouse.open(':memory:');
  try {
    await loadCodesets(duck, options);
    return await copySchemaToPostgres(duck, 'memory', 'codes', pgwh);
  } finally {
    await duck.close();
  }
}
