// DDL for the input layer, generated from the contract.
import { type Dialect, duckdbDialect } from '../engine/dialect.ts';
import { ident, type Warehouse } from '../engine/duckdb.ts';
import { INPUT_SCHEMA } from './contract.ts';
import type { TableSpec } from './spec.ts';

/** Lineage columns every loaded row carries, so any row can be traced to its file and line. */
export const LINEAGE_COLUMNS = [
  { name: '_source_file', sql: 'VARCHAR', description: 'File the row was loaded from.' },
  { name: '_source_line', sql: 'BIGINT', description: 'Line of the row in that file (header is line 1).' },
  { name: '_loaded_at', sql: 'TIMESTAMP', description: 'When the row was loaded.' },
] as const;

/**
 * DDL of an input table, in contract order. Columns named in `virtual` (DuckDB only) are virtual
 * generated columns: always NULL, stored as nothing (see virtualColumns). `table` names the table
 * created, by default the spec's own.
 */
export function createTableSql(
  spec: TableSpec,
  dialect: Dialect = duckdbDialect,
  { virtual = new Set<string>(), table = spec.name }: { virtual?: ReadonlySet<string>; table?: string } = {},
): string {
  const cols = spec.columns.map((c) => {
    const type = dialect.sqlType(c.type);
    const always = virtual.has(c.name) ? ` GENERATED ALWAYS AS (CAST(NULL AS ${type})) VIRTUAL` : '';
    return `  ${ident(c.name)} ${type}${always}`;
  });
  const lineage = LINEAGE_COLUMNS.map((c) => `  ${ident(c.name)} ${c.sql}`);
  return `CREATE TABLE IF NOT EXISTS ${ident(INPUT_SCHEMA)}.${ident(table)} (\n${[...cols, ...lineage].join(',\n')}\n)`;
}

/**
 * The virtual columns of input table `table` on DuckDB: columns no loaded file gave, which read as
 * NULL and take no storage. DuckDB shows a generated column's expression as its default, and input
 * tables have no other defaults. Empty on PostgreSQL, where every column is stored.
 */
export async function virtualColumns(wh: Warehouse, table: string): Promise<Set<string>> {
  if (wh.engine !== 'duckdb') return new Set();
  const rows = await wh.all<{ column_name: string }>(
    `SELECT column_name FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = ? AND table_name = ? AND column_default IS NOT NULL`,
    [INPUT_SCHEMA, table],
  );
  return new Set(rows.map((r) => r.column_name));
}
