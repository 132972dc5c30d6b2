// What differs between engines in the SQL claimlens writes itself (types now; date arithmetic,
// quantiles and bulk load join here as engines are added).
import type { ColumnType } from '../input/spec.ts';

export interface Dialect {
  name: 'duckdb' | 'postgres';
  sqlType(type: ColumnType): string;
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

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  sqlType: (type) => DUCKDB_TYPES[type],
};
