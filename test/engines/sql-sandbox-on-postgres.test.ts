// The analyst SQL sandbox on PostgreSQL: a role limited to some relations gets the same answers as
// on DuckDB (identifier columns gone), and its query never reaches the server. The server logs every
// statement; a query that would read other tables through a function taking SQL text
// (`query_to_xml`) fails in the sandbox and is not in the server's log; only the COPY of the
// allowed relation's visible columns is.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.ts';
import { DuckDBWarehouse } from '../../src/engine/duckdb.ts';
import type { SqlWarehouse } from '../../src/engine/engine.ts';
import { PostgresWarehouse } from '../../src/engine/postgres/warehouse.ts';
import type { GovernanceConfig } from '../../src/governance/config.ts';
import { queryWarehouse } from '../../src/runner/query.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

/** The same few rows on both engines, in portable SQL: a mart with an identifier column, and input. */
const SETUP = [
  'CREATE SCHEMA marts',
  'CREATE SCHEMA input',
  `CREATE TABLE marts.cost_member_month (person_id VARCHAR, payer VARCHAR, month DATE, paid DECIMAL(18,2), share DOUBLE PRECISION, active BOOLEAN, note VARCHAR)`,
  `INSERT INTO marts.cost_member_month VALUES
     ('P-1', 'Acme', DATE '2025-01-01', 120.50, 0.1, true, 'a,b'),
     ('P-2', 'Acme', DATE '2025-01-01', 80.25, 0.3333333333333333, false, ''),
     ('P-3', 'Blue', DATE '2025-02-01', 19.99, 1e-7, NULL, NULL),
     ('P-4', 'Blue', DATE '2025-02-01', 0.01, 2.5, true, 'line
break "quoted"')`,
  `CREATE TABLE input.eligibility (person_id VARCHAR, first_name VARCHAR)`,
  `INSERT INTO input.eligibility VALUES ('P-1', 'Theodora')`,
];

describe.skipIf(!postgresAvailable())('the analyst SQL sandbox on PostgreSQL', () => {
  let dir: string;
  let server: TestPostgres;
  let duckPath: string;
  let governance: GovernanceConfig;
  const analyst = { subject: 'ana', role: 'analyst', via: 'test' };

  const query = (target: string, sql: string) =>
    queryWarehouse(target, sql, { caller: analyst, governance, limit: 100 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'claimlens-sandbox-pg-'));
    server = await startPostgres({ settings: { log_statement: "'all'" } });
    duckPath = join(dir, 'claimlens.duckdb');
    const duck = await DuckDBWarehouse.open(duckPath);
    const pg = await PostgresWarehouse.open(server.url);
    try {
      for (const wh of [duck, pg] as SqlWarehouse[]) for (const statement of SETUP) await wh.run(statement);
    } finally {
      await duck.close();
      await pg.close();
    }
    governance = configSchema.parse({
      warehouse: duckPath,
      governance: { auditLog: join(dir, 'audit.jsonl') },
    }).governance;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers as on DuckDB, without identifier columns', async () => {
    for (const sql of [
      'SELECT * FROM marts.cost_member_month ORDER BY paid',
      'SELECT payer, sum(paid) AS paid, avg(share) AS share, count(note) AS notes FROM marts.cost_member_month GROUP BY payer ORDER BY payer',
      "WITH m AS (SELECT * FROM marts.cost_member_month WHERE note = '' OR note IS NULL) SELECT count(*) AS n FROM m",
    ]) {
      const onDuck = await query(duckPath, sql);
      const onPg = await query(server.url, sql);
      expect(onPg, sql).toEqual(onDuck);
    }
    const all = await query(server.url, 'SELECT * FROM marts.cost_member_month ORDER BY paid');
    expect(all.columns).toEqual(['payer', 'month', 'paid', 'share', 'active', 'note']);
    expect(all.rows).toHaveLength(4);
    expect(all.rows.map((r) => r.note)).toEqual(['line\nbreak "quoted"', null, '', 'a,b']);
  });

  it('refuses what the gate refuses, and never runs the query on the server', async () => {
    await expect(query(server.url, 'SELECT person_id FROM marts.cost_member_month')).rejects.toThrow(
      /person_id/,
    );
    await expect(query(server.url, 'SELECT * FROM input.eligibility')).rejects.toThrow(
      /may read only marts\.\*/,
    );
    // Names only an allowed relation, so the parser lets it through; it runs in the sandbox, where no
    // function reads other relations from SQL text and only the allowed copy exists.
    await expect(
      query(
        server.url,
        "SELECT query_to_xml('SELECT * FROM input.eligibility', true, true, '') AS x FROM marts.cost_member_month",
      ),
    ).rejects.toThrow(/query_to_xml/);
    const log = readFileSync(join(server.dir, 'server.log'), 'utf8');
    expect(log).toMatch(/COPY \(SELECT "payer", "month", "paid", "share", CASE WHEN "active"/);
    expect(log).not.toMatch(/query_to_xml/);
    expect(log).not.toMatch(/statement: .*"?person_id"? FROM "?marts/);
    // What the same text does when it does run on the server: it reads a relation it never names.
    const direct = await PostgresWarehouse.open(server.url, { readOnly: true });
    try {
      const leaked = await direct.one<{ x: string }>(
        "SELECT query_to_xml('SELECT * FROM input.eligibility', true, true, '')::text AS x FROM marts.cost_member_month LIMIT 1",
      );
      expect(leaked?.x).toContain('Theodora');
    } finally {
      await direct.close();
    }
  });
});
