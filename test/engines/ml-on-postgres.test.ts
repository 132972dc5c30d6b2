// Train and score on PostgreSQL (issue 10): one generated book built on DuckDB and on a private
// PostgreSQL server; every feature mart reads into the same typed arrays on both engines, a model
// trained on either engine is the same file byte for byte, and one model file scored on both engines
// gives the same scores mart row by row (probabilities, SHAP contributions and drivers exactly).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../../src/engine/duckdb.ts';
import type { SqlWarehouse } from '../../src/engine/engine.ts';
import { PostgresWarehouse } from '../../src/engine/postgres/warehouse.ts';
import { inspectFeatureMart, type MartRows, readFeatureMart } from '../../src/ml/warehouse-io.ts';
import { findModelSpec, MODEL_SPECS, scoreOnWarehouse, trainOnWarehouse } from '../../src/services/models.ts';
import { type BothEngines, buildOnBothEngines } from '../helpers/both-engines.ts';
import { postgresAvailable } from '../helpers/postgres.ts';

const MEMBERS = Number(process.env.CLAIMLENS_ML_MEMBERS ?? 250);
const TIMEOUT = Math.max(300_000, MEMBERS * 400);
/** Few trees keep the suite fast; determinism does not depend on the count. */
const FAST = { params: { trees: 40, threads: 2 }, now: new Date('2025-07-01T00:00:00Z') };

/** Arrays equal value by value, NaN equal to NaN (missing values), reporting the first difference. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) return `row ${i}: ${a[i]} vs ${b[i]}`;
  }
  return null;
}

function compareMartRows(duck: MartRows, pg: MartRows): string[] {
  const out: string[] = [];
  if (duck.rows !== pg.rows) return [`rows ${duck.rows} vs ${pg.rows}`];
  const label = firstDifference(duck.label, pg.label);
  if (label) out.push(`label ${label}`);
  const day = firstDifference(duck.eventDay, pg.eventDay);
  if (day) out.push(`event day ${day}`);
  duck.data.features.forEach((f, j) => {
    const g = pg.data.features[j]!;
    if (f.kind !== g.kind || f.name !== g.name) {
      out.push(`feature ${j}: ${f.kind} ${f.name} vs ${g.kind} ${g.name}`);
      return;
    }
    if (f.kind === 'numeric' && g.kind === 'numeric') {
      const d = firstDifference(f.values, g.values);
      if (d) out.push(`${f.name} ${d}`);
    } else if (f.kind === 'categorical' && g.kind === 'categorical') {
      if (JSON.stringify(f.levels) !== JSON.stringify(g.levels))
        out.push(`${f.name} levels ${f.levels.join('|')} vs ${g.levels.join('|')}`);
      const d = firstDifference(f.codes, g.codes);
      if (d) out.push(`${f.name} codes ${d}`);
    }
  });
  return out;
}

/** A scores mart as rows in key order (compared in JS, so text keys sort alike), without the clock column. */
async function scores(wh: SqlWarehouse, table: string, keys: string[]): Promise<Record<string, unknown>[]> {
  const rows = await wh.all<Record<string, unknown>>(`SELECT * FROM marts.${table}`);
  const cmp = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    for (const k of keys) {
      const x = a[k] as string | number;
      const y = b[k] as string | number;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
  return rows.sort(cmp).map(({ scored_at: _, ...rest }) => rest);
}

describe.skipIf(!postgresAvailable())('train and score on PostgreSQL as on DuckDB', () => {
  let both: BothEngines;
  let duck: DuckDBWarehouse;
  let pg: PostgresWarehouse;
  /** Seconds per step and rows per mart, printed at the end (the numbers in docs/engines.md). */
  const seconds: Record<string, number> = {};

  beforeAll(async () => {
    both = await buildOnBothEngines({ members: MEMBERS, seed: 11 });
    duck = await DuckDBWarehouse.open(both.path, { threads: 2 });
    pg = await PostgresWarehouse.open(both.server.url);
  }, TIMEOUT);

  afterAll(async () => {
    if (Object.keys(seconds).length > 0) console.log(`ml on both engines (${MEMBERS} members):`, seconds);
    await duck?.close();
    await pg?.close();
    await both?.stop();
  });

  it(
    'reads every feature mart into the same typed arrays (values, NaN for missing, levels, codes)',
    async () => {
      let rows = 0;
      for (const spec of MODEL_SPECS) {
        const onDuck = await inspectFeatureMart(duck, spec.schema, spec.table, spec.keys);
        const onPg = await inspectFeatureMart(pg, spec.schema, spec.table, spec.keys);
        expect(onPg, spec.table).toEqual(onDuck);
        let t = performance.now();
        const a = await readFeatureMart(duck, onDuck, onDuck.features);
        seconds[`read ${spec.table} duckdb`] = (performance.now() - t) / 1000;
        t = performance.now();
        const b = await readFeatureMart(pg, onPg, onPg.features);
        seconds[`read ${spec.table} postgres`] = (performance.now() - t) / 1000;
        expect(a.rows, spec.table).toBeGreaterThan(0);
        expect(compareMartRows(a, b), spec.table).toEqual([]);
        rows += a.rows;
        seconds[`rows ${spec.table}`] = a.rows;
        seconds[`features ${spec.table}`] = onDuck.features.length;
      }
      expect(rows).toBeGreaterThan(1000);
    },
    TIMEOUT,
  );

  it(
    'trains the same model file, byte for byte, on both engines',
    async () => {
      const spec = findModelSpec('denial');
      let t = performance.now();
      const onDuck = await trainOnWarehouse(duck, spec, FAST);
      seconds['train denial duckdb'] = (performance.now() - t) / 1000;
      t = performance.now();
      const onPg = await trainOnWarehouse(pg, spec, FAST);
      seconds['train denial postgres'] = (performance.now() - t) / 1000;
      expect(onPg.card.data).toEqual(onDuck.card.data);
      expect(onPg.card.metrics.model.auc.auc).toBe(onDuck.card.metrics.model.auc.auc);
      expect(onPg.modelJson === onDuck.modelJson, 'model files differ').toBe(true);
      expect(onPg.rowsScored).toBe(onDuck.rowsScored);
      expect(onPg.rowsScored).toBeGreaterThan(0);
      // Training also wrote each engine's scores mart: equal row by row.
      expect(await scores(pg, spec.scoresTable, spec.keys)).toEqual(
        await scores(duck, spec.scoresTable, spec.keys),
      );
    },
    TIMEOUT,
  );

  it(
    'one model file scores every row identically on both engines',
    async () => {
      // The denial model is the one that trains on a small book (readmission and pay need more
      // months with both outcomes); the mart is the widest, with numeric and categorical features.
      const spec = findModelSpec('denial');
      const trained = await trainOnWarehouse(duck, spec, { ...FAST, params: { ...FAST.params, seed: 7 } });
      let t = performance.now();
      const a = await scoreOnWarehouse(duck, spec, trained.model, trained.modelJson, {
        all: true,
        threads: 2,
      });
      seconds['score denial duckdb'] = (performance.now() - t) / 1000;
      t = performance.now();
      const b = await scoreOnWarehouse(pg, spec, trained.model, trained.modelJson, { all: true, threads: 2 });
      seconds['score denial postgres'] = (performance.now() - t) / 1000;
      expect(b).toEqual(a);
      const onDuck = await scores(duck, spec.scoresTable, spec.keys);
      const onPg = await scores(pg, spec.scoresTable, spec.keys);
      expect(onPg.length).toBe(a.rowsScored);
      expect(onPg.length).toBeGreaterThan(1000);
      // Probabilities and SHAP contributions are the same doubles, drivers the same text.
      expect(onPg).toEqual(onDuck);
      expect(await pg.describe(`SELECT * FROM marts.${spec.scoresTable}`)).toEqual(
        await duck.describe(`SELECT * FROM marts.${spec.scoresTable}`),
      );
    },
    TIMEOUT,
  );

  it('leaves no staging tables behind and keeps the session usable after a failed read', async () => {
    const spec = findModelSpec('denial');
    const mart = await inspectFeatureMart(pg, spec.schema, spec.table, spec.keys);
    await expect(
      readFeatureMart(pg, { ...mart, table: 'marts.ml_denial_features_missing' }, mart.features),
    ).rejects.toThrow(/ml_denial_features_missing/);
    expect(await pg.one('SELECT 1 AS ok')).toEqual({ ok: 1 });
    const temp = await pg.all(
      "SELECT relname FROM pg_class WHERE relpersistence = 't' AND relname LIKE '\\_ml\\_%' AND relkind = 'r'",
    );
    expect(temp).toEqual([]);
    expect(await pg.one("SELECT current_setting('extra_float_digits') AS v")).toEqual({ v: '1' });
  });
});
