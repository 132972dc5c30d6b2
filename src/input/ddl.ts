// DDL for the input layer, generated from the contract.
import { type Dialect, duckdbDialect } from '../engine/dialect.ts';
import { ident } from '../engine/duckdb.ts';
import { INPUT_SCHEMA } from './contract.ts';
import type { TableSpec } from './spec.ts';

/** Lineage columns every loaded row carries, so any row can be traced to its file and line. */
export const LINEAGE_COLUMNS = [
  { name: '_source_file', sql: 'VARCHAR', description: 'File the row was loaded from.' },
  { name: '_source_line', sql: 'BIGINT', description: 'Line of the row in that file (header is line 1).' },
  { name: '_loaded_at', sql: 'TIMESTAMP', description: 'When the row was loaded.' },
] as const;

export function createTableSql(
  spec: TableSpec,
  dialect: Dialect = duckdbDialect,
  schema = INPUT_SCHEMA,
): string {
  const cols = spec.columns.map((c) => `  ${ident(c.name)} ${dialect.sqlType(c.type)}`);
  const lineage = LINEAGE_COLUMNS.map((c) => `  ${ident(c.name)} ${c.sql}`);
  return `CREATE TABLE IF NOT EXISTS ${ident(schema)}.${ident(spec.name)} (\n${[...cols, ...lineage].join(',\n')}\n)`;
}
