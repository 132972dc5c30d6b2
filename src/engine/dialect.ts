// What differs between engines in the SQL claimlens writes itself: column types, how a model's
// relation is (re)created, and engine settings. Model SQL itself stays one portable set of files
// (docs/sql-portability.md); the few DuckDB functions PostgreSQL lacks are supplied there by the
// compatibility schema (src/engine/postgres/compat.ts), not by rewriting models per engine.
import type { ColumnType } from '../input/spec.ts';

export interface Dialect {
  name: 'duckdb' | 'postgres';
  sqlType(type: ColumnType): string;
  /**
   * Statements that replace `table` (quoted, qualified) by a table or view of `select`. DuckDB has
   * `CREATE OR REPLACE`; PostgreSQL has it for views only (and not when columns change), so it
   * drops and creates, inside the build's transaction.
   */
  replaceRelation(kind: 'TABLE' | 'VIEW', table: string, select: string): string[];
  /** Drops a table or view if it exists; CASCADE on PostgreSQL so views on it go too (they are rebuilt in order). */
  dropRelation(kind: 'TABLE' | 'VIEW', table: string): string;
  /**
   * Statements run after a model's table is created. PostgreSQL plans the next models from table
   * statistics, which a table created inside the build's transaction does not have until ANALYZE.
   */
  afterCreate(kind: 'TABLE' | 'VIEW', table: string): string[];
  /** 1-based line of an engine error message's position in the statement, when the engine says it. */
  errorLine(err: unknown, statement: string): number | undefined;
}

const DUCKDB_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  integer: 'INTEGER',
  number: 'DOUBLE',
  money: 'DECIMAL(18,2)',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
};

const POSTGRES_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  integer: 'INTEGER',
  number: 'DOUBLE PRECISION',
  money: 'NUMERIC(18,2)',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
};

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  sqlType: (type) => DUCKDB_TYPES[type],
  replaceRelation: (kind, table, select) => [`CREATE OR REPLACE ${kind} ${table} AS\n${select}`],
  dropRelation: (kind, table) => `DROP ${kind} IF EXISTS ${table}`,
  afterCreate: () => [],
  errorLine: (err) => {
    const m = /LINE (\d+):/.exec((err as Error).message ?? '');
    return m ? Number(m[1]) : undefined;
  },
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  sqlType: (type) => POSTGRES_TYPES[type],
  replaceRelation: (kind, table, select) => [
    `DROP TABLE IF EXISTS ${table} CASCADE`.replace('TABLE', kind),
    `CREATE ${kind} ${table} AS\n${select}`,
  ],
  dropRelation: (kind, table) => `DROP ${kind} IF EXISTS ${table} CASCADE`,
  afterCreate: (kind, table) => (kind === 'TABLE' ? [`ANALYZE ${table}`] : []),
  errorLine: (err, statement) => {
    const position = Number((err as { position?: string }).position);
    if (!Number.isFinite(position) || position <= 0) return undefined;
    return statement.slice(0, position - 1).split('\n').length;
  },
};

export function dialectFor(name: 'duckdb' | 'postgres'): Dialect {
  return name === 'postgres' ? postgresDialect : duckdbDialect;
}
