// The PostgreSQL warehouse against DuckDB on small queries: the same rows and JS types from both,
// the compatibility functions agreeing with DuckDB's built-ins on their edge cases, placeholders,
// describe, read-only sessions, and COPY of a DuckDB table (NULLs, empty strings, quotes kept).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../../src/engine/duckdb.ts';
import { redactUrl } from '../../src/engine/engine.ts';
import { copyTableToPostgres, postgresTypeOf } from '../../src/engine/postgres/copy.ts';
import { numberPlaceholders, PostgresWarehouse } from '../../src/engine/postgres/warehouse.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

describe('helpers', () => {
  it('numbers ? placeholders outside strings, identifiers and comments', () => {
    expect(numberPlaceholders(`SELECT ?, '?', "a?" -- ?\n, ? /* ? */ FROM t WHERE x = ?`)).toBe(
      `SELECT $1, '?', "a?" -- ?\n, $2 /* ? */ FROM t WHERE x = $3`,
    );
  });

  it('hides passwords in URLs', () => {
    expect(redactUrl('postgres://ana:s3cr@t@db:5432/claims')).toBe('postgres://ana:***@db:5432/claims');
    expect(redactUrl('postgres://ana@db/claims')).toBe('postgres://ana@db/claims');
  });

  it('maps DuckDB column types', () => {
    expect(postgresTypeOf('DOUBLE')).toBe('DOUBLE PRECISION');
    expect(postgresTypeOf('DECIMAL(18,2)')).toBe('NUMERIC(18,2)');
    expect(postgresTypeOf('VARCHAR')).toBe('VARCHAR');
    expect(postgresTypeOf('HUGEINT')).toBe('NUMERIC(38,0)');
  });
});

describe.skipIf(!postgresAvailable())('PostgresWarehouse', () => {
  let server: TestPostgres;
  let pg: PostgresWarehouse;
  let duck: DuckDBWarehouse;

  beforeAll(async () => {
    server = await startPostgres();
    pg = await PostgresWarehouse.open(server.url);
    duck = await DuckDBWarehouse.open(':memory:');
  }, 60_000);

  afterAll(async () => {
    await pg?.close();
    await duck?.close();
    await server?.stop();
  });

  const same = async (sql: string, params?: unknown[]) => {
    const [a, b] = [await duck.all(sql, params), await pg.all(sql, params)];
    expect(b, sql).toEqual(a);
    return a;
  };

  it('returns the same JS values as DuckDB', async () => {
    const rows = await same(
      `SELECT CAST(12345678901 AS BIGINT) AS big, CAST(12.34 AS DECIMAL(18,2)) AS money, CAST(1.5 AS DOUBLE PRECISION) AS dbl,
              DATE '2025-03-01' AS d, TIMESTAMP '2025-03-01 04:05:06' AS ts, true AS flag, CAST(NULL AS VARCHAR) AS nothing,
              count(*) AS n, ? AS p`,
      ['text'],
    );
    expect(rows[0]).toEqual({
      big: 12345678901,
      money: 12.34,
      dbl: 1.5,
      d: '2025-03-01',
      ts: '2025-03-01 04:05:06',
      flag: true,
      nothing: null,
      n: 1,
      p: 'text',
    });
  });

  it('gives DuckDB semantics to what the models use', async () => {
    await same('SELECT 7 / 2 AS half, CAST(7 AS BIGINT) / 4 AS quarter');
    // Half away from zero on the double itself: 1078.005 is stored just below, so it rounds down.
    await same(
      'SELECT round(CAST(1078.005 AS DOUBLE PRECISION), 2) AS a, round(CAST(2.5 AS DOUBLE PRECISION), 0) AS b, round(CAST(-2.5 AS DOUBLE PRECISION), 0) AS c, round(CAST(0.125 AS DOUBLE PRECISION), 2) AS d',
    );
    await same(
      "SELECT year(DATE '2024-02-29') AS y, date_diff('day', DATE '2024-01-01', DATE '2024-03-01') AS days, strftime(DATE '2024-05-03', '%m%d') AS md, make_date(year(DATE '2024-06-01'), 12, 31) AS eoy",
    );
    await same("SELECT strftime(TIMESTAMP '2026-01-02 03:04:05', '%Y-%m-%dT%H:%M:%SZ') AS iso");
    await same(
      `SELECT arg_min(v, k) AS first_v, arg_max(v, k) AS last_v, arg_min(k, v) AS k_of_min_v
       FROM (VALUES ('b', 2), (NULL, 0), ('a', 5), ('c', NULL), ('d', 3)) AS t(v, k)`,
    );
    await same(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS med, mode() WITHIN GROUP (ORDER BY x) AS mo,
              count(*) FILTER (WHERE x > 1) AS big, bool_or(x > 2) AS any3
       FROM (VALUES (1), (2), (2), (4)) AS t(x)`,
    );
  });

  it('describes a query and finds tables', async () => {
    expect(
      await pg.describe("SELECT 1 AS a, CAST('x' AS VARCHAR) AS b, CAST(1 AS DOUBLE PRECISION) AS c"),
    ).toEqual([
      { name: 'a', type: 'INTEGER' },
      { name: 'b', type: 'VARCHAR' },
      { name: 'c', type: 'DOUBLE' },
    ]);
    await pg.run('CREATE SCHEMA IF NOT EXISTS s');
    await pg.run('CREATE TABLE IF NOT EXISTS s.t (a INTEGER)');
    expect(await pg.tableExists('s', 't')).toBe(true);
    expect(await pg.tableExists('s', 'nope')).toBe(false);
  });

  it('streams a DuckDB table in with COPY, keeping NULLs, empty strings, quotes and types', async () => {
    await duck.run(`CREATE TABLE src AS SELECT * FROM (VALUES
      (1, 'plain', CAST(1.25 AS DECIMAL(18,2)), DATE '2025-01-02', true),
      (2, '', NULL, NULL, false),
      (3, NULL, CAST(-3.5 AS DECIMAL(18,2)), DATE '2024-12-31', NULL),
      (4, 'say "hi", then
leave', CAST(0 AS DECIMAL(18,2)), DATE '2025-06-30', true)
    ) AS t(id, txt, amount, d, flag)`);
    const copied = await copyTableToPostgres(duck, 'src', pg, 'copied', 'src');
    expect(copied.rows).toBe(4);
    const sql = 'SELECT * FROM ORDER_BY';
    const a = await duck.all(sql.replace('ORDER_BY', 'src ORDER BY id'));
    const b = await pg.all(sql.replace('ORDER_BY', 'copied.src ORDER BY id'));
    expect(b).toEqual(a);
    expect((await pg.describe('SELECT * FROM copied.src')).map((c) => c.type)).toEqual([
      'INTEGER',
      'VARCHAR',
      'DECIMAL',
      'DATE',
      'BOOLEAN',
    ]);
  });

  it('refuses writes in a read-only session', async () => {
    const ro = await PostgresWarehouse.open(server.url, { readOnly: true });
    try {
      await expect(ro.run('CREATE TABLE s.w (a INTEGER)')).rejects.toThrow(/read-only transaction/);
    } finally {
      await ro.close();
    }
  });
});
