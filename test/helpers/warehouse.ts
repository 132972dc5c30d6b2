// Shared test helper: an in-memory warehouse with hand-made input rows, optionally the shipped code
// sets, and the shipped models that the requested marts need (their dependency closure), built by
// the real runner. Mart tests use this instead of their own copies.
import { loadCodesets } from '../../src/codesets/registry.ts';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { INPUT_SCHEMA, INPUT_TABLES, type InputTableName } from '../../src/input/contract.ts';
import { createTableSql } from '../../src/input/ddl.ts';
import { DEFAULT_MODELS_DIR, loadModels, type Model, runModels } from '../../src/runner/index.ts';

export type Value = string | number | boolean | null;
export type InputRow = Record<string, Value>;
export type InputTables = Partial<Record<InputTableName, InputRow[]>>;

export interface TestWarehouseOptions {
  /** Model ids (`marts.cost_pmpm`) or folder prefixes (`marts/cost/`) to build with their dependencies; none by default. */
  models?: readonly string[];
  /** Load the shipped code sets into schema `codes` first (default false: faster). */
  codesets?: boolean;
  /** Warehouse path; in memory by default. */
  path?: string;
}

export async function insertRows(wh: Warehouse, table: string, rows: readonly InputRow[]): Promise<void> {
  for (const row of rows) {
    const cols = Object.keys(row);
    await wh.run(
      `INSERT INTO ${INPUT_SCHEMA}.${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      cols.map((c) => row[c]!),
    );
  }
}

/** The shipped models matching `targets` and every model they read. */
export function modelsFor(targets: readonly string[]): Model[] {
  const all = loadModels(DEFAULT_MODELS_DIR);
  const byId = new Map(all.map((m) => [m.id, m]));
  const wanted = new Set<string>();
  const visit = (id: string): void => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const ref of byId.get(id)?.references ?? []) visit(ref.target);
  };
  for (const m of all) if (targets.some((t) => m.id === t || m.relPath.startsWith(t))) visit(m.id);
  return all.filter((m) => wanted.has(m.id));
}

/** A warehouse with every input table created, `input` rows inserted and the requested models built; close it after use. */
export async function testWarehouse(
  input: InputTables,
  options: TestWarehouseOptions = {},
): Promise<Warehouse> {
  const wh = await Warehouse.open(options.path ?? ':memory:', { threads: 1 });
  await wh.run(`CREATE SCHEMA ${INPUT_SCHEMA}`);
  for (const spec of INPUT_TABLES) await wh.run(createTableSql(spec));
  for (const [table, rows] of Object.entries(input)) await insertRows(wh, table, rows ?? []);
  if (options.codesets) await loadCodesets(wh);
  if (options.models && options.models.length > 0) await runModels(wh, modelsFor(options.models));
  return wh;
}
