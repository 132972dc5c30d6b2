// The differential test of issue 10: one generated book, loaded once, built on DuckDB and on a real
// PostgreSQL server (started here from Debian's package, torn down after), every mart compared row
// by row. Integers and money must be equal, doubles within a relative 1e-9; any difference fails
// naming the mart, the key and both values. CLAIMLENS_DIFF_MEMBERS=3675 runs it on the
// 100k-claim-line book (about 3 minutes on 2 cores); the default book keeps the suite fast.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../../src/engine/duckdb.ts';
import { PostgresWarehouse } from '../../src/engine/postgres/warehouse.ts';
import { type BothEngines, buildOnBothEngines } from '../helpers/both-engines.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { compareTable, DOUBLE_TOLERANCE, formatDifference, type TableComparison } from './compare.ts';
import { productMarts } from './marts.ts';

const MEMBERS = Number(process.env.CLAIMLENS_DIFF_MEMBERS ?? 250);
const TIMEOUT = Math.max(240_000, MEMBERS * 120);

describe.skipIf(!postgresAvailable())('DuckDB and PostgreSQL build the same marts', () => {
  let both: BothEngines;
  let duck: DuckDBWarehouse;
  let pg: PostgresWarehouse;
  let claimLines = 0;

  beforeAll(async () => {
    both = await buildOnBothEngines({ members: MEMBERS, seed: 11 });
    claimLines = both.claimLines;
    duck = await DuckDBWarehouse.open(both.path, { readOnly: true });
    pg = await PostgresWarehouse.open(both.server.url, { readOnly: true });
  }, TIMEOUT);

  afterAll(async () => {
    await duck?.close();
    await pg?.close();
    await both?.stop();
  });

  it('builds a non-trivial book', () => {
    expect(claimLines).toBeGreaterThan(MEMBERS * 10);
  });

  it(
    'every model and mart is equal row by row',
    async () => {
      // Staging and intermediate too: a difference there names the model it starts in.
      const marts = productMarts({ allLayers: true });
      const results: TableComparison[] = [];
      for (const spec of marts) results.push(await compareTable(duck, pg, spec, 5));
      const failing = results.filter((r) => r.differences.length > 0);
      const lines = claimLines;
      console.log(
        `differential: ${results.length} tables, ${results.reduce((a, r) => a + r.rows, 0).toLocaleString('en-US')} rows compared on a ${lines.toLocaleString('en-US')}-claim-line book, ${failing.length} with differences`,
      );
      const message = failing.flatMap((r) => r.differences.map((d) => formatDifference(d))).join('\n');
      expect(message, `marts differ (doubles within ${DOUBLE_TOLERANCE}):\n${message}`).toBe('');
      // Every mart was really compared, and the marts are not empty.
      expect(results.length).toBe(marts.length);
      const rows = results.reduce((a, r) => a + r.rows, 0);
      expect(rows).toBeGreaterThan(1000);
      expect(results.filter((r) => r.rows > 0).length).toBeGreaterThan(marts.length * 0.8);
    },
    TIMEOUT,
  );

  it('the build records are alike (same models, same row counts)', async () => {
    const sql = 'SELECT model, layer, "rows" FROM meta.build_log ORDER BY layer, model';
    expect(await pg.all(sql)).toEqual(await duck.all(sql));
  });
});
