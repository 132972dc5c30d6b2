// Bulk transfer of validated tables from DuckDB into PostgreSQL: DuckDB writes each table as CSV
// (its own fast writer) to a temporary file that is streamed into `COPY ... FROM STDIN`, so rows
// never pass through JS objects and PostgreSQL never sees row-by-row INSERTs.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { DuckDBWarehouse } from '../duckdb.ts';
import { ident, literal } from '../duckdb.ts';
import type { PostgresWarehouse } from './warehouse.ts';

/** PostgreSQL column type for a DuckDB one (the types the input layer and code sets use). */
export function postgresTypeOf(duckType: string): string {
  const t = duckType.toUpperCase();
  if (t.startsWith('DECIMAL')) return t.replace('DECIMAL', 'NUMERIC');
  switch (t) {
    case 'DOUBLE':
      return 'DOUBLE PRECISION';
    case 'FLOAT':
      return 'REAL';
    case 'HUGEINT':
    case 'UBIGINT':
      return 'NUMERIC(38,0)';
    case 'UINTEGER':
      return 'BIGINT';
    case 'TINYINT':
    case 'UTINYINT':
    case 'USMALLINT':
      return 'INTEGER';
    case 'TIMESTAMP WITH TIME ZONE':
      return 'TIMESTAMPTZ';
    default:
      return t;
  }
}

export interface CopiedTable {
  schema: string;
  table: string;
  rows: number;
  seconds: number;
}

/**
 * Replaces `targetSchema.table` in PostgreSQL by the rows of the DuckDB relation `source`
 * (e.g. `src.input.medical_claim`), same column names and matching types.
 */
export async function copyTableToPostgres(
  duck: DuckDBWarehouse,
  source: string,
  pgwh: PostgresWarehouse,
  targetSchema: string,
  table: string,
): Promise<CopiedTable> {
  const t0 = performance.now();
  const columns = await duck.describe(`SELECT * FROM ${source}`);
  const target = `${ident(targetSchema)}.${ident(table)}`;
  await pgwh.run(`CREATE SCHEMA IF NOT EXISTS ${ident(targetSchema)}`);
  await pgwh.run(`DROP TABLE IF EXISTS ${target} CASCADE`);
  await pgwh.run(
    `CREATE TABLE ${target} (\n${columns.map((c) => `  ${ident(c.name)} ${postgresTypeOf(c.type)}`).join(',\n')}\n)`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'claimlens-copy-'));
  const file = join(dir, `${table}.csv`);
  try {
    // Unquoted empty fields are NULL and quoted ones empty strings in both engines' CSV.
    await duck.run(
      `COPY (SELECT * FROM ${source}) TO ${literal(file)} (FORMAT csv, HEADER false, DATEFORMAT '%Y-%m-%d', TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S.%f')`,
    );
    const stream = pgwh.connection.query(
      copyFrom(`COPY ${target} (${columns.map((c) => ident(c.name)).join(', ')}) FROM STDIN (FORMAT csv)`),
    );
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), stream);
    const rows = Number(stream.rowCount);
    // Statistics for the planner (a table filled inside the build's transaction has none).
    await pgwh.run(`ANALYZE ${target}`);
    return { schema: targetSchema, table, rows, seconds: (performance.now() - t0) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies every table of `sourceSchema` in the DuckDB database `catalog` to the same schema in PostgreSQL. */
export async function copySchemaToPostgres(
  duck: DuckDBWarehouse,
  catalog: string,
  sourceSchema: string,
  pgwh: PostgresWarehouse,
  targetSchema = sourceSchema,
): Promise<CopiedTable[]> {
  const tables = await duck.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_catalog = ? AND table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [catalog, sourceSchema],
  );
  const out: CopiedTable[] = [];
  for (const t of tables) {
    out.push(
      await copyTableToPostgres(
        duck,
        `${ident(catalog)}.${ident(sourceSchema)}.${ident(t.table_name)}`,
        pgwh,
        targetSchema,
        t.table_name,
      ),
    );
  }
  return out;
}
