// Bulk transfer between DuckDB and PostgreSQL. Into PostgreSQL: DuckDB writes each table as CSV
// (its own fast writer) to a temporary file that is streamed into `COPY ... FROM STDIN`, so rows
// never pass through JS objects and PostgreSQL never sees row-by-row INSERTs. Out of PostgreSQL (the
// de-identified export, which writes its files with DuckDB): `COPY (query) TO STDOUT` streamed to a
// temporary CSV file that DuckDB's reader loads, the same path the other way round.
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
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

/**
 * DuckDB column type for a PostgreSQL one (`format_type` spelling), the inverse of `postgresTypeOf`
 * for the types claimlens creates. NUMERIC without a declared scale has no DuckDB equivalent that
 * keeps every value exactly, so it becomes DOUBLE; unknown types travel as their text.
 */
export function duckdbTypeOf(postgresType: string): string {
  const t = postgresType.toLowerCase();
  const numeric = /^numeric\((\d+),(\d+)\)$/.exec(t);
  if (numeric) {
    const precision = Number(numeric[1]);
    return precision <= 38 ? `DECIMAL(${precision},${numeric[2]})` : 'DOUBLE';
  }
  if (/^(character varying|character|varchar|char)\b/.test(t)) return 'VARCHAR';
  switch (t) {
    case 'smallint':
      return 'SMALLINT';
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'real':
      return 'FLOAT';
    case 'double precision':
    case 'numeric':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp without time zone':
      return 'TIMESTAMP';
    case 'timestamp with time zone':
      return 'TIMESTAMP WITH TIME ZONE';
    default:
      return 'VARCHAR';
  }
}

/**
 * Runs `work` with session settings changed and puts the previous values back afterwards, whether or
 * not `work` succeeds (`set_config` rather than SET LOCAL, which would need a transaction of our own).
 */
export async function withSessionSettings<T>(
  pgwh: PostgresWarehouse,
  settings: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  const names = Object.keys(settings);
  const before = new Map<string, string>();
  for (const name of names) {
    const r = await pgwh.one<{ v: string }>('SELECT current_setting(?) AS v', [name]);
    before.set(name, r!.v);
    await pgwh.run('SELECT set_config(?, ?, false)', [name, settings[name]]);
  }
  try {
    return await work();
  } finally {
    for (const name of names) await pgwh.run('SELECT set_config(?, ?, false)', [name, before.get(name)]);
  }
}

/** A PostgreSQL relation's columns with their types as `format_type` spells them, in table order. */
export async function postgresColumns(
  pgwh: PostgresWarehouse,
  schema: string,
  table: string,
): Promise<{ name: string; type: string }[]> {
  return pgwh.all<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
     FROM pg_attribute a
     WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [`${ident(schema)}.${ident(table)}`],
  );
}

/**
 * Creates `target` in DuckDB (quoted, qualified; its schema must exist) with `columns` of the
 * PostgreSQL relation `source` and their matching DuckDB types, filled with its rows, for a table in
 * physical order (`ORDER BY ctid`: the order they were copied in, which for the input layer is the
 * DuckDB file's). Values arrive exactly: numerics and text as written, floats in their shortest
 * exact form, dates in ISO; booleans travel as true/false, and quoted empty fields stay empty
 * strings, not NULL. The temporary CSV file is private to this user and removed before returning.
 */
export async function copyRelationToDuckDB(
  pgwh: PostgresWarehouse,
  source: { schema: string; table: string },
  columns: readonly string[],
  duck: DuckDBWarehouse,
  target: string,
): Promise<number> {
  const all = new Map(
    (await postgresColumns(pgwh, source.schema, source.table)).map((c) => [c.name, c.type]),
  );
  const types = columns.map((c) => {
    const t = all.get(c);
    if (t === undefined) throw new Error(`${source.schema}.${source.table} has no column ${c}`);
    return duckdbTypeOf(t);
  });
  await duck.run(`CREATE TABLE ${target} (${columns.map((c, i) => `${ident(c)} ${types[i]}`).join(', ')})`);
  if (columns.length === 0) return 0;
  const select = columns.map((c, i) =>
    types[i] === 'BOOLEAN'
      ? `CASE WHEN ${ident(c)} THEN 'true' WHEN NOT ${ident(c)} THEN 'false' END`
      : ident(c),
  );
  const kind = await pgwh.one<{ kind: string }>(
    'SELECT relkind::text AS kind FROM pg_class WHERE oid = to_regclass(?)',
    [`${ident(source.schema)}.${ident(source.table)}`],
  );
  // Without an ORDER BY a scan may start mid-table (synchronize_seqscans); views have no ctid.
  const order = kind?.kind === 'r' ? ' ORDER BY ctid' : '';
  const dir = mkdtempSync(join(tmpdir(), 'claimlens-copy-'));
  const file = join(dir, 'rows.csv');
  try {
    await withSessionSettings(pgwh, { extra_float_digits: '3', DateStyle: 'ISO, YMD' }, async () => {
      const stream = pgwh.connection.query(
        copyTo(
          `COPY (SELECT ${select.join(', ')} FROM ${ident(source.schema)}.${ident(source.table)}${order}) TO STDOUT (FORMAT csv)`,
        ),
      );
      await pipeline(stream, createWriteStream(file, { mode: 0o600 }));
    });
    const spec = columns.map((c, i) => `${literal(c)}: ${literal(types[i]!)}`).join(', ');
    await duck.run(
      `INSERT INTO ${target} SELECT * FROM read_csv(${literal(file)}, columns = {${spec}}, header = false, auto_detect = false, quote = '"', escape = '"', allow_quoted_nulls = false, dateformat = '%Y-%m-%d')`,
    );
    const n = await duck.one<{ n: number }>(`SELECT count(*) AS n FROM ${target}`);
    return n?.n ?? 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
